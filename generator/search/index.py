"""Build the static search index: term shards, facet sets, result cards and a manifest.

The unit of search is the disputed item: a document is one item (its texts, its determination's
summary, its treatment's words again under the treatment prefix, and its concepts:
``vocabulary.py``), facets count items, and a result card shows one item. Items are numbered
oldest determination first and in their letter's order within it; ``starts.bin`` marks each
determination's first item, so the search script lists a determination once however many of its
items match.

Why not Material's search or Pagefind: Material's index is one file the browser downloads whole
(9.9 MB gzipped at 50,000 pages); Pagefind's indexer needs about 150 KB of memory per page and its
per-query transfer grows with the corpus (490 KB at 50,000). Here a query downloads the manifest,
one shard per term (terms are spread over shards by hash, so shards stay near ``SHARD_TARGET_BYTES``),
one file per chosen filter value, and the result cards it shows: a bounded transfer at any size.
Documents are numbered oldest first, so publishing newer determinations leaves the numbers of the
others' items, and the result-card files that hold them, as they were; the search script shows a
set newest first.
"""

from __future__ import annotations

import functools
import json
import logging
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.anonymize import PublicDetermination
from generator.cache import BuildCache
from generator.cards import Card
from generator.classify import Citation, DeterminationFacts
from generator.groups import ItemKeys
from generator.normalize import load_catalog
from generator.parallel import parallel_map_beside, worker_context
from generator.search.encode import bitmap, encoded_set, shard
from generator.search.parts import (
    BUCKETS,
    Postings,
    card_file,
    read_buckets,
    read_rows,
    term_hash,
)
from generator.search.terms import TREATMENT_FIELD, term_set, terms
from generator.search.vocabulary import guideline_label, item_concepts, search_vocabulary
from generator.settings import (
    EXCERPT_LENGTH,
    GUIDELINE_TEXT_LENGTH,
    ITEMS_PER_CARD_FILE,
    SHARD_TARGET_BYTES,
)

log = logging.getLogger(__name__)

INDEX_DIR = "search/data"
SEARCH_PAGE = "search/index.html"
MANIFEST_PLACE = '<script id="imr-search-manifest">window.imrSearchManifest = null;</script>'
"""Left in the search page's head by the theme (``site_overrides/main.html``), filled in here."""
FORMAT_VERSION = 2
ITEM_SEPARATOR = "\f"
"""Characters of an item's rationale a result card holds, for the snippet around a match."""


def determination_terms(determination: PublicDetermination, facts: DeterminationFacts) -> str:
    """A determination's search terms, for ``add_item_postings``: those its items share (the
    summary and the reviewer's specialty), then each item's own (its texts, its treatment's words
    again under the treatment prefix, its concepts), a term a line, the parts apart by a form feed
    (one string pickles and loads far faster than sets)."""
    shared = term_set([determination.summary, determination.reviewer_specialty or ""])
    parts = ["\n".join(sorted(shared))]
    for item, item_facts in zip(determination.items, facts.items, strict=True):
        texts = [
            item.treatment,
            item.rationale,
            item.claims_administrator_guideline or "",
            item.reviewer_guideline or "",
            item.request_note or "",
        ]
        own = term_set(texts)
        own.update(TREATMENT_FIELD + term for term in terms(item.treatment))
        own.update(item_concepts(item_facts))
        parts.append("\n".join(sorted(own)))
    return ITEM_SEPARATOR.join(parts)


def add_item_postings(postings: Postings, first_doc: int, encoded: str) -> None:
    """Add a determination's items (``determination_terms``), the first numbered ``first_doc``."""
    shared, *items = encoded.split(ITEM_SEPARATOR)
    shared_terms = set(shared.split("\n")) if shared else set()
    for number, own in enumerate(items):
        add_postings(
            postings, first_doc + number, shared_terms.union(own.split("\n") if own else ())
        )


def add_postings(postings: Postings, doc: int, found: Iterable[str]) -> None:
    for term in found:
        if not term:
            continue
        docs = postings.get(term)
        if docs is None:
            postings[term] = docs = array("I")
        docs.append(doc)


def result_rows(
    first_doc: int, determination: PublicDetermination, card: Card, url: str
) -> list[tuple[int, str]]:
    """What a result shows of each item of a determination, by document number: the item's
    address (its anchor on the determination page), the determination's title, year and reviewer
    specialty, the item as written, its decision, canonical treatment and category, the
    reviewer's guideline, and the start of its rationale (the script finds the snippet there)."""
    rows = []
    for number, (item, facts) in enumerate(zip(determination.items, card.items, strict=True)):
        row = [
            f"{url}#item-{item.number}",
            card.title,
            card.year or 0,
            card.specialty or "",
            facts.treatment_text,
            facts.decision,
            facts.treatment_label if facts.treatment_slug else "",
            facts.category_label if facts.category_slug else "",
            guideline_text(facts.reviewer),
            _excerpt(item.rationale),
        ]
        rows.append(
            (first_doc + number, json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        )
    return rows


def guideline_text(citation: Citation) -> str:
    """The reviewer's guideline as the catalog names it ('MTUS Chronic Pain (2009): Opioids,
    criteria for use'), or the citation as written when it did not resolve."""
    named: dict[str, list[str]] = {}
    for ref in citation.refs:
        sections = named.setdefault(_guideline_label(ref.guideline_id), [])
        if ref.section_title and ref.section_title not in sections:
            sections.append(ref.section_title)
    text = "; ".join(f"{label}: {', '.join(s)}" if s else label for label, s in named.items())
    text = text or " ".join((citation.text or "").split())
    return _shortened(text, GUIDELINE_TEXT_LENGTH)


@functools.cache
def _guideline_label(guideline_id: str) -> str:
    catalog = load_catalog()
    if guideline_id not in catalog:
        return guideline_id
    return guideline_label(catalog.get(guideline_id))


def _excerpt(text: str) -> str:
    return _shortened(" ".join(text.split()), EXCERPT_LENGTH)


def _shortened(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + " …"


def first_item_documents(item_counts: Sequence[int]) -> array[int]:
    """The document number of each determination's first item, by its place in the site's
    newest-first order (``item_counts`` in that order)."""
    total, before, found = sum(item_counts), 0, array("Q")
    for count in item_counts:
        before += count
        found.append(total - before)
    return found


@dataclass(frozen=True)
class Facet:
    """A filter of the search page: its name, label, and the kind of group (``groups.KINDS``)
    whose keys are its values."""

    name: str
    label: str
    kind: str
    newest_first: bool = False
    value_label: Callable[[str, str], str] | None = None
    """A value's label from its key and its group's title (default: the title)."""

    def values_of(self, keys: ItemKeys) -> list[tuple[str, str]]:
        """(slug, label) pairs of an item, from its groups' keys."""
        pairs = keys.get(self.kind, {})
        if self.value_label is None:
            return [(key, naming.title) for key, naming in pairs.items()]
        return [(key, self.value_label(key, naming.title)) for key, naming in pairs.items()]


@dataclass(frozen=True)
class FacetValue:
    slug: str
    label: str
    documents: array[int]
    """Sorted; an array (four bytes a document), as every card is in several values' sets."""

    @property
    def count(self) -> int:
        return len(self.documents)


@dataclass(frozen=True)
class FacetValues:
    """A facet with its values in display order, each with the documents that have it."""

    name: str
    label: str
    values: tuple[FacetValue, ...]


FACETS: tuple[Facet, ...] = (
    Facet("outcome", "Outcome", "outcome"),
    Facet("category", "Treatment category", "category"),
    Facet(
        "guideline",
        "Reviewer's guideline",
        "guideline",
        value_label=lambda key, _: _guideline_label(key),
    ),
    Facet("year", "Year", "year", newest_first=True),
    Facet("specialty", "Reviewer specialty", "specialty"),
)


class FacetBuilder:
    """Facet values of every item, made as the cards go by, newest first (``add``). Documents are
    numbered oldest first, as the search index numbers items: the first added card's last item is
    the last document."""

    def __init__(self) -> None:
        self._position = -1
        """Of the last item added, counted from the newest (its items taken last first)."""
        self._members: list[dict[str, array[int]]] = [
            defaultdict(lambda: array("I")) for _ in FACETS
        ]
        self._labels: list[dict[str, str]] = [{} for _ in FACETS]

    def add(self, items: Sequence[ItemKeys]) -> None:
        """Add the next card's items, by their groups' keys (``groups.item_keys``): the next
        older card (the first added is the newest)."""
        for keys in reversed(items):
            self._position += 1
            for facet, found, named in zip(FACETS, self._members, self._labels, strict=True):
                for slug, label in facet.values_of(keys):
                    found[slug].append(self._position)
                    named.setdefault(slug, label)  # the newest card's label, seen first

    def values(self) -> list[FacetValues]:
        result = []
        last = self._position
        for facet, found, named in zip(FACETS, self._members, self._labels, strict=True):
            order = sorted(found, key=lambda slug: named[slug].lower(), reverse=facet.newest_first)
            values = []
            for slug in order:
                members = array("I", (last - position for position in reversed(found[slug])))
                values.append(FacetValue(slug, named[slug], members))
            result.append(FacetValues(facet.name, facet.label, tuple(values)))
        return result


@dataclass(frozen=True)
class SearchParts:
    """The site's postings as the render jobs left them: their part files (``parts.py``) and
    how many documents hold each term, over all of them."""

    files: tuple[Path, ...]
    counts: Mapping[str, int]


def document_number(position: int, documents: int) -> int:
    """The number, among determinations, of the card at ``position`` of the site's newest-first
    order (the exports' order; search documents are items: ``first_item_documents``)."""
    return documents - 1 - position


def write_search_index(
    site_dir: Path,
    item_counts_newest_first: Sequence[int],
    parts: SearchParts,
    facets: Sequence[FacetValues],
    cache: BuildCache,
) -> set[str]:
    """Write the whole index below ``site_dir/search`` for the determinations whose numbers of
    items are ``item_counts_newest_first`` (in the site's order; the postings and result rows in ``parts`` and ``facets`` by item document
    number); returns the cache keys used.

    With a build cache, a file the last build wrote the same is linked from the cache instead of
    written (``_put``): it keeps its inode, so the leak audit does not read it again. Most result
    cards do not change when determinations are added (they are numbered oldest first)."""
    item_counts = list(reversed(item_counts_newest_first))
    documents = sum(item_counts)
    root = site_dir / INDEX_DIR
    root.mkdir(parents=True, exist_ok=True)
    shard_count = _shard_count(parts.counts, documents)
    used = _write_shards_and_cards(root, parts, shard_count, documents, cache)
    facet_list, facet_keys = _write_facets(root / "facets", facets, documents, cache)
    used |= facet_keys
    used.add(_put(root / "starts.bin", _starts(item_counts, documents), cache))
    manifest = {
        "version": FORMAT_VERSION,
        "documents": documents,
        "determinations": len(item_counts),
        "shards": shard_count,
        "cards_per_chunk": ITEMS_PER_CARD_FILE,
        "treatment_field": TREATMENT_FIELD,
        "facets": facet_list,
        "vocabulary": search_vocabulary(parts.counts),
    }
    text = json.dumps(manifest, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    (root / "manifest.json").write_text(text, encoding="utf-8")
    _inline_manifest(site_dir / SEARCH_PAGE, text)
    return used - {""}


def _starts(item_counts: Sequence[int], documents: int) -> bytes:
    """A bitmap of the items that are the first of their determination (oldest first)."""
    firsts, at = [], 0
    for count in item_counts:
        firsts.append(at)
        at += count
    return bitmap(firsts, documents)


def _put(path: Path, data: bytes, cache: BuildCache) -> str:
    """Write ``data`` at ``path``, or link it from the cache entry of the same bytes; returns the
    entry's key ("" without a cache)."""
    if cache.root is None:
        path.write_bytes(data)
        return ""
    key = cache.key("search file", data)
    if not cache.place("pages", key, str(path)):
        path.write_bytes(data)
        cache.store_link("pages", key, path, data)
    return key


def _inline_manifest(page: Path, manifest: str) -> None:
    """Put the manifest into the search page's head, where the theme left a place for it: the page
    then asks for a query's shards as soon as it starts, instead of after a fetch of the manifest.
    Without that place (another theme), the search script fetches ``manifest.json``."""
    html = page.read_text(encoding="utf-8") if page.is_file() else ""
    if MANIFEST_PLACE not in html:
        log.debug("%s has no place for the search manifest; the page will fetch it", page)
        return
    # In a script element "</script>" or "<!--" would end or bend the element: "<" goes escaped.
    script = MANIFEST_PLACE.replace("null", manifest.replace("<", "\\u003c"))
    page.write_text(html.replace(MANIFEST_PLACE, script, 1), encoding="utf-8")


def _shard_count(counts: Mapping[str, int], documents: int) -> int:
    """Enough shards (a power of two) for each to hold about SHARD_TARGET_BYTES."""
    estimate = sum(
        min(count * 2, documents // 8 + 1) + len(term) + 4 for term, count in counts.items()
    )
    count = 1
    while estimate / count > SHARD_TARGET_BYTES:
        count *= 2
    return count


@dataclass(frozen=True)
class _Writing:
    """What the jobs writing shards and cards share (``worker_context``)."""

    root: Path
    parts: Sequence[Path]
    shard_count: int
    jobs: int
    documents: int
    cache: BuildCache


SHARD_JOBS = 16
"""Jobs writing term shards, at least (when there are as many shards)."""
JOB_POSTINGS_BYTES = 32 << 20
"""About the most postings one of those jobs holds at once: more jobs at larger sizes."""
CARD_JOBS = 8


def shard_jobs(counts: Mapping[str, int], shard_count: int) -> int:
    """How many jobs write the term shards: a power of two that divides both the number of
    shards and BUCKETS, so that job n writes the shards and reads the buckets whose number is n
    modulo it (both are a term's hash modulo a power of two)."""
    postings_bytes = 4 * sum(counts.values())
    jobs = SHARD_JOBS
    while jobs * JOB_POSTINGS_BYTES < postings_bytes:
        jobs *= 2
    return min(jobs, shard_count, BUCKETS)


def _write_shards_and_cards(
    root: Path, parts: SearchParts, shard_count: int, documents: int, cache: BuildCache
) -> set[str]:
    """The term shards and the result cards, written on every core; returns the cache keys used.
    A job writing shards reads only its buckets of the part files (``shard_jobs``); a job writing
    card files reads only its buckets of the part files' result rows."""
    (root / "terms").mkdir(parents=True, exist_ok=True)
    (root / "cards").mkdir(parents=True, exist_ok=True)
    jobs_count = shard_jobs(parts.counts, shard_count)
    writing = _Writing(root, parts.files, shard_count, jobs_count, documents, cache)
    jobs = [("terms", range(n, n + 1)) for n in range(jobs_count)]
    # The result cards are written here while the workers write the term shards.
    card_jobs = [("cards", range(n, BUCKETS, CARD_JOBS)) for n in range(CARD_JOBS)]
    done = parallel_map_beside(
        _write_index_files, jobs, card_jobs, desc="Search index", context=writing
    )
    return set().union(*(used for _place, used in done))


def _write_index_files(job: tuple[str, range]) -> set[str]:
    """Write some shards (in a worker process) or some card files (in the main process);
    returns the cache keys used."""
    kind, numbers = job
    w: _Writing = worker_context()
    if kind == "terms":
        files = shards_of_job(w.parts, numbers[0], w.jobs, w.shard_count, w.documents)
    else:
        files = card_files(w.parts, numbers)
    return {_put(w.root / kind / name, data, w.cache) for name, data in files}


def shards_of_job(
    parts: Sequence[Path], job: int, jobs: int, shard_count: int, documents: int
) -> list[tuple[str, bytes]]:
    """The shard files (name, bytes) that job ``job`` of ``jobs`` writes (``shard_jobs``): the
    shards whose number is ``job`` modulo ``jobs``, from the buckets of part files that are."""
    postings = read_buckets(parts, range(job, BUCKETS, jobs))
    by_shard: dict[int, list[str]] = {number: [] for number in range(job, shard_count, jobs)}
    for term in postings:
        by_shard[term_hash(term) % shard_count].append(term)
    return [
        (f"{number}.bin", _shard_bytes(postings, terms_of_shard, documents))
        for number, terms_of_shard in by_shard.items()
    ]


def _shard_bytes(postings: Postings, terms_of_shard: list[str], documents: int) -> bytes:
    entries = ((term, array("I", sorted(set(postings[term])))) for term in sorted(terms_of_shard))
    return shard(entries, documents)


def card_files(parts: Sequence[Path], buckets: Iterable[int]) -> list[tuple[str, bytes]]:
    """The result-card files (name, bytes) whose number modulo BUCKETS is one of ``buckets``:
    each a JSON list of the rows (``result_rows``) of ITEMS_PER_CARD_FILE items, in order."""
    by_file: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for doc, row in read_rows(parts, buckets):
        by_file[card_file(doc)].append((doc, row))
    return [
        (f"{number}.json", ("[" + ",".join(row for _doc, row in sorted(rows)) + "]").encode())
        for number, rows in sorted(by_file.items())
    ]


def _write_facets(
    folder: Path, facets: Sequence[FacetValues], documents: int, cache: BuildCache
) -> tuple[list[dict[str, object]], set[str]]:
    manifest: list[dict[str, object]] = []
    used = set()
    for facet in facets:
        (folder / facet.name).mkdir(parents=True, exist_ok=True)
        for value in facet.values:
            data = encoded_set(value.documents, documents)
            used.add(_put(folder / facet.name / f"{value.slug}.bin", data, cache))
        values = [{"slug": v.slug, "label": v.label, "count": v.count} for v in facet.values]
        manifest.append({"name": facet.name, "label": facet.label, "values": values})
    return manifest, used

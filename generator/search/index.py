"""Build the static search index: term shards, facet sets, result cards and a manifest.

Why not Material's search or Pagefind: Material's index is one file the browser downloads whole
(9.9 MB gzipped at 50,000 pages); Pagefind's indexer needs about 150 KB of memory per page and its
per-query transfer grows with the corpus (490 KB at 50,000). Here a query downloads the manifest,
one shard per term (terms are spread over shards by hash, so shards stay near ``SHARD_TARGET_BYTES``),
one file per chosen filter value, and the result cards it shows: a bounded transfer at any size.
Documents are numbered oldest first, so publishing newer determinations leaves the numbers of the
others, and the result-card files that hold them, as they were; the search script shows a set
newest first.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.anonymize import PublicDetermination
from generator.cache import BuildCache
from generator.cards import Card
from generator.normalize import load_catalog
from generator.parallel import parallel_map_beside
from generator.search.encode import encoded_set, shard
from generator.search.parts import BUCKETS, Postings, read_buckets, term_hash
from generator.search.terms import TREATMENT_FIELD, term_set, terms

log = logging.getLogger(__name__)

INDEX_DIR = "search/data"
SEARCH_PAGE = "search/index.html"
MANIFEST_PLACE = '<script id="imr-search-manifest">window.imrSearchManifest = null;</script>'
"""Left in the search page's head by the theme (``site_overrides/main.html``), filled in here."""
FORMAT_VERSION = 1
SHARD_TARGET_BYTES = 12_000
CARDS_PER_CHUNK = 16


def document_terms(determination: PublicDetermination) -> set[str]:
    """Every term of a determination, plus its treatment terms again under the treatment prefix."""
    texts = [determination.summary, determination.reviewer_specialty or ""]
    for item in determination.items:
        texts += [
            item.treatment,
            item.rationale,
            item.claims_administrator_guideline or "",
            item.reviewer_guideline or "",
            item.request_note or "",
        ]
    found = term_set(texts)
    found.update(
        TREATMENT_FIELD + term for item in determination.items for term in terms(item.treatment)
    )
    return found


def add_postings(postings: Postings, doc: int, found: Iterable[str]) -> None:
    for term in found:
        docs = postings.get(term)
        if docs is None:
            postings[term] = docs = array("I")
        docs.append(doc)


@dataclass(frozen=True)
class Facet:
    """A filter of the search page: its name, label, and the values each card has."""

    name: str
    label: str
    values_of: Callable[[Card], Iterable[tuple[str, str]]]
    """(slug, label) pairs for a card."""
    newest_first: bool = False


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


@functools.cache
def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


def _years(card: Card) -> list[tuple[str, str]]:
    return [(str(card.year), str(card.year))] if card.year else [("undated", "Year not stated")]


def _categories(card: Card) -> list[tuple[str, str]]:
    return [(i.category_slug, i.category_label) for i in card.items if i.category_slug]


def _guidelines(card: Card) -> list[tuple[str, str]]:
    ids = dict.fromkeys(g for item in card.items for g in item.reviewer.guideline_ids)
    return [(g, _short_title(g)) for g in ids]


@functools.cache
def _short_title(guideline_id: str) -> str:
    return load_catalog().get(guideline_id).short_title


def _outcomes(card: Card) -> list[tuple[str, str]]:
    return [(d, d.title()) for d in sorted({item.decision for item in card.items})]


FACETS: tuple[Facet, ...] = (
    Facet("outcome", "Outcome", _outcomes),
    Facet("category", "Treatment category", _categories),
    Facet("guideline", "Reviewer's guideline", _guidelines),
    Facet("year", "Year", _years, newest_first=True),
    Facet(
        "specialty",
        "Reviewer specialty",
        lambda c: [(_slug(c.specialty), c.specialty)] if c.specialty else [],
    ),
)


class FacetBuilder:
    """Facet values made as the cards go by, newest first (``add``); their documents are numbered
    oldest first, as the search index numbers them: the newest of ``documents`` is the last."""

    def __init__(self, documents: int) -> None:
        self._doc = documents
        self._members: list[dict[str, array[int]]] = [
            defaultdict(lambda: array("I")) for _ in FACETS
        ]
        self._labels: list[dict[str, str]] = [{} for _ in FACETS]

    def add(self, card: Card) -> None:
        """Add the next card, the next older (the first added is the newest)."""
        self._doc -= 1
        for facet, found, named in zip(FACETS, self._members, self._labels, strict=True):
            for slug, label in facet.values_of(card):
                found[slug].append(self._doc)
                named.setdefault(slug, label)  # the newest card's label, seen first

    def values(self) -> list[FacetValues]:
        result = []
        for facet, found, named in zip(FACETS, self._members, self._labels, strict=True):
            order = sorted(found, key=lambda slug: named[slug].lower(), reverse=facet.newest_first)
            values = []
            for slug in order:
                members = array("I", found[slug])
                members.reverse()  # oldest first
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
    """The search document number of the card at ``position`` of the site's newest-first order."""
    return documents - 1 - position


def write_search_index(
    site_dir: Path,
    cards: Sequence[Card],
    parts: SearchParts,
    facets: Sequence[FacetValues],
    card_url: Callable[[Card], str],
    cache: BuildCache,
) -> set[str]:
    """Write the whole index below ``site_dir/search`` for ``cards`` (newest first, as the site
    orders them; the postings in ``parts`` and ``facets`` by ``document_number``); returns the
    cache keys used.

    With a build cache, a file the last build wrote the same is linked from the cache instead of
    written (``_put``): it keeps its inode, so the leak audit does not read it again. Most result
    cards do not change when determinations are added (they are numbered oldest first)."""
    cards = cards[::-1]
    root = site_dir / INDEX_DIR
    documents = len(cards)
    shard_count = _shard_count(parts.counts, documents)
    used = _write_shards_and_cards(root, parts, shard_count, cards, card_url, cache)
    facet_list, facet_keys = _write_facets(root / "facets", facets, documents, cache)
    used |= facet_keys
    manifest = {
        "version": FORMAT_VERSION,
        "documents": documents,
        "shards": shard_count,
        "cards_per_chunk": CARDS_PER_CHUNK,
        "treatment_field": TREATMENT_FIELD,
        "facets": facet_list,
    }
    text = json.dumps(manifest, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    (root / "manifest.json").write_text(text, encoding="utf-8")
    _inline_manifest(site_dir / SEARCH_PAGE, text)
    return used - {""}


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


_SHARDS: dict[str, object] = {}
"""What the workers writing shards and cards share with the parent (inherited when forked)."""
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
    root: Path,
    parts: SearchParts,
    shard_count: int,
    cards: Sequence[Card],
    card_url: Callable[[Card], str],
    cache: BuildCache,
) -> set[str]:
    """The term shards and the result cards, written on every core; returns the cache keys used.
    A job writing shards reads only its buckets of the part files (``shard_jobs``)."""
    (root / "terms").mkdir(parents=True, exist_ok=True)
    (root / "cards").mkdir(parents=True, exist_ok=True)
    jobs_count = shard_jobs(parts.counts, shard_count)
    _SHARDS.update(
        root=root, parts=parts.files, cards=cards, card_url=card_url, cache=cache,
        shard_count=shard_count, jobs=jobs_count,
    )  # fmt: skip
    card_chunks = -(-len(cards) // CARDS_PER_CHUNK)
    jobs = [("terms", range(n, n + 1)) for n in range(jobs_count)]
    # The result cards are written here while the workers write the term shards (each job
    # decodes its cards from the card store).
    card_jobs = [
        ("cards", range(n, card_chunks, CARD_JOBS)) for n in range(min(CARD_JOBS, card_chunks))
    ]
    try:
        done = parallel_map_beside(_write_index_files, jobs, card_jobs, desc="Search index")
        return set().union(*(used for _place, used in done))
    finally:
        _SHARDS.clear()


def _write_index_files(job: tuple[str, range]) -> set[str]:
    """Write some shards (in a worker process) or some card files (in the main process);
    returns the cache keys used."""
    kind, numbers = job
    root: Path = _SHARDS["root"]  # type: ignore[assignment]
    cache: BuildCache = _SHARDS["cache"]  # type: ignore[assignment]
    if kind == "terms":
        files = _job_shards(numbers[0])
    else:
        files = [(f"{number}.json", _card_bytes(number)) for number in numbers]
    return {_put(root / kind / name, data, cache) for name, data in files}


def _job_shards(job: int) -> list[tuple[str, bytes]]:
    """The shard files of job ``job`` of the index being written: (name, bytes)."""
    parts: Sequence[Path] = _SHARDS["parts"]  # type: ignore[assignment]
    cards: Sequence[Card] = _SHARDS["cards"]  # type: ignore[assignment]
    shard_count: int = _SHARDS["shard_count"]  # type: ignore[assignment]
    jobs: int = _SHARDS["jobs"]  # type: ignore[assignment]
    return shards_of_job(parts, job, jobs, shard_count, len(cards))


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


def _card_bytes(number: int) -> bytes:
    """Result cards ``number * CARDS_PER_CHUNK`` and on: title, URL, year, outcome, specialty and
    snippet, by document number."""
    cards: Sequence[Card] = _SHARDS["cards"]  # type: ignore[assignment]
    card_url: Callable[[Card], str] = _SHARDS["card_url"]  # type: ignore[assignment]
    start = number * CARDS_PER_CHUNK
    chunk = [
        [card.title, card_url(card), card.year, card.outcome, card.specialty, card.snippet]
        for card in cards[start : start + CARDS_PER_CHUNK]
    ]
    return json.dumps(chunk, ensure_ascii=False, separators=(",", ":")).encode()


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

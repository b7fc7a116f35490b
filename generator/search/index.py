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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.anonymize import PublicDetermination
from generator.cache import BuildCache
from generator.cards import Card
from generator.normalize import load_catalog
from generator.parallel import parallel_map_beside
from generator.search.encode import encoded_set, shard
from generator.search.terms import fnv1a, term_set, terms

log = logging.getLogger(__name__)

INDEX_DIR = "search/data"
SEARCH_PAGE = "search/index.html"
MANIFEST_PLACE = '<script id="imr-search-manifest">window.imrSearchManifest = null;</script>'
"""Left in the search page's head by the theme (``site_overrides/main.html``), filled in here."""
FORMAT_VERSION = 1
SHARD_TARGET_BYTES = 12_000
CARDS_PER_CHUNK = 16
TREATMENT_FIELD = "t:"
"""Prefix of terms found in an item's treatment; results matching there rank first."""

Postings = dict[str, "array[int]"]


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


def merge_postings(into: Postings, part: Postings) -> None:
    for term, docs in part.items():
        existing = into.get(term)
        if existing is None:
            into[term] = docs
        else:
            existing.extend(docs)


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


def facet_values(cards: Sequence[Card]) -> list[FacetValues]:
    """Every facet's values with their documents (numbered in ``cards`` order: oldest first)."""
    result = []
    for facet in FACETS:
        members: dict[str, array[int]] = defaultdict(lambda: array("I"))
        labels: dict[str, str] = {}
        for doc, card in enumerate(cards):
            for slug, label in facet.values_of(card):
                members[slug].append(doc)
                labels[slug] = label
        order = sorted(members, key=lambda slug: labels[slug].lower(), reverse=facet.newest_first)
        values = tuple(FacetValue(slug, labels[slug], members[slug]) for slug in order)
        result.append(FacetValues(facet.name, facet.label, values))
    return result


def document_number(position: int, documents: int) -> int:
    """The search document number of the card at ``position`` of the site's newest-first order."""
    return documents - 1 - position


def write_search_index(
    site_dir: Path,
    cards: Sequence[Card],
    postings: Postings,
    facets: Sequence[FacetValues],
    card_url: Callable[[Card], str],
    cache: BuildCache,
) -> set[str]:
    """Write the whole index below ``site_dir/search`` for ``cards`` (newest first, as the site
    orders them; ``postings`` and ``facets`` by ``document_number``); returns the cache keys used.

    With a build cache, a file the last build wrote the same is linked from the cache instead of
    written (``_put``): it keeps its inode, so the leak audit does not read it again. Most result
    cards do not change when determinations are added (they are numbered oldest first)."""
    cards = cards[::-1]
    root = site_dir / INDEX_DIR
    documents = len(cards)
    shard_count = _shard_count(postings, documents)
    used = _write_shards_and_cards(root, postings, shard_count, cards, card_url, cache)
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


def _shard_count(postings: Postings, documents: int) -> int:
    estimate = sum(
        min(len(docs) * 2, documents // 8 + 1) + len(term) + 4 for term, docs in postings.items()
    )
    count = 1
    while estimate / count > SHARD_TARGET_BYTES:
        count *= 2
    return count


_SHARDS: dict[str, object] = {}
"""What the workers writing shards and cards share with the parent (inherited when forked)."""
SHARD_JOBS = 16
CARD_JOBS = 8


def _write_shards_and_cards(
    root: Path,
    postings: Postings,
    shard_count: int,
    cards: Sequence[Card],
    card_url: Callable[[Card], str],
    cache: BuildCache,
) -> set[str]:
    """The term shards and the result cards, written on every core; returns the cache keys used."""
    (root / "terms").mkdir(parents=True, exist_ok=True)
    (root / "cards").mkdir(parents=True, exist_ok=True)
    by_shard: dict[int, list[str]] = defaultdict(list)
    for term in postings:
        # A treatment-field term lives in its plain term's shard: one request finds both.
        by_shard[fnv1a(term.removeprefix(TREATMENT_FIELD)) % shard_count].append(term)
    _SHARDS.update(
        root=root, postings=postings, cards=cards, card_url=card_url, by_shard=by_shard, cache=cache
    )
    card_chunks = -(-len(cards) // CARDS_PER_CHUNK)
    jobs = [
        ("terms", range(n, shard_count, SHARD_JOBS)) for n in range(min(SHARD_JOBS, shard_count))
    ]
    # The result cards are written here, where the cards are: a worker reading them would copy
    # the memory pages they are on (``columns.py``).
    card_jobs = [
        ("cards", range(n, card_chunks, CARD_JOBS)) for n in range(min(CARD_JOBS, card_chunks))
    ]
    try:
        done = parallel_map_beside(_write_index_files, jobs, card_jobs, desc="Search index")
        return set().union(*(used for _place, used in done))
    finally:
        _SHARDS.clear()


def _write_index_files(job: tuple[str, range]) -> set[str]:
    """Write some shards or some card files (runs in a worker process); returns the cache keys."""
    kind, numbers = job
    root: Path = _SHARDS["root"]  # type: ignore[assignment]
    cards: Sequence[Card] = _SHARDS["cards"]  # type: ignore[assignment]
    cache: BuildCache = _SHARDS["cache"]  # type: ignore[assignment]
    used = set()
    for number in numbers:
        data = _shard_bytes(number, len(cards)) if kind == "terms" else _card_bytes(number)
        used.add(
            _put(root / kind / f"{number}.{'bin' if kind == 'terms' else 'json'}", data, cache)
        )
    return used


def _shard_bytes(number: int, documents: int) -> bytes:
    postings: Postings = _SHARDS["postings"]  # type: ignore[assignment]
    by_shard: dict[int, list[str]] = _SHARDS["by_shard"]  # type: ignore[assignment]
    entries = (
        (term, array("I", sorted(set(postings[term])))) for term in sorted(by_shard.get(number, []))
    )
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

"""The per-chunk work of the pipeline, run in worker processes: reading a chunk of records (stages
1-2 and normalization) and rendering a chunk of pages (stages 4-5). Both take what they can from the
build cache (``cache.py``) and store what they compute.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.anonymize import PublicDetermination, anonymize, public_id
from generator.audit import KnownIdentifier, known_identifiers, screen_record
from generator.cache import BuildCache
from generator.cards import Card, card_of, determination_key
from generator.classify import DeterminationFacts, classify
from generator.crosslink import Group, RelatedCard, SiteIndex, related_places
from generator.exceptions import RecordProblem, WithheldRecord
from generator.exports import determination_entry, export_row, write_chunk
from generator.figures import GroupFigures
from generator.parallel import worker_context
from generator.records import RecordKey, case_key, parse_record_bytes
from generator.render import BodyRenderer, PageBody, Pager, listing_heading, listing_pages
from generator.search.index import (
    add_item_postings,
    determination_terms,
    document_number,
    result_rows,
)
from generator.search.parts import Postings, part_counts, write_part
from generator.store import INDEX_KEY_BYTES, index_key
from generator.theme import ThemeWriter
from generator.urls import Publication

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Classified:
    """A record's public form with what normalization and the search index need of it."""

    public: PublicDetermination
    facts: DeterminationFacts
    terms: str
    """Its search terms, one per line: one string pickles and loads far faster than a set."""
    source: str
    """The record's cache key: a hash of its file's bytes, the id secrets and the code, so of
    everything the public form and the facts are made from."""

    @cached_property
    def card(self) -> Card:
        """Its card, made when first asked for (by a render worker, for the export row and the
        page: those never pickle it)."""
        return card_of(self.public, self.facts)


@dataclass(frozen=True)
class ReadJob:
    number: int
    paths: tuple[str, ...]
    """The chunk's record files."""
    secret: str
    scratch_dir: str
    cache_root: str | None
    cache_fingerprint: str
    previous_secrets: tuple[str, ...] = ()
    trusted_before_ns: int = 0
    """A record file changed after this (2 s before the build started) is always read."""
    case_numbers: bool = False
    """Publish each record's case number (``Settings.show_case_numbers``)."""

    @property
    def keyed(self) -> tuple[str, ...]:
        """What, besides its files, makes the chunk's records what they become (cache keys)."""
        shown = ("case numbers shown",) if self.case_numbers else ()
        return (self.secret, *self.previous_secrets, *shown)

    @property
    def public_forms(self) -> Path:
        return Path(self.scratch_dir) / f"public-{self.number:06d}.pickle"


@dataclass(frozen=True)
class ChunkEntry:
    """A chunk's records as the build cache keeps them (one entry a chunk) and the build's
    store takes them in (``store.Store.add_chunk``)."""

    cards: tuple[Card, ...]
    keys: tuple[RecordKey, ...]
    """Which file became which public id (a record that became a determination)."""
    problems: tuple[RecordProblem, ...]
    identifiers: bytes
    """The records' declared identifiers, pickled (``identifiers_of``): for the leak audit."""
    sources: tuple[str, ...]
    """The records' cache keys (``Classified.source``), in the order of ``keys``."""
    withheld: tuple[WithheldRecord, ...] = ()
    """Records the leak audit's screen withheld (``audit.screen_record``): left out like invalid
    ones, listed with their file, public id and the kinds found."""
    chunk_key: str = ""
    cache_keys: frozenset[str] = frozenset()
    """The cache entries the chunk is kept in."""


@dataclass(frozen=True)
class ReadResult:
    """A chunk read (or found in the cache)."""

    job: ReadJob
    entry: ChunkEntry
    computed: int = 0
    """How many records were read afresh (the others came from the cache)."""
    statuses: bytes | None = None
    """A digest of the statuses of the chunk's files (``_statuses``), None if one changed too
    recently to be trusted."""
    unread: int = 0
    """Files not read at all: the chunk was found by their statuses."""


RACY_NS = 2_000_000_000
CHUNK_STATUS_FILE = "chunk-statuses.pickle"
"""In the build cache: for each chunk of the last build (by its files' paths, the id secrets and the
code), a digest of its files' statuses and its cache key, so that a chunk whose files still have
them is taken from the cache without reading them (as ``make`` and git trust a file's status). A
change time cannot be set back, and a file changed less than RACY_NS before a build is not
trusted."""
RECORD_INDEX_FILE = "record-index.pickle"
"""In the build cache: the chunk entry that holds each record (by its cache key) of the last build."""


@dataclass(frozen=True)
class RecordIndex:
    """What the last build left of its chunks (``save_record_index``): the chunk entry that holds
    each record, by its cache key (``index_key``), and each chunk's files' statuses with its
    entry's key, by ``_status_key``. The records stage's workers read it (``worker_context``)."""

    chunks: dict[bytes, str] = field(default_factory=dict)
    statuses: dict[bytes, tuple[bytes, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, cache: BuildCache) -> RecordIndex:
        return cls(_loaded_dict(cache, RECORD_INDEX_FILE), _loaded_dict(cache, CHUNK_STATUS_FILE))

    def is_new_chunk(self, cache: BuildCache, job: ReadJob) -> bool:
        """True when the last build had no chunk of these files (its records are likely read)."""
        return bool(cache.root) and _status_key(cache, job) not in self.statuses


def _loaded_dict(cache: BuildCache, name: str) -> dict[Any, Any]:
    data = cache.load_file(name)
    try:
        loaded = pickle.loads(data) if data is not None else None  # noqa: S301 - the build's own cache
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def save_record_index(
    cache: BuildCache,
    chunks: Iterable[tuple[ReadJob, str, bytes | None, Iterable[bytes]]],
) -> None:
    """Note which chunk entry holds each record, for the next build's changed chunks, and the
    statuses of each chunk's files. ``chunks``: each chunk's job, entry key (empty: not stored),
    files' statuses (``_statuses``) and records' keys (``index_key``)."""
    index: dict[bytes, str] = {}
    statuses: dict[bytes, tuple[bytes, str]] = {}
    for job, chunk_key, chunk_statuses, record_keys in chunks:
        if not chunk_key:
            continue
        index.update(dict.fromkeys(record_keys, chunk_key))
        if chunk_statuses is not None:
            statuses[_status_key(cache, job)] = (chunk_statuses, chunk_key)
    cache.store_file(RECORD_INDEX_FILE, pickle.dumps(index, PICKLE_PROTOCOL))
    cache.store_file(CHUNK_STATUS_FILE, pickle.dumps(statuses, PICKLE_PROTOCOL))


def _status_key(cache: BuildCache, job: ReadJob) -> bytes:
    key = cache.key("chunk statuses", *job.keyed, *job.paths)
    return bytes.fromhex(key[: 2 * INDEX_KEY_BYTES])


def _statuses(job: ReadJob) -> bytes | None:
    """A digest of the statuses of a chunk's files (each file's device, inode, size, modification
    and change times), or None if one changed too recently to be trusted. A digest of 16 bytes a
    chunk: the tuples of five integers took 250 bytes a record in the main process."""
    digest = hashlib.blake2b(digest_size=16)
    for path in job.paths:
        status = os.stat(path)  # noqa: PTH116 - a string path, 20,000 times per build
        if max(status.st_mtime_ns, status.st_ctime_ns) >= job.trusted_before_ns:
            return None
        fields = (
            status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns
        )  # fmt: skip
        digest.update(repr(fields).encode())  # (any size: inodes can be wider than 64 bits)
    return digest.digest()


def identifiers_of(pickled: bytes) -> tuple[KnownIdentifier, ...]:
    """A chunk's declared identifiers (``ReadResult.identifiers``)."""
    found: tuple[KnownIdentifier, ...] = pickle.loads(pickled)  # noqa: S301 - the build's own
    return found


@dataclass(frozen=True)
class CachedChunk:
    """A chunk found in the cache: its entry is passed on as it is and unpickled once, by the
    parent (``result``), instead of in the worker and again after crossing the pipe."""

    job: ReadJob
    entry: bytes
    statuses: bytes | None = None
    unread: int = 0

    def result(self) -> ReadResult:
        entry: ChunkEntry = pickle.loads(self.entry)  # noqa: S301 - the build's own cache
        return ReadResult(self.job, entry, statuses=self.statuses, unread=self.unread)


def read_records(job: ReadJob) -> ReadResult | CachedChunk:
    """Stages 1-2 and normalization for one chunk of record files (runs in a worker process).

    A chunk whose files are all unchanged is taken whole from the cache; in a changed chunk, each
    record that the last build read is taken from the chunk entry that held it
    (``RecordIndex``), so the cache holds one entry per chunk, not one per record."""
    previous: RecordIndex = worker_context()
    cache = BuildCache(Path(job.cache_root) if job.cache_root else None, job.cache_fingerprint)
    statuses = _statuses(job) if cache.root else None
    known = previous.statuses.get(_status_key(cache, job)) if statuses else None
    if known is not None and known[0] == statuses:
        found = _cached_chunk(job, cache, known[1], statuses, unread=len(job.paths))
        if found is not None:
            return found
    contents = [(path, Path(path).read_bytes()) for path in job.paths]
    chunk_key = cache.key("chunk", *job.keyed, *(part for pair in contents for part in pair))
    found = _cached_chunk(job, cache, chunk_key, statuses)
    if found is not None:
        return found
    forms_key = _forms_key(cache, chunk_key)
    read, computed, public_forms = _read_chunk(job, contents, _PreviousChunks(cache, previous))
    job.public_forms.write_bytes(public_forms)
    entry = replace(read, chunk_key=chunk_key, cache_keys=frozenset({chunk_key, forms_key}))
    cache.store("chunks", chunk_key, pickle.dumps(entry, PICKLE_PROTOCOL))
    cache.store_link("chunks", forms_key, job.public_forms, public_forms)
    return ReadResult(job, entry, computed=computed, statuses=statuses)


def _cached_chunk(
    job: ReadJob,
    cache: BuildCache,
    chunk_key: str,
    statuses: bytes | None,
    *,
    unread: int = 0,
) -> CachedChunk | None:
    """The chunk's entry, its public forms placed in the scratch folder; None if not cached."""
    cached = cache.load("chunks", chunk_key)
    if cached is None or not cache.place("chunks", _forms_key(cache, chunk_key), job.public_forms):
        return None
    return CachedChunk(job, cached, statuses, unread)


def _forms_key(cache: BuildCache, chunk_key: str) -> str:
    return cache.key("chunk public forms", chunk_key)


PICKLE_PROTOCOL = pickle.HIGHEST_PROTOCOL

Outcome = tuple[Classified, str, list[KnownIdentifier], tuple[str, ...]]
"""A record read: its classified public form, case key, declared identifiers and previous ids."""
Withheld = tuple[WithheldRecord, list[KnownIdentifier]]
"""A record the leak audit's screen withheld, and its declared identifiers (still audited)."""


def _read_chunk(
    job: ReadJob, contents: list[tuple[str, bytes]], previous: _PreviousChunks
) -> tuple[ChunkEntry, int, bytes]:
    """Every record of a chunk, each from the last build's chunks when its file is unchanged;
    returns the chunk's entry, how many records were read afresh and the public forms, pickled."""
    classified: list[Classified] = []
    keys: list[RecordKey] = []
    problems: list[RecordProblem] = []
    identifiers: list[KnownIdentifier] = []
    sources: list[str] = []
    withheld: list[WithheldRecord] = []
    computed = 0
    for path, raw in contents:
        source = previous.cache.key(*job.keyed, raw)
        outcome: Outcome | Withheld | list[RecordProblem] | None = previous.outcome(source)
        if outcome is None:
            outcome = _read_record(path, raw, job, source)
            computed += 1
        if isinstance(outcome, list):
            problems.extend(outcome)
            continue
        if isinstance(outcome[0], WithheldRecord):
            withheld.append(outcome[0])
            identifiers.extend(outcome[1])
            continue
        item, record_case_key, record_identifiers, previous_ids = outcome
        classified.append(item)
        sources.append(source)
        keys.append(RecordKey(path, item.public.public_id, record_case_key, previous_ids))
        identifiers.extend(record_identifiers)
    cards = tuple(card_of(c.public, c.facts) for c in classified)
    entry = ChunkEntry(
        cards, tuple(keys), tuple(problems), pickle.dumps(tuple(identifiers), PICKLE_PROTOCOL),
        tuple(sources), tuple(withheld),
    )  # fmt: skip
    return entry, computed, pickle.dumps(classified, protocol=PICKLE_PROTOCOL)


class _PreviousChunks:
    """Records of the last build, from the chunk entries that hold them (each loaded once)."""

    def __init__(self, cache: BuildCache, index: RecordIndex) -> None:
        self.cache = cache
        self.index = index
        self.loaded: dict[str, dict[str, Outcome]] = {}

    def outcome(self, source: str) -> Outcome | None:
        chunk_key = self.index.chunks.get(index_key(source))
        if chunk_key is None or self.cache.root is None:
            return None
        if chunk_key not in self.loaded:
            self.loaded[chunk_key] = self._load(chunk_key)
        return self.loaded[chunk_key].get(source)

    def _load(self, chunk_key: str) -> dict[str, Outcome]:
        fields = self.cache.load("chunks", chunk_key)
        forms = self.cache.load("chunks", _forms_key(self.cache, chunk_key))
        if fields is None or forms is None:
            return {}
        entry: ChunkEntry = pickle.loads(fields)  # noqa: S301 - the build's own cache
        classified: list[Classified] = pickle.loads(forms)  # noqa: S301 - the build's own cache
        owned: dict[str, list[KnownIdentifier]] = {}
        for ident in identifiers_of(entry.identifiers):
            owned.setdefault(ident.determination, []).append(ident)
        return {
            item.source: (item, key.case_key, owned.get(key.public_id, []), key.previous_ids)
            for item, key in zip(classified, entry.keys, strict=True)
        }


def _read_record(
    path: str, raw: bytes, job: ReadJob, source: str
) -> Outcome | Withheld | list[RecordProblem]:
    parsed = parse_record_bytes(path, raw)
    if isinstance(parsed, list):
        return parsed
    secret = job.secret
    public = anonymize(parsed, secret, case_numbers=job.case_numbers)
    identifiers = known_identifiers([parsed], secret, published_case_numbers=job.case_numbers)
    withheld = screen_record(parsed, public, path)
    if withheld is not None:
        return withheld, identifiers
    facts = classify(public)
    item = Classified(public, facts, determination_terms(public, facts), source)
    case = parsed.meta.case_number
    previous_ids = tuple(public_id(case, old) for old in job.previous_secrets)
    return item, case_key(case), identifiers, previous_ids


NAMED_BY_FIGURES = ("treatments/", "guidelines/")
"""The folders of the groups a group's own page names from its figures (``render._group_context``)."""


@dataclass(frozen=True)
class RenderState:
    """What every render job shares (``parallel.worker_context``)."""

    index: SiteIndex
    renderer: BodyRenderer
    writer: ThemeWriter
    publication: Publication
    cache: BuildCache
    first_items: array[int] = field(repr=False)
    """The search document number of each determination's first item, by its place
    (``search.index.first_item_documents``)."""

    @cached_property
    def group_titles(self) -> str:
        """The page key and title of every group a group's own page may name besides its parent
        (its most cited treatments, guidelines and sections): a new group of another kind (a
        year, a specialty) leaves the own pages' keys as they were."""
        named = (key for key in self.index.groups_by_key if key.startswith(NAMED_BY_FIGURES))
        return repr(sorted((key, self.index.groups_by_key[key].title) for key in named))


@dataclass(frozen=True)
class RenderJob:
    kind: str  # "determinations" (a scratch file of public forms) or "group" (a group's page key)
    source: str
    chunk: int = 0
    """For determinations: the chunk of records the scratch file holds the public forms of."""


@dataclass(frozen=True)
class RenderResult:
    page_urls: tuple[str, ...]
    term_counts: bytes = b""
    """How many of the chunk's documents hold each term, pickled (``parts.add_counts``); empty
    for listing pages."""
    search_part: Path | None = None
    """The chunk's search postings (``parts.py``); None for listing pages."""
    export_part: Path | None = None
    cache_keys: frozenset[str] = frozenset()
    rendered: int = 0
    """How many of the pages were rendered (the others came from the cache)."""


def render_job(job: RenderJob) -> RenderResult:
    """Render and write one job's pages: a chunk of determinations in a worker process, a group
    (its listing pages and figures, read from the store) in the main process meanwhile
    (``parallel_map_beside``)."""
    state: RenderState = worker_context()
    if job.kind == "group":
        return _render_group(state, state.index.groups_by_key[job.source])
    return _render_determinations(job, state)


def _render_group(state: RenderState, group: Group) -> RenderResult:
    """A group's listing pages, each looked up in the cache by what it shows (``_listing_key``)
    and rendered only when missing: its figures (``figures.GroupFigures.count``, over all its
    items) are counted only when its own page is."""
    pagers = listing_pages(group.page_key, len(group.places))
    used: set[str] = set()
    missing: list[Pager] = []
    keys: dict[str, str | None] = {}
    for pager in pagers:
        key = _listing_key(state, group, pager)
        if key and state.cache.place("pages", key, _page_path(state, pager.key)):
            used.add(key)
        else:
            missing.append(pager)
            keys[pager.key] = key
    figures = None
    if any(pager.number == 0 for pager in missing):
        figures = GroupFigures.count(group)
    for body in state.renderer.group_pages(group, state.index, missing, figures):
        used.add(_write_page(state, body, keys[body.key])[0])
    urls = tuple(state.renderer.urls.url(pager.key) for pager in pagers)
    return RenderResult(urls, cache_keys=frozenset(used), rendered=len(missing))


def _listing_key(state: RenderState, group: Group, pager: Pager) -> str | None:
    """The cache key of a listing page, from everything it shows: the group's title and parent,
    its place in the listing and its rows (each by its record's cache key, which covers the
    card); for the group's own page, whose figures count all its items, every record of the group
    and the titles of the groups it may name. None without a cache."""
    if state.cache.root is None:
        return None
    index = state.index
    parent = group.parent_key if group.parent_key and index.has_page(group.parent_key) else None
    shown = (
        group.kind, group.slug, group.title, group.description, parent,
        index.groups_by_key[parent].title if parent else None, listing_heading(group, pager),
        pager.key, pager.first_row, pager.last_row, pager.newer_key, pager.older_key,
    )  # fmt: skip
    if pager.number == 0:
        own = index.store.sources(group.places)
        return state.cache.key("group page", repr(shown), own, state.group_titles)
    rows = index.store.sources(group.places[pager.start : pager.end])
    return state.cache.key("listing page", repr(shown), rows)


def _page_path(state: RenderState, key: str) -> Path:
    return state.writer.path_of(PageBody(key, "", ""))


def _render_determinations(job: RenderJob, state: RenderState) -> RenderResult:
    """The pages of one chunk of determinations, with their search postings and export rows.

    With a cache, an unchanged chunk's postings and export rows come from it, and the chunk's
    public forms are loaded only if one of its pages has to be rendered."""
    scratch = Path(job.source)
    forms = _PublicForms(scratch)
    export_part, search_part = scratch.with_suffix(".export"), scratch.with_suffix(".search")
    placed = state.index.store.query(
        "SELECT place, public_id FROM site WHERE chunk = ? ORDER BY seq", job.chunk
    )
    places, ids = [place for place, _ in placed], [public_id for _, public_id in placed]
    urls = tuple(state.renderer.urls.url(determination_key(card_id)) for card_id in ids)
    targets = (search_part, export_part)
    used, counts = _search_and_export(state, places, ids, urls, forms, targets)
    rendered = 0
    for card_id, place in zip(ids, places, strict=True):
        key, was_rendered = _write_determination(state, card_id, place, forms)
        used.add(key)
        rendered += was_rendered
    return RenderResult(urls, counts, search_part, export_part, frozenset(used), rendered)


class _PublicForms:
    """A chunk's public forms (``Classified``) by public id, loaded when first asked for."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.by_id: dict[str, Classified] | None = None

    def __getitem__(self, card_id: str) -> Classified:
        if self.by_id is None:
            classified: list[Classified] = pickle.loads(self.scratch.read_bytes())  # noqa: S301 - our own scratch file
            self.by_id = {item.public.public_id: item for item in classified}
        return self.by_id[card_id]


def _search_and_export(
    state: RenderState,
    places: Sequence[int],
    ids: Sequence[str],
    site_urls: Sequence[str],
    forms: _PublicForms,
    targets: tuple[Path, Path],
) -> tuple[set[str], bytes]:
    """A chunk's search postings and its export rows, written to ``targets`` (a part file of
    ``parts.py`` and an export chunk), both by search document number; from the cache when its
    records, their URLs and their document numbers are those of a chunk of the last build
    (documents are numbered oldest first, so newer determinations leave them as they were).
    Returns the cache keys used and the chunk's term counts (pickled)."""
    cache, absolute = state.cache, state.publication.absolute
    search_part, export_part = targets
    urls = [absolute(url) for url in site_urls]
    count = len(state.index.item_counts)
    documents = [document_number(place, count) for place in places]
    items = [state.first_items[place] for place in places]
    key = ""
    if cache.root is not None:
        sources = state.index.store.sources(places)
        key = cache.key("search and export", sources, repr(urls), repr(documents), repr(items))
        if cache.place("chunks", key + "p", search_part) and cache.place(
            "chunks", key + "e", export_part
        ):
            return {key + "p", key + "e"}, part_counts(search_part)
    postings: Postings = {}
    rows: list[tuple[int, str]] = []
    results: list[tuple[int, str]] = []
    for card_id, url, site_url, document, first_item in zip(
        ids, urls, site_urls, documents, items, strict=True
    ):
        item = forms[card_id]
        add_item_postings(postings, first_item, item.terms)
        results += result_rows(first_item, item.public, item.card, site_url)
        rows.append(export_row(document, determination_entry(item.public, item.card, url)))
    write_chunk(export_part, rows)
    search_part.unlink(missing_ok=True)  # never write through a link to a cache entry
    counts = write_part(search_part, postings, results)
    if not key:
        return set(), counts
    cache.store_link("chunks", key + "p", search_part)
    cache.store_link("chunks", key + "e", export_part)
    return {key + "p", key + "e"}, counts


def _write_determination(
    state: RenderState, card_id: str, place: int, forms: _PublicForms
) -> tuple[str, bool]:
    """A determination page from the cache when nothing it shows has changed, else rendered.

    Its key holds everything the page shows: the record (by its cache key, which covers the public
    form and the card), its year, its related determinations and which of its guideline sections
    have pages. Without a cache nothing is looked up.
    """
    index, cache = state.index, state.cache
    related = index.related_cards(related_places(index.store, place))
    if cache.root is None:
        _write_framed(state, _determination_page(state, forms[card_id], related), "")
        return "", True
    # Related determinations by their records' cache keys, which cover their ids, titles, years.
    related_sources = b"".join([other.source for other in related])
    year = index.year_group(index.year(place))
    shown = "\n".join([year.page_key, year.title, *index.sections(index.store.card(place))])
    key = cache.key("determination", index.store.source(place), related_sources, shown)
    # A string path, not a Path: twenty thousand of these per build. A determination's page key
    # is safe by construction (its id is base32), so the writer's check of keys is not needed.
    target = (
        f"{state.writer.site_dir}/{state.renderer.urls.output_path(determination_key(card_id))}"
    )
    if cache.place("pages", key, target):
        return key, False
    _write_framed(state, _determination_page(state, forms[card_id], related), key)
    return key, True


def _determination_page(
    state: RenderState, form: Classified, related: Sequence[RelatedCard]
) -> PageBody:
    """A determination's page body, its card made again from its public form."""
    return state.renderer.determination(form.public, form.card, state.index, related)


def _write_page(state: RenderState, body: PageBody, key: str | None = None) -> tuple[str, bool]:
    """Frame a body in the theme (or take the framed page from the cache) and write it; returns
    its cache key (by default made from the body) and whether it was framed afresh."""
    if state.cache.root is None:
        _write_framed(state, body, "")
        return "", True
    if key is not None:  # looked up already by what the page shows, and missing
        _write_framed(state, body, key)
        return key, True
    toc = repr([entry.token() for entry in body.toc])
    key = state.cache.key(body.key, body.title, toc, body.html)
    if state.cache.place("pages", key, state.writer.path_of(body)):
        return key, False
    _write_framed(state, body, key)
    return key, True


def _write_framed(state: RenderState, body: PageBody, key: str) -> None:
    """Frame a body in the theme, write it and keep it in the cache under ``key``."""
    data = state.writer.page_bytes(body)
    target = state.writer.path_of(body)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # never write through a link to a cache entry
    target.write_bytes(data)
    state.cache.store_link("pages", key, target, data)

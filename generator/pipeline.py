"""The recipe: records to a finished, audited site. Each stage is one module; this file only orders
them. Per-chunk work runs on every core (``stages.py``), the working data is in the build's store
(``store.py``) and ``docs/architecture.md`` draws the whole.

    1. records     read every record file and validate it against the schema (all problems, abort once)
    2. anonymize   the public form of each record: no case number, no full dates, age banded
       normalize   canonical treatments, resolved guideline citations, diagnosis groups
    3. crosslink   the site's order, its items, group memberships and relations (store tables)
    4. render      body HTML of every generated page from the Jinja2 templates
    5. theme       MkDocs builds its own pages; determination and listing pages are framed by the
                   same theme on all cores (``theme.py``)
    6. search      the static search index (``search/index.py``)
    7. exports     data exports, sitemaps, robots.txt and the feed
    8. audit       every output file is read back and checked for identifiers

MkDocs drives the run through the ``imr`` plugin (``plugin.py``): stages 1-3 in ``on_pre_build``
(``prepare_site_kept``), stages 4-8 in ``on_post_build`` (``render_site_apart``,
``audit_built_site``), so plain ``mkdocs build`` and ``imr-site build`` run the same recipe. Stages
1-3 and 4-7 each run in a forked child process; the prepared site passes from one to the other in
a scratch file, so the main process, from which the leak audit's workers are forked, never holds
it.
"""

from __future__ import annotations

import logging
import os
import pickle
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Generic, TypeVar

from generator.audit import SITE_WIDE, PickledIdentifiers, audit_site, owner_of, write_leak_report
from generator.cache import BuildCache, fingerprint
from generator.cards import determination_key
from generator.crosslink import SiteIndex, build_index
from generator.discovery import write_discovery_files
from generator.exceptions import (
    InvalidRecordsError,
    LeakError,
    RecordProblem,
    WithheldError,
    WithheldRecord,
)
from generator.exports import ExportFile, export_files, write_exports
from generator.groups import GROUP_FOLDERS
from generator.parallel import parallel_map, parallel_map_beside, run_apart, stable_chunks
from generator.publish import adopt_folder, adopt_subfolders, remove_unlisted, remove_unwritten
from generator.records import record_paths
from generator.redirects import write_redirects
from generator.render import BodyRenderer
from generator.report import BuildReport, build_report
from generator.search.index import SearchParts, first_item_documents, write_search_index
from generator.search.parts import add_counts
from generator.settings import RECORDS_PER_JOB, Settings
from generator.stages import (
    RACY_NS,
    ReadJob,
    ReadResult,
    RecordIndex,
    RenderJob,
    RenderResult,
    RenderState,
    read_records,
    render_job,
    save_record_index,
)
from generator.store import Store, StoredIdentifiers
from generator.theme import FRAMES_FOLDER, ThemeWriter, saved_frames
from generator.urls import Publication

__all__ = [
    "BuildSummary",
    "KeptSite",
    "PreparedSite",
    "RenderedSite",
    "audit_built_site",
    "prepare_site_kept",
    "render_site",
    "render_site_apart",
]

log = logging.getLogger(__name__)

DETERMINATIONS = "determinations"
"""The folder of the determination pages (page keys ``determinations/<id>``)."""
SPARE_FOLDERS = (DETERMINATIONS, *GROUP_FOLDERS)
"""What a rebuild takes from the site before last (``render_site``)."""


@dataclass(frozen=True)
class PreparedSite:
    """The outcome of stages 1-3: the index (its tables in the build's store), full public forms
    in scratch files."""

    index: SiteIndex
    public_form_files: tuple[Path, ...]
    """Each chunk's public forms (``stages.ReadJob.public_forms``), by chunk number."""
    records_read: int
    rejected: tuple[RecordProblem, ...] = ()
    """With keep_going: the problems of the records left out."""
    redirects: tuple[tuple[str, str], ...] = ()
    """(previous id, current id) of every published determination, for rotated id secrets."""
    report: BuildReport = field(default_factory=lambda: build_report(()))
    """What normalization could not place (made with the index: it reads every card)."""
    withheld: tuple[WithheldRecord, ...] = ()
    """Records the leak audit withheld from the whole site."""
    leak_report: str = ""
    """The private report of what was withheld and why (never in the site)."""

    @property
    def store(self) -> Store:
        return self.index.store

    def known_identifiers(self) -> PickledIdentifiers:
        """Every identifier the records declare, for the leak audit."""
        return PickledIdentifiers(StoredIdentifiers(self.store))

    def summary(self) -> BuildSummary:
        return BuildSummary(
            self.records_read, len(self.index.cards), self.rejected, self.report,
            self.withheld, self.leak_report,
        )  # fmt: skip


@dataclass(frozen=True)
class BuildSummary:
    """What the command line reports of a build, kept once the index is let go."""

    records_read: int
    determinations: int
    """Determinations published."""
    rejected: tuple[RecordProblem, ...]
    report: BuildReport
    withheld: tuple[WithheldRecord, ...] = ()
    """Determinations the leak audit withheld (``imr-site build`` exits 3 when there are any)."""
    leak_report: str = ""

    @property
    def rejected_files(self) -> tuple[str, ...]:
        return tuple(sorted({problem.file for problem in self.rejected}))


T = TypeVar("T")


@dataclass(frozen=True)
class KeptSite(Generic[T]):
    """A prepared site kept pickled in a scratch file, and what the main process needs of it
    while MkDocs builds (``prepare_site_kept``): the main process never holds the index, which
    is read back by the process that renders (``render_site_apart``)."""

    summary: BuildSummary
    identifiers: PickledIdentifiers
    synthetic_count: int
    """How many of the determinations come from synthetic records."""
    extra: T
    """What the caller asked to have made from the prepared site (``prepare_site_kept``)."""
    path: Path
    """The pickled prepared site."""

    def load(self) -> PreparedSite:
        with self.path.open("rb") as file:
            site: PreparedSite = pickle.load(file)  # noqa: S301 - written by this build
        return site


@dataclass(frozen=True)
class RenderedSite:
    """What the main process needs once the pages are written (``render_site_apart``)."""

    pages_written: int
    store: Store
    """The build's store: the cache entries the build used (the others are pruned after the
    audit) are in its ``used_keys``."""


_MACOS = sys.platform == "darwin"
"""ru_maxrss is in bytes on macOS, KiB on Linux."""


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Log how long a stage took (shown with ``imr-site -v``)."""
    started = time.perf_counter()
    yield
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1 << 20 if _MACOS else 1 << 10)
    log.debug("%-28s %6.2f s (main process peak %d MB)", stage, time.perf_counter() - started, peak)


def prepare_site_kept(
    settings: Settings, scratch_dir: Path, extra: Callable[[PreparedSite], T]
) -> KeptSite[T]:
    """Stages 1-3: records in, cards and listings out; raises InvalidRecordsError naming every
    problem.

    They run in a child process (``parallel.run_apart``), which keeps the prepared site in a
    scratch file: the main process gets its summary, its identifiers (by file name) and
    ``extra(site)`` (made in the child: MkDocs' own pages need a few figures of the index), not
    the index itself. The many objects the records stage and cross-linking make and let go on the
    way go with the child; kept in this process, they would stay in its memory (and in every
    worker forked from it for rendering and the audit) to the end of the build."""
    return run_apart(_prepare_and_keep, settings, scratch_dir, extra, scratch=scratch_dir)


def _prepare_and_keep(
    settings: Settings, scratch_dir: Path, extra: Callable[[PreparedSite], T]
) -> KeptSite[T]:
    site = prepare_site_here(settings, scratch_dir)
    handle, name = tempfile.mkstemp(dir=scratch_dir, prefix="prepared-", suffix=".pickle")
    with os.fdopen(handle, "wb") as file:
        pickle.dump(site, file, protocol=pickle.HIGHEST_PROTOCOL)
    return KeptSite(
        site.summary(), site.known_identifiers(), site.index.synthetic_count, extra(site),
        Path(name),
    )  # fmt: skip


def prepare_site_here(settings: Settings, scratch_dir: Path) -> PreparedSite:
    """Stages 1-3 in this process (``prepare_site_kept``)."""
    paths = record_paths(settings.content_dir)
    records_read = len(paths)
    cache_root = str(settings.cache_dir) if settings.cache_dir else None
    code = fingerprint()
    trusted_before_ns = time.time_ns() - RACY_NS
    keyed = (settings.id_secret, str(scratch_dir), cache_root, code, settings.previous_id_secrets)
    jobs = [
        ReadJob(number, tuple(chunk), *keyed, trusted_before_ns, settings.show_case_numbers)
        for number, chunk in enumerate(stable_chunks(paths, RECORDS_PER_JOB))
    ]
    store = Store.create(scratch_dir)
    cache = BuildCache(settings.cache_dir, code)
    # 1-2. Records: read, validate, anonymize and normalize on every core (or take them from the
    # cache); full public forms go to scratch files, the rest of each chunk's result to the store.
    with timed("records"):
        computed, unread = _read_all_records(jobs, cache, store)
    log.debug("Records: %d read afresh, %d from the cache", computed, records_read - computed)
    log.debug("Record files: %d not read (unchanged since the last build)", unread)
    problems = store.problems()
    if problems and not settings.keep_going:
        raise InvalidRecordsError(problems, records_checked=records_read)
    withheld = store.withheld()
    if settings.withhold:
        withheld += store.withheld_ids(settings.withhold, "identifying text in the built site")
    report = write_leak_report(settings.cache_dir, withheld, ()) if withheld else ""
    if withheld and settings.strict:
        raise WithheldError(withheld, report)
    excluded = store.ids_of_files(problem.file for problem in problems) | settings.withhold
    store.publish(excluded)
    # 3. Cross-link: the groups every listing, guideline and treatment page shows.
    with timed("crosslink"):
        index = build_index(store)
    return PreparedSite(
        index=index,
        public_form_files=tuple(job.public_forms for job in jobs),
        records_read=records_read,
        rejected=tuple(sorted(problems)),
        redirects=store.redirects(),
        report=build_report(index.cards),
        withheld=withheld,
        leak_report=report,
    )


def _read_all_records(jobs: Sequence[ReadJob], cache: BuildCache, store: Store) -> tuple[int, int]:
    """Every chunk's records into the store; returns how many were read afresh and how many
    files were not read at all (found unchanged by their statuses)."""
    previous = RecordIndex.load(cache)
    computed = unread = 0
    # Chunks the last build did not have go first: a worker reads their records while the other
    # chunks come from the cache.
    first = sorted(jobs, key=lambda job: not previous.is_new_chunk(cache, job))
    reading = parallel_map(
        read_records, first, desc="Reading records", ordered=False, context=previous
    )
    for found in reading:
        result = found if isinstance(found, ReadResult) else found.result()
        store.add_chunk(result)
        computed, unread = computed + result.computed, unread + result.unread
    save_record_index(
        cache,
        (
            (jobs[chunk], chunk_key, statuses, sources)
            for chunk, chunk_key, statuses, sources in store.chunk_entries()
        ),
    )
    return computed, unread


def render_site(
    prepared: PreparedSite,
    renderer: BodyRenderer,
    writer: ThemeWriter,
    publication: Publication,
    page_cache: BuildCache,
    *,
    spare: Path | None = None,
) -> int:
    """Stages 4-7 for the generated pages outside MkDocs' own; returns the number of pages written.

    With ``spare`` (the site before last), its determination and group pages are moved in first:
    those that have not changed are kept where they are instead of being written again (and their
    folders are not made again: thousands of them)."""
    index, store, site_dir = prepared.index, prepared.store, writer.site_dir
    adopted = adopt_folder(spare, site_dir, DETERMINATIONS)
    adopted_groups = [
        moved for folder in GROUP_FOLDERS for moved in adopt_subfolders(spare, site_dir, folder)
    ]
    state = RenderState(
        index=index, renderer=renderer, writer=writer, publication=publication,
        cache=page_cache, first_items=first_item_documents(index.item_counts),
    )  # fmt: skip
    # 4-5. Render every generated page into the theme (or copy it from the cache), gathering
    # search postings and export rows on the way: determinations on the workers, groups here.
    with timed("render pages"):
        pages = _render_pages(state, prepared)
    page_urls = [*publication.mkdocs_page_urls, *pages.urls]
    # 6. Search: the static index the search page queries.
    with timed("search index"):
        search = SearchParts(pages.search_parts, pages.term_counts)
        used = write_search_index(
            site_dir, index.item_counts, search, index.search_facets, page_cache
        )
        store.add_used_keys(used)
    # 7. Exports: data exports, sitemaps, robots.txt and the feed.
    with timed("exports, sitemap, feed"):
        url_of = renderer.urls.url
        files = export_files(index.years_column, index.item_counts)
        keys = _export_keys(
            prepared, files, page_cache, lambda key: publication.absolute(url_of(key))
        )
        store.add_used_keys(write_exports(site_dir, pages.export_parts, files, page_cache, keys))
        write_redirects(writer, renderer.urls, prepared.redirects)
        if adopted:
            _remove_unwritten_determinations(writer, prepared)
        if adopted_groups:
            _remove_unwritten_group_pages(writer, page_urls, adopted_groups)
        latest = [(card, url_of(card.page_key)) for card in index.latest]
        write_discovery_files(
            site_dir, publication.site_url, page_urls, latest, publication.site_name
        )
    return len(pages.urls)


@dataclass(frozen=True)
class RenderedPages:
    """What rendering the pages gathered for the later stages."""

    urls: list[str]
    """Of every generated page, in job order."""
    search_parts: tuple[Path, ...]
    """Each chunk's search postings (``search/parts.py``)."""
    term_counts: dict[str, int]
    export_parts: list[Path]
    """Each chunk's export rows."""


def _render_pages(state: RenderState, prepared: PreparedSite) -> RenderedPages:
    """Every determination page (a job a chunk, on the workers) and group page (here meanwhile)."""
    jobs = [  # a job for each scratch file of public forms (a chunk of records)
        RenderJob("determinations", str(path), chunk)
        for chunk, path in enumerate(prepared.public_form_files)
    ]
    group_jobs = [RenderJob("group", group.page_key) for group in prepared.index.groups()]
    term_counts: dict[str, int] = {}
    results: dict[int, RenderResult] = {}
    rendering = parallel_map_beside(
        render_job, jobs, group_jobs, desc="Rendering pages", context=state
    )
    for place, result in rendering:  # each chunk's term counts merged as it comes
        if result.search_part:
            add_counts(term_counts, result.term_counts)
        prepared.store.add_used_keys(result.cache_keys)
        results[place] = replace(result, term_counts=b"", cache_keys=frozenset())
    in_order = [results[place] for place in sorted(results)]
    rendered = sum(result.rendered for result in in_order)
    urls = [url for result in in_order for url in result.page_urls]
    log.debug("Pages: %d rendered, %d from the cache", rendered, len(urls) - rendered)
    return RenderedPages(
        urls=urls,
        search_parts=tuple(r.search_part for r in in_order if r.search_part),
        term_counts=term_counts,
        export_parts=[r.export_part for r in in_order if r.export_part],
    )


def render_site_apart(
    kept: KeptSite[T],
    renderer: BodyRenderer,
    writer: ThemeWriter,
    publication: Publication,
    page_cache: BuildCache,
    scratch_dir: Path,
    *,
    spare: Path | None = None,
) -> RenderedSite:
    """``render_site`` in a child process that reads the kept site back: what rendering holds
    (the index, the URLs and keys it gathers) and frees goes with it, so the leak audit's workers
    are forked from a process that never held any of it."""
    args = (kept, renderer, writer, publication, page_cache, spare)
    return run_apart(_load_and_render, *args, scratch=scratch_dir)


def _load_and_render(
    kept: KeptSite[T],
    renderer: BodyRenderer,
    writer: ThemeWriter,
    publication: Publication,
    page_cache: BuildCache,
    spare: Path | None,
) -> RenderedSite:
    site = kept.load()
    pages = render_site(site, renderer, writer, publication, page_cache, spare=spare)
    return RenderedSite(pages, site.store)


def _export_keys(
    prepared: PreparedSite,
    files: Sequence[ExportFile],
    cache: BuildCache,
    absolute_url: Callable[[str], str],
) -> list[str]:
    """The cache key of each export file: its records (by their cache keys) and their URLs (from
    the page keys: ``absolute_url``)."""
    if cache.root is None:
        return []
    store = prepared.store
    keys = []
    for file in files:
        rows = store.query(
            "SELECT source, public_id FROM site WHERE place >= ? AND place < ? ORDER BY place",
            file.start, file.end,
        )  # fmt: skip
        records = b"".join([source for source, _ in rows])
        urls = "\n".join([absolute_url(determination_key(public_id)) for _, public_id in rows])
        keys.append(cache.key("export", file.json_path, records, urls))
    return keys


def _remove_unwritten_determinations(writer: ThemeWriter, prepared: PreparedSite) -> None:
    """Remove what the adopted determinations folder holds that this build did not write."""
    folder = writer.site_dir / DETERMINATIONS
    ids = prepared.store.column("SELECT public_id FROM site")
    keys = [determination_key(public_id) for public_id in ids]
    keys += [f"{DETERMINATIONS}/{previous}" for previous, _current in prepared.redirects]
    prefix = len(f"{DETERMINATIONS}/")  # every key below: the name of its entry in the folder
    names = {writer.urls.output_path(key)[prefix:].partition("/")[0] for key in keys}
    log.debug(
        "Reused the site before last: %d stale entries removed", remove_unlisted(folder, names)
    )


def _remove_unwritten_group_pages(
    writer: ThemeWriter, page_urls: Sequence[str], adopted: Sequence[str]
) -> None:
    """Remove what the adopted group folders hold that this build did not write (``page_urls``:
    the URLs of the pages it wrote)."""
    written = {writer.urls.output_path_of_url(url) for url in page_urls}
    removed = remove_unwritten(writer.site_dir, adopted, written)
    log.debug(
        "Reused %d group folders of the site before last: %d stale files", len(adopted), removed
    )


def audit_built_site(
    site_dir: Path,
    identifiers: PickledIdentifiers,
    cache: BuildCache,
    settings: Settings,
    hand_written: frozenset[str] = frozenset(),
    scratch: Path | None = None,
) -> None:
    """Stage 8: fail if any output file holds identifying text: an identifier a record declares
    (``PreparedSite.known_identifiers``) or one the audit's detectors find. The error names the
    determinations a second build could withhold (``LeakError.withholdable``) unless a finding
    belongs to no determination or the build is strict."""
    with timed("leak audit"):
        frames = saved_frames(scratch / FRAMES_FOLDER) if scratch is not None else []
        findings = audit_site(
            site_dir, identifiers, cache, hand_written=hand_written, scratch=scratch, frames=frames
        )
    if findings:
        report = write_leak_report(settings.cache_dir, (), findings)
        error = LeakError(findings, report)
        owners = {f.determination for f in findings} | {owner_of(f.output_file) for f in findings}
        owners.discard(SITE_WIDE)
        if not settings.strict and all(f.determination != SITE_WIDE for f in findings):
            error.withholdable = frozenset(owners)
        raise error
    log.debug("Leak audit: 0 findings in %s", site_dir)

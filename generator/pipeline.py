"""The recipe: records to a finished, audited site. Each stage is one module; this file only orders
them and spreads the per-record work over every core.

    1. records     read every record file and validate it against the schema (all problems, abort once)
    2. anonymize   the public form of each record: no case number, no full dates, age banded
    3. crosslink   group and order the determinations' cards for the listings
    4. render      body HTML of every generated page from the Jinja2 templates
    5. theme       MkDocs builds its own pages; determination and listing pages are framed by the
                   same theme on all cores (``theme.py``)
    6. search      the static search index (``search/index.py``), terms gathered while rendering
    7. audit       every output file is read back and checked for known identifiers

MkDocs drives the run through the ``imr`` plugin (``plugin.py``): stages 1-3 in ``on_pre_build``
(``prepare_site``), stages 4-7 in ``on_post_build`` (``render_site``, ``audit_built_site``), so plain
``mkdocs build`` and ``imr-site build`` run the same recipe.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from generator.anonymize import PublicDetermination, anonymize
from generator.audit import KnownIdentifier, audit_site, known_identifiers
from generator.cards import Card, card_of
from generator.classify import DeterminationFacts, classify
from generator.crosslink import SiteIndex, build_index
from generator.discovery import write_discovery_files
from generator.exceptions import InvalidRecordsError, LeakError, RecordProblem
from generator.exports import determination_entry, write_chunk, write_exports
from generator.parallel import chunked, parallel_map
from generator.records import find_record_files, parse_record_file
from generator.render import BodyRenderer
from generator.search.index import (
    Postings,
    add_postings,
    document_terms,
    merge_postings,
    write_search_index,
)
from generator.theme import ThemeWriter

log = logging.getLogger(__name__)

RECORDS_PER_JOB = 250


@dataclass(frozen=True)
class Settings:
    """What a build needs beyond mkdocs.yml: where records and templates are, and the id secret."""

    content_dir: Path
    templates_dir: Path
    id_secret: str
    leak_audit: bool = True
    keep_going: bool = False
    """Publish the valid records and list the invalid ones, instead of aborting."""


@dataclass(frozen=True)
class RecordKey:
    """Which file became which public id, and a hash of its normalized case number."""

    source: str
    public_id: str
    case_key: str


@dataclass(frozen=True)
class ReadJob:
    number: int
    paths: tuple[str, ...]
    secret: str
    scratch_dir: str

    @property
    def public_forms(self) -> Path:
        return Path(self.scratch_dir) / f"public-{self.number:06d}.pickle"


@dataclass(frozen=True)
class ReadResult:
    job: ReadJob
    cards: tuple[Card, ...]
    keys: tuple[RecordKey, ...]
    problems: tuple[RecordProblem, ...]
    identifiers: tuple[KnownIdentifier, ...]


@dataclass(frozen=True)
class PreparedSite:
    """The outcome of stages 1-3: cards in memory, full public forms in scratch files."""

    index: SiteIndex
    identifiers: tuple[KnownIdentifier, ...]
    public_form_files: tuple[Path, ...]
    records_read: int
    rejected: tuple[RecordProblem, ...] = ()
    """With keep_going: the problems of the records left out."""
    excluded_ids: frozenset[str] = frozenset()

    @property
    def rejected_files(self) -> tuple[str, ...]:
        return tuple(sorted({problem.file for problem in self.rejected}))


def prepare_site(settings: Settings, scratch_dir: Path) -> PreparedSite:
    """Stages 1-3: records in, cards and listings out; raises InvalidRecordsError naming every problem."""
    paths = [str(path) for path in find_record_files(settings.content_dir)]
    jobs = [
        ReadJob(number, tuple(chunk), settings.id_secret, str(scratch_dir))
        for number, chunk in enumerate(chunked(paths, RECORDS_PER_JOB))
    ]
    # 1-2. Records: read, validate and anonymize on every core; full public forms go to scratch.
    results = list(parallel_map(read_records, jobs, desc="Reading records"))
    keys = [key for result in results for key in result.keys]
    problems = [problem for result in results for problem in result.problems]
    problems += duplicate_case_problems(keys)
    if problems and not settings.keep_going:
        raise InvalidRecordsError(problems, records_checked=len(paths))
    rejected_sources = {problem.file for problem in problems}
    excluded = frozenset(key.public_id for key in keys if key.source in rejected_sources)
    # 3. Cross-link: listings by year and the latest determinations.
    cards = [card for result in results for card in result.cards if card.public_id not in excluded]
    return PreparedSite(
        index=build_index(cards),
        identifiers=tuple(ident for result in results for ident in result.identifiers),
        public_form_files=tuple(job.public_forms for job in jobs),
        records_read=len(paths),
        rejected=tuple(sorted(problems)),
        excluded_ids=excluded,
    )


def read_records(job: ReadJob) -> ReadResult:
    """Stages 1-2 and normalization for one chunk of record files (runs in a worker process)."""
    classified: list[tuple[PublicDetermination, DeterminationFacts]] = []
    keys, problems, identifiers = [], [], []
    for path in job.paths:
        parsed = parse_record_file(Path(path))
        if isinstance(parsed, list):
            problems.extend(parsed)
            continue
        public = anonymize(parsed, job.secret)
        classified.append((public, classify(public)))
        keys.append(RecordKey(path, public.public_id, case_key(parsed.meta.case_number)))
        identifiers.extend(known_identifiers([parsed], job.secret))
    job.public_forms.write_bytes(pickle.dumps(classified, protocol=pickle.HIGHEST_PROTOCOL))
    cards = tuple(card_of(public, facts) for public, facts in classified)
    return ReadResult(job, cards, tuple(keys), tuple(problems), tuple(identifiers))


def case_key(case_number: str) -> str:
    """Case numbers compare without case or surrounding spaces, as the public id does."""
    return hashlib.sha256(case_number.strip().upper().encode("utf-8")).hexdigest()


def duplicate_case_problems(keys: Iterable[RecordKey]) -> list[RecordProblem]:
    """One record per case number; and two case numbers must never share a public id."""
    problems = []
    for group, message in (
        (
            _grouped(keys, lambda key: key.case_key),
            "the same case number is used by {}; keep one record per case",
        ),
        (
            _grouped(keys, lambda key: key.public_id),
            "its public id collides with {}'s; report this as a bug",
        ),
    ):
        for members in group:
            if len({key.case_key for key in members}) == 1 and message.startswith("its public id"):
                continue
            for key in members:
                others = ", ".join(other.source for other in members if other.source != key.source)
                problems.append(RecordProblem(key.source, "case_number", message.format(others)))
    return problems


def _grouped(keys: Iterable[RecordKey], by: object) -> list[list[RecordKey]]:
    groups: dict[str, list[RecordKey]] = defaultdict(list)
    for key in keys:
        groups[by(key)].append(key)  # type: ignore[operator]
    return [members for members in groups.values() if len(members) > 1]


# Stages 4-5 run in forked workers that inherit this state from the parent (set just before forking).
_RENDER_STATE: dict[str, object] = {}


@dataclass(frozen=True)
class RenderJob:
    kind: str  # "determinations" (a scratch file of public forms) or "group" (a group's page key)
    source: str


@dataclass(frozen=True)
class RenderResult:
    page_urls: tuple[str, ...]
    postings: Postings
    export_part: Path | None = None


@dataclass(frozen=True)
class Publication:
    """How the site is addressed: for absolute URLs in the sitemap, feed and exports."""

    site_url: str
    site_name: str
    mkdocs_page_urls: tuple[str, ...]

    def absolute(self, url: str) -> str:
        return (
            urljoin(self.site_url if self.site_url.endswith("/") else self.site_url + "/", url)
            if self.site_url
            else url
        )


def render_site(
    prepared: PreparedSite, renderer: BodyRenderer, writer: ThemeWriter, publication: Publication
) -> int:
    """Stages 4-7 for the generated pages outside MkDocs' own; returns the number of pages written."""
    cards = prepared.index.cards
    _RENDER_STATE.update(
        prepared=prepared, renderer=renderer, writer=writer, publication=publication,
        cards={card.public_id: card for card in cards},
        numbers={card.public_id: number for number, card in enumerate(cards)},
    )  # fmt: skip
    jobs = [RenderJob("determinations", str(path)) for path in prepared.public_form_files]
    jobs += [RenderJob("group", group.page_key) for group in prepared.index.groups()]
    postings: Postings = {}
    page_urls: list[str] = list(publication.mkdocs_page_urls)
    export_parts: list[Path] = []
    try:
        # 4-5. Render every generated page into the theme, gathering search terms and exports.
        for result in parallel_map(render_job, jobs, desc="Rendering pages"):
            page_urls.extend(result.page_urls)
            merge_postings(postings, result.postings)
            export_parts.extend([result.export_part] if result.export_part else [])
    finally:
        _RENDER_STATE.clear()
    site_dir, url_of = writer.site_dir, renderer.urls.url
    # 6. Search: the static index the search page queries.
    size = write_search_index(site_dir, cards, postings, lambda card: url_of(card.page_key))
    log.debug("Search index: %d terms, %d bytes", len(postings), size)
    # 7. Data exports, sitemaps, robots.txt and the feed.
    write_exports(site_dir, export_parts)
    latest = [(card, url_of(card.page_key)) for card in prepared.index.latest]
    write_discovery_files(site_dir, publication.site_url, page_urls, latest, publication.site_name)
    return len(page_urls) - len(publication.mkdocs_page_urls)


def render_job(job: RenderJob) -> RenderResult:
    """Render and write one job's pages (runs in a worker process)."""
    prepared: PreparedSite = _RENDER_STATE["prepared"]  # type: ignore[assignment]
    renderer: BodyRenderer = _RENDER_STATE["renderer"]  # type: ignore[assignment]
    writer: ThemeWriter = _RENDER_STATE["writer"]  # type: ignore[assignment]
    if job.kind == "group":
        group = prepared.index.groups_by_key[job.source]
        bodies = list(renderer.group_pages(group, prepared.index))
        for body in bodies:
            writer.write(body)
        return RenderResult(tuple(renderer.urls.url(body.key) for body in bodies), {})
    return _render_determinations(Path(job.source), prepared, renderer, writer)


def _render_determinations(
    scratch: Path, prepared: PreparedSite, renderer: BodyRenderer, writer: ThemeWriter
) -> RenderResult:
    cards: dict[str, Card] = _RENDER_STATE["cards"]  # type: ignore[assignment]
    numbers: dict[str, int] = _RENDER_STATE["numbers"]  # type: ignore[assignment]
    publication: Publication = _RENDER_STATE["publication"]  # type: ignore[assignment]
    classified: Sequence[tuple[PublicDetermination, DeterminationFacts]]
    classified = pickle.loads(scratch.read_bytes())  # noqa: S301 - our own scratch file
    postings: Postings = {}
    urls, exports = [], []
    for public, _facts in classified:
        if public.public_id in prepared.excluded_ids:
            continue
        card = cards[public.public_id]
        writer.write(renderer.determination(public, card, prepared.index))
        number = numbers[public.public_id]
        add_postings(postings, number, document_terms(public))
        url = renderer.urls.url(card.page_key)
        urls.append(url)
        exports.append(
            (number, determination_entry(public, card, publication.absolute(url), prepared.index))
        )
    export_part = scratch.with_suffix(".export")
    write_chunk(export_part, exports)
    return RenderResult(tuple(urls), postings, export_part)


def audit_built_site(site_dir: Path, prepared: PreparedSite) -> None:
    """Stage 6: fail if any output file holds an identifier a record declares."""
    findings = audit_site(site_dir, prepared.identifiers)
    if findings:
        raise LeakError(findings)
    log.debug("Leak audit: 0 findings in %s", site_dir)

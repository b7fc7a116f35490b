"""The recipe: records to a finished, audited site. Each stage is one module; this file only orders them.

    1. records     read every record file and validate it against the schema (all problems, abort once)
    2. anonymize   the public form of each record: no case number, no full dates, age banded
    3. crosslink   group and order determinations for the listings
    4. render      Markdown pages from the Jinja2 templates
    5. MkDocs      theme, navigation and Material's search index (``plugin.py`` hands pages to MkDocs)
    6. audit       every output file is read back and checked for known identifiers

Stages 1-4 run in ``prepare_site``; MkDocs calls it from the plugin's ``on_files`` hook so that plain
``mkdocs build`` and ``imr-site build`` run the same recipe. Stage 6 runs in ``on_post_build``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from generator.anonymize import PublicDetermination, anonymize
from generator.audit import audit_site, known_identifiers
from generator.crosslink import SiteIndex, build_index
from generator.exceptions import InvalidRecordsError, LeakError, RecordProblem
from generator.records import load_records
from generator.render import RenderedPage, render_pages, template_environment
from generator.schema import Record

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """What a build needs beyond mkdocs.yml: where records and templates are, and the id secret."""

    content_dir: Path
    templates_dir: Path
    id_secret: str
    leak_audit: bool = True


@dataclass(frozen=True)
class PreparedSite:
    """The outcome of stages 1-4."""

    records: tuple[Record, ...]
    index: SiteIndex
    pages: tuple[RenderedPage, ...]

    @property
    def determination_pages(self) -> int:
        return sum(page.path.startswith("determinations/") for page in self.pages)


def prepare_site(settings: Settings) -> PreparedSite:
    """Stages 1-4: records in, rendered pages out."""
    # 1. Records: read and validate every file; raises InvalidRecordsError naming every problem.
    records = load_records(settings.content_dir)
    # 2. Anonymize: from here on only public forms exist.
    public = [anonymize(record, settings.id_secret) for record in records]
    _check_unique_ids(records, public)
    # 3. Cross-link: listings by year and the latest determinations.
    index = build_index(public)
    # 4. Render: every generated page as Markdown.
    pages = tuple(render_pages(index, template_environment(settings.templates_dir)))
    log.debug("Prepared %d pages from %d records", len(pages), len(records))
    return PreparedSite(records=tuple(records), index=index, pages=pages)


def audit_built_site(site_dir: Path, prepared: PreparedSite, secret: str) -> None:
    """Stage 6: fail if any output file holds an identifier a record declares."""
    findings = audit_site(site_dir, known_identifiers(prepared.records, secret))
    if findings:
        raise LeakError(findings)
    log.debug("Leak audit: 0 findings in %s", site_dir)


def _check_unique_ids(records: list[Record], public: list[PublicDetermination]) -> None:
    """Two case numbers hashing to one public id would merge pages; refuse to build."""
    seen: dict[str, str] = {}
    problems = []
    for record, determination in zip(records, public, strict=True):
        other = seen.setdefault(determination.public_id, record.source)
        if other != record.source:
            problems.append(
                RecordProblem(
                    record.source,
                    "case_number",
                    f"its public id collides with {other}'s; report this as a bug",
                )
            )
    if problems:
        raise InvalidRecordsError(problems, records_checked=len(records))

"""Letter: one letter's text to a validated ``FrontMatter`` and its summary, without the filesystem."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from pydantic import ValidationError

from generator.ingest.header import parse_header
from generator.ingest.identity import find_identities
from generator.ingest.items import parse_items
from generator.ingest.reviewer import parse_credentials
from generator.ingest.sections import split_sections
from generator.ingest.summary import parse_summary
from generator.ingest.text import LetterError, normalize_lines
from generator.schema import FrontMatter, Item, Reviewer, Worker

_SYNTHETIC = re.compile(r"\W*SYNTHETIC\b.*")


@dataclass(frozen=True)
class ParsedLetter:
    """A letter read into a record: validated front matter and the clinical case summary."""

    meta: FrontMatter
    summary: str


def parse_letter_text(text: str, *, source: str) -> ParsedLetter:
    """Parse one letter's text; ``source`` (its file name) gives the fallback case number.

    Raises ``LetterError`` with the reason when the letter cannot become a valid record.
    """
    lines = normalize_lines(text)
    kept = tuple(line for line in lines if not _SYNTHETIC.fullmatch(line))
    sections = split_sections(kept)
    summary = parse_summary(sections.summary)
    if not summary.text:
        raise LetterError("no clinical case summary found (heading 'CLINICAL CASE SUMMARY')")
    header = parse_header(sections.preamble)
    credentials = parse_credentials(sections.credentials)
    items = parse_items(sections.issues)
    try:
        meta = FrontMatter(
            case_number=header.case_number or PurePath(source).stem,
            decision_date=header.decision_date,
            injury_date=header.injury_date,
            assigned_date=header.assigned_date,
            ur_denial_date=header.ur_denial_date,
            received_date=header.received_date,
            priority=header.priority,
            worker=Worker(age=summary.age, sex=summary.sex),
            reviewer=Reviewer(specialty=credentials.specialty, licensure=credentials.licensure),
            items=tuple(Item(**vars(item)) for item in items),
            private=find_identities(sections.preamble, sections.footer),
            synthetic=len(kept) != len(lines),
        )
    except ValidationError as error:
        raise LetterError(f"the record would be invalid: {_first_problem(error)}") from error
    return ParsedLetter(meta=meta, summary=summary.text)


def _first_problem(error: ValidationError) -> str:
    detail = error.errors(include_url=False)[0]
    where = ".".join(str(part) for part in detail["loc"])
    return f"{where}: {detail['msg']}"

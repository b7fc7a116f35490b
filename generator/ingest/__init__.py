"""Ingest: letters (.txt or .pdf, both letter eras) into validated record files, one per letter.

``ingest_paths`` is the entry point of ``imr-site ingest``; ``parse_letter_text`` and ``extract_text``
work without writing anything. A letter that cannot be read or parsed is reported as a failure with
its reason, never dropped and never allowed to stop the run.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.ingest.letter import ParsedLetter, parse_letter_text
from generator.ingest.text import LETTER_SUFFIXES, LetterError, extract_text
from generator.ingest.writer import render_record, write_record
from generator.progress import progress

__all__ = [
    "IngestFailure",
    "IngestReport",
    "LetterError",
    "ParsedLetter",
    "extract_text",
    "ingest_paths",
    "parse_letter_text",
    "read_letter",
    "render_record",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestFailure:
    """A letter that gave no record, and why."""

    letter: str
    reason: str


@dataclass(frozen=True)
class IngestReport:
    """What a run did: letters read, records written, letters that failed."""

    letters_read: int
    records_written: tuple[Path, ...]
    failures: tuple[IngestFailure, ...]


def read_letter(path: Path) -> ParsedLetter:
    """Extract and parse one letter file; raises ``LetterError`` with the reason if it cannot."""
    return parse_letter_text(extract_text(path), source=path.name)


def ingest_paths(paths: Sequence[Path], out_dir: Path) -> IngestReport:
    """Ingest every letter in ``paths`` (files or folders of them) into ``out_dir/<stem>.md``."""
    letters, failures = find_letters(paths)
    read = len(letters) + len(failures)
    written: list[Path] = []
    stems: dict[str, Path] = {}
    for path in progress(letters, desc="Ingesting letters", unit="letter"):
        if path.stem in stems:
            reason = f"same file name as {stems[path.stem]}; one record would overwrite the other"
            failures.append(IngestFailure(str(path), reason))
            continue
        stems[path.stem] = path
        try:
            written.append(write_record(read_letter(path), out_dir, path.stem))
        except (LetterError, OSError) as error:
            failures.append(IngestFailure(str(path), str(error) or type(error).__name__))
    log.debug("Read %d letters, wrote %d records, %d failed", read, len(written), len(failures))
    return IngestReport(letters_read=read, records_written=tuple(written), failures=tuple(failures))


def find_letters(paths: Sequence[Path]) -> tuple[list[Path], list[IngestFailure]]:
    """The letter files named or contained (not recursively) in ``paths``, and the paths that are none."""
    letters: list[Path] = []
    failures: list[IngestFailure] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if _is_letter_file(p))
            letters.extend(found)
            if not found:
                failures.append(
                    IngestFailure(str(path), "the folder holds no .txt or .pdf letters")
                )
        elif not path.exists():
            failures.append(IngestFailure(str(path), "no such file or folder"))
        elif _is_letter_file(path):
            letters.append(path)
        else:
            failures.append(IngestFailure(str(path), "not a letter: expected a .txt or .pdf file"))
    return list(dict.fromkeys(letters)), failures


def _is_letter_file(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in LETTER_SUFFIXES

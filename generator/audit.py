"""The leak audit: read every file of the built site and look for identifiers known from the records."""

from __future__ import annotations

import gzip
import html
import json
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.anonymize import public_id
from generator.exceptions import LeakFinding
from generator.schema import Record

log = logging.getLogger(__name__)

MIN_IDENTIFIER_LENGTH = 4
TEXT_SUFFIXES = frozenset(
    {".html", ".htm", ".xml", ".json", ".js", ".txt", ".csv", ".md", ".css", ".gz", ".svg"}
)


@dataclass(frozen=True)
class KnownIdentifier:
    """Something a record declares identifying, the kind of it, and whose it is (by public id)."""

    text: str
    kind: str
    determination: str


def known_identifiers(records: Iterable[Record], secret: str) -> list[KnownIdentifier]:
    """The case number and every value of each record's private section."""
    found: list[KnownIdentifier] = []
    for record in records:
        owner = public_id(record.meta.case_number, secret)
        private = record.meta.private
        kinds = {
            "case number": (record.meta.case_number,),
            "name": private.names,
            "organization": private.organizations,
            "address": private.addresses,
            "phone number": private.phones,
            "e-mail address": private.emails,
            "identifying number": private.identifiers,
            "private date": tuple(d.isoformat() for d in private.dates),
        }
        for kind, texts in kinds.items():
            found.extend(
                KnownIdentifier(_fold(t), kind, owner)
                for t in texts
                if len(t) >= MIN_IDENTIFIER_LENGTH
            )
    return found


def audit_site(site_dir: Path, identifiers: Sequence[KnownIdentifier]) -> list[LeakFinding]:
    """Every occurrence of a known identifier in any output file's text or path."""
    if not identifiers:
        return []
    by_text = {ident.text.casefold(): ident for ident in identifiers}
    pattern = re.compile(
        "|".join(re.escape(text) for text in sorted(by_text, key=len, reverse=True)), re.IGNORECASE
    )
    findings: set[LeakFinding] = set()
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(site_dir).as_posix()
        for text in (relative, *_readable_texts(path)):
            for match in pattern.finditer(text):
                ident = by_text[match.group(0).casefold()]
                findings.add(LeakFinding(relative, ident.determination, ident.kind))
    return sorted(findings)


def _readable_texts(path: Path) -> Iterator[str]:
    """The file's text as stored and as a reader sees it (entities and JSON escapes decoded)."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return
    raw = path.read_bytes()
    if path.suffix.lower() == ".gz":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", errors="replace")
    yield _fold(text)
    yield _fold(html.unescape(text))
    if path.suffix.lower() == ".json":
        try:
            yield _fold(html.unescape(json.dumps(json.loads(text), ensure_ascii=False)))
        except json.JSONDecodeError:
            log.debug("%s is not valid JSON; audited as text", path)


def _fold(text: str) -> str:
    return " ".join(text.split())

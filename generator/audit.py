"""The leak audit: read every file of the built site and look for identifiers known from the records and
for residual identifier patterns (SSN-, phone- and e-mail-like text, full dates) in page text and data.

Known identifiers are matched as word sequences: each file's text (as stored, with HTML entities and
JSON escapes decoded, accents folded, any case) is cut into words once, and its word n-grams are
intersected with the identifiers' sets, so the audit is linear in the size of the site whatever the
number of identifiers. Residual patterns are checked in page text (HTML without scripts, styles and
tags), the search index and data files, never in the theme's own assets. A finding names the output
file, the determination's public id and the kind, never the identifier.
"""

from __future__ import annotations

import gzip
import html
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.anonymize import public_id
from generator.exceptions import LeakFinding
from generator.schema import Record
from generator.scrub.keep import KEEP_WORDS

log = logging.getLogger(__name__)

MIN_IDENTIFIER_LENGTH = 4
MAX_IDENTIFIER_WORDS = 16
DATE_KIND = "date"
SITE_WIDE = "site"
"""The determination named by a residual finding in a file that is not one determination's."""
TEXT_SUFFIXES = frozenset(
    {".html", ".htm", ".xml", ".json", ".js", ".txt", ".csv", ".md", ".css", ".gz", ".svg"}
)
DATA_SUFFIXES = frozenset({".json", ".csv", ".txt", ".md", ".xml"})
_WORD = re.compile(r"[^\W_]+")
_MARKS = re.compile(r"[\u0300-\u036f]+")
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.IGNORECASE | re.DOTALL)
_SITEMAP_DATE = re.compile(r"<lastmod>[^<]*</lastmod>")
_DETERMINATION = re.compile(r"(?:^|/)determinations/([a-z2-7]{12})(?:/|$|\.)")
_RESIDUAL: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("e-mail address", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")),
    ("SSN", re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")),
    ("phone number", re.compile(r"(?<![\w/.-])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w/-])")),
    (
        "full date",
        re.compile(
            r"(?<![\w/.-])(?:0?[1-9]|1[0-2])[/-](?:[12]\d|3[01]|0?[1-9])[/-](?:19|20)?\d\d(?![\w/-])"
            r"|(?<![\w/.-])(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:[12]\d|3[01]|0[1-9])(?![\w/-])"
            r"|\b(?:January|February|March|April|May|June|July|August|September|October|November"
            r"|December)\s+(?:[12]\d|3[01]|0?[1-9]),?\s+(?:19|20)\d\d\b"
        ),
    ),
)
REFERENCE_DATA = Path(__file__).resolve().parent / "data"
"""The project's own reference data (guideline editions...): its dates are public, not a record's."""


def _public_dates_pattern() -> re.Pattern[str] | None:
    full_date = _RESIDUAL[-1][1]
    found: set[str] = set()
    for path in sorted(REFERENCE_DATA.glob("*.yaml")) if REFERENCE_DATA.is_dir() else ():
        found.update(" ".join(m[0].split()) for m in full_date.finditer(path.read_text("utf-8")))
    if not found:
        return None
    flexible = (
        r"\s+".join(map(re.escape, d.split())) for d in sorted(found, key=len, reverse=True)
    )
    return re.compile("|".join(flexible))


_DATE_FORMATS = (
    "{m}/{d}/{y}",
    "{m:02d}/{d:02d}/{y}",
    "{m}-{d}-{yy:02d}",
    "{m:02d}-{d:02d}-{yy:02d}",
)


_PUBLIC_DATES = _public_dates_pattern()


@dataclass(frozen=True)
class KnownIdentifier:
    """Something a record declares identifying, the kind of it, and whose it is (by public id)."""

    text: str
    kind: str
    determination: str


def known_identifiers(records: Iterable[Record], secret: str) -> list[KnownIdentifier]:
    """The case number, the header dates and every value of each record's private section."""
    found: list[KnownIdentifier] = []
    for record in records:
        owner = public_id(record.meta.case_number, secret)
        for kind, texts in _declared(record).items():
            found.extend(
                KnownIdentifier(_fold(t), kind, owner)
                for t in texts
                if len(t) >= MIN_IDENTIFIER_LENGTH
            )
    return found


def _declared(record: Record) -> dict[str, tuple[str, ...]]:
    meta, private = record.meta, record.meta.private
    header = (meta.injury_date, meta.assigned_date, meta.ur_denial_date, meta.received_date)
    dates = (*private.dates, *(date for date in (*header, meta.decision_date) if date))
    return {
        "case number": (meta.case_number,),
        "name": private.names,
        "organization": private.organizations,
        "address": private.addresses,
        "phone number": private.phones,
        "e-mail address": private.emails,
        "identifying number": private.identifiers,
        DATE_KIND: tuple(
            form.format(m=d.month, d=d.day, y=d.year, yy=d.year % 100)
            for d in dates
            for form in (*_DATE_FORMATS, f"{d.isoformat()}", f"{d:%B} {d.day}, {d.year}")
        ),
    }


class _Index:
    """Identifiers by their word sequence, grouped by length, for n-gram set intersection."""

    def __init__(self, identifiers: Iterable[KnownIdentifier]) -> None:
        self.by_words: dict[tuple[str, ...], list[KnownIdentifier]] = {}
        for ident in identifiers:
            words = tuple(_words(ident.text))[:MAX_IDENTIFIER_WORDS]
            if words and not _too_common(words):
                self.by_words.setdefault(words, []).append(ident)
        self.lengths: dict[str, set[int]] = {}
        for words in self.by_words:
            self.lengths.setdefault(words[0], set()).add(len(words))

    def find(self, text: str) -> Iterator[KnownIdentifier]:
        words = _words(text)
        firsts = self.lengths.keys() & set(words)
        if not firsts:
            return
        for start in (i for i, word in enumerate(words) if word in firsts):
            for n in self.lengths[words[start]]:
                yield from self.by_words.get(tuple(words[start : start + n]), ())


def _words(text: str) -> list[str]:
    """Lower-case words without accents."""
    if not text.isascii():
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text))
    return _WORD.findall(text.casefold())


def _too_common(words: tuple[str, ...]) -> bool:
    """A lone word that is also a common or medical word (a surname like "Long") is not audited."""
    word = words[0]
    return len(words) == 1 and (word in KEEP_WORDS or (word.isdigit() and len(word) < 5))


def audit_site(site_dir: Path, identifiers: Sequence[KnownIdentifier]) -> list[LeakFinding]:
    """Every known identifier in any output file's text or path, and every residual pattern."""
    site_wide = [i for i in identifiers if i.kind != DATE_KIND]
    everywhere = _Index(i for i in site_wide if not _numeric(i.text))
    pages_and_data = _Index(site_wide)
    own_dates = _dates_by_owner(identifiers)
    findings: set[LeakFinding] = set()
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(site_dir).as_posix()
        indexes = [everywhere if relative.startswith("assets/") else pages_and_data]
        if _owner(relative) in own_dates:
            indexes.append(own_dates[_owner(relative)])
        for text in (relative, *_readable_texts(path)):
            findings.update(
                LeakFinding(relative, ident.determination, ident.kind)
                for index in indexes
                for ident in index.find(text)
            )
        findings.update(_residual_findings(path, relative))
    return sorted(findings)


def _dates_by_owner(identifiers: Iterable[KnownIdentifier]) -> dict[str, _Index]:
    """Header dates are common strings: each is looked for in its own determination's page only
    (the residual full-date check covers every page and the search data)."""
    owned: dict[str, list[KnownIdentifier]] = {}
    for ident in identifiers:
        if ident.kind == DATE_KIND:
            owned.setdefault(ident.determination, []).append(ident)
    return {owner: _Index(idents) for owner, idents in owned.items()}


def _numeric(text: str) -> bool:
    """Digits and separators only: looked for in pages and data, not in the theme's minified code."""
    return not any(char.isalpha() for char in text)


def _residual_findings(path: Path, relative: str) -> Iterator[LeakFinding]:
    """Residual identifier patterns in page text and data files; theme assets are not read."""
    if relative.startswith("assets/") or path.suffix.lower() not in {".html", *DATA_SUFFIXES}:
        return
    raw = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix.lower() == ".json":
        yield from _residual_json(raw, relative)
        return
    text = _SITEMAP_DATE.sub(" ", raw) if path.suffix.lower() == ".xml" else raw
    if path.suffix.lower() == ".html":
        text = _HIDDEN.sub(" ", text)
    yield from _residual_in(html.unescape(text), relative, _owner(relative))


def _residual_json(raw: str, relative: str) -> Iterator[LeakFinding]:
    """A search index names each entry's page: a finding there names that page's determination."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        yield from _residual_in(raw, relative, _owner(relative))
        return
    docs = data.get("docs") if isinstance(data, dict) else None
    if not isinstance(docs, list):
        yield from _residual_in(json.dumps(data, ensure_ascii=False), relative, _owner(relative))
        return
    for doc in docs:
        if isinstance(doc, dict):
            owner = _owner(str(doc.get("location", "")))
            text = html.unescape(_HIDDEN.sub(" ", f"{doc.get('title', '')} {doc.get('text', '')}"))
            yield from _residual_in(text, relative, owner)


def _residual_in(text: str, relative: str, owner: str) -> Iterator[LeakFinding]:
    if _PUBLIC_DATES is not None:
        text = _PUBLIC_DATES.sub(" ", text)
    for kind, pattern in _RESIDUAL:
        if pattern.search(text):
            yield LeakFinding(relative, owner, f"{kind} pattern")


def _owner(location: str) -> str:
    match = _DETERMINATION.search(location)
    return match[1] if match else SITE_WIDE


def _readable_texts(path: Path) -> Iterator[str]:
    """The file's text as a reader sees it (entities and JSON escapes decoded; words are compared, so
    markup and punctuation between them do not matter)."""
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return
    raw = path.read_bytes()
    if path.suffix.lower() == ".gz":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", errors="replace")
    if path.suffix.lower() == ".json":
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except json.JSONDecodeError:
            log.debug("%s is not valid JSON; audited as text", path)
    yield html.unescape(text) if "&" in text else text


def _fold(text: str) -> str:
    return " ".join(text.split())

"""The leak audit: read every file of the built site and look for identifiers known from the records and
for residual identifier patterns (SSN-, phone- and e-mail-like text, full dates) in page text and data.

Known identifiers are matched as word sequences: each file's text (as stored, with HTML entities and
JSON escapes decoded, accents folded, any case) is cut into words once and searched for every
identifier in one Aho-Corasick pass, so the audit is linear in the size of the site whatever the
number of identifiers; large data files are read in overlapping windows. Residual patterns are
checked in page text (HTML without scripts, styles and tags), the search index and data files, never
in the theme's own assets. A finding names the output file, the determination's public id and the
kind, never the identifier. With a build cache, files found clean before are searched again only for
identifiers that could be in them: the audit keeps what it knew in an SQLite file there
(``STATE_TABLES``), and its working tables in another in its scratch folder (``FOUND_TABLES``).
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib
import html
import json
import logging
import mmap
import multiprocessing
import os
import pickle
import re
import sqlite3
import struct
import tempfile
import time
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import ahocorasick
import yaml

from generator.anonymize import PublicDetermination, public_id
from generator.audit_frames import FramePieces
from generator.cache import BuildCache
from generator.detectors import Screen, candidate_starts, find_spans, is_common_identifier
from generator.exceptions import LeakFinding, WithheldRecord
from generator.parallel import parallel_map, run_apart
from generator.schema import Record
from generator.scrub.keep import KEEP_WORDS
from generator.store import Store

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

_MARKS = re.compile(r"[\u0300-\u036f]+")
_HIDDEN = re.compile(r"<(?:(script|style)\b.*?</\1\s*>|[^>]+>)", re.IGNORECASE | re.DOTALL)
"""Scripts, styles and tags (the common "<" first lets the regex engine skip to each one)."""
_CELL_EDGE = re.compile(
    r"</?(?:td|th|tr|li|p|div|h[1-6]|dt|dd|table|thead|tbody|ul|ol|nav|section|header|footer)"
    r"\b[^>]*>",
    re.IGNORECASE,
)
"""Tags between table cells and blocks: the text on either side is never one identifier (a row of
counts, "1569 635 1416", is no phone number), so a character no detector crosses stands there."""
_SITEMAP_DATE = re.compile(r"<lastmod>[^<]*</lastmod>")
_DETERMINATION = re.compile(r"(?:^|/)determinations/([a-z2-7]{12})(?:/|$|\.)")
REFERENCE_DATA = Path(__file__).resolve().parent / "data"
"""The project's own reference data (guideline editions...): its dates are public, not a record's."""


def _public_text_pattern() -> re.Pattern[str] | None:
    """The strings of the project's reference data a detector could read something in ("effective
    December 2016" of a guideline's edition): public wherever a page shows them, so taken out of
    a text before the detectors read it."""
    found: set[str] = set()
    for path in sorted(REFERENCE_DATA.glob("*.yaml")) if REFERENCE_DATA.is_dir() else ():
        found.update(
            " ".join(text.split())
            for text in _strings(yaml.load(path.read_text("utf-8"), Loader=_YAML_LOADER))  # noqa: S506 - safe loader
            if next(candidate_starts(text), None) is not None
        )
    if not found:
        return None
    flexible = (
        r"\s+".join(map(re.escape, d.split())) for d in sorted(found, key=len, reverse=True)
    )
    return re.compile("|".join(flexible))


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""LibYAML's safe loader where it is built (ten times faster), else PyYAML's."""


def _strings(data: object) -> Iterator[str]:
    """Every string in a YAML document (keys and values)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


_DATE_FORMATS = (
    "{m}/{d}/{y}",
    "{m:02d}/{d:02d}/{y}",
    "{m}-{d}-{yy:02d}",
    "{m:02d}-{d:02d}-{yy:02d}",
)


_PUBLIC_TEXT = _public_text_pattern()


IDENTITY_KEY_BYTES = 16
FILE_KEY_BYTES = 16
WORD_KEY_BYTES = 8
"""Words of the site are kept by a digest this wide (a signed integer): a collision can only make
the audit look for an identifier in more files, never in fewer."""
PATH_KEY_BYTES = 8
"""Paths are kept by a digest this wide: two paths sharing one keep one clean file between them."""
SEGMENT_KEY_BYTES = 16
"""A segment of text the detectors read is known by a digest this wide (``_Claims``): two texts
sharing one would leave one of them unread, by a chance far too small to count."""


@dataclass(frozen=True)
class KnownIdentifier:
    """Something a record declares identifying, the kind of it, and whose it is (by public id)."""

    text: str
    kind: str
    determination: str

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.text, self.kind, self.determination)

    @property
    def identity_key(self) -> bytes:
        """A digest of the identity: what the audit's state keeps of it."""
        text = "\0".join(self.identity).encode("utf-8", errors="surrogatepass")
        return hashlib.blake2b(text, digest_size=IDENTITY_KEY_BYTES).digest()


@dataclass(frozen=True)
class PickledIdentifiers(Iterable[KnownIdentifier]):
    """Identifiers kept pickled, a ``bytes`` object a chunk of records, and unpickled each time
    they are gone through: the audit goes through them a few times, and holds only what it makes
    of them (``_Matcher``), not an object for each."""

    chunks: Sequence[bytes]

    def __iter__(self) -> Iterator[KnownIdentifier]:
        for chunk in self.chunks:
            identifiers: tuple[KnownIdentifier, ...] = pickle.loads(chunk)  # noqa: S301 - ours
            yield from identifiers


PUBLISHED_CASE_NUMBER = "published case number"
"""The kind of a case number the publisher shows (``show_case_numbers``): not looked for, and
the detectors' identifier shapes do not count that exact number (``_residual_in``)."""


def known_identifiers(
    records: Iterable[Record], secret: str, *, published_case_numbers: bool = False
) -> list[KnownIdentifier]:
    """The case number (of kind PUBLISHED_CASE_NUMBER with ``published_case_numbers``), the
    header dates and every value of each record's private section."""
    found: list[KnownIdentifier] = []
    for record in records:
        owner = public_id(record.meta.case_number, secret)
        for declared_kind, texts in _declared(record).items():
            published = published_case_numbers and declared_kind == "case number"
            kind = PUBLISHED_CASE_NUMBER if published else declared_kind
            found.extend(
                KnownIdentifier(_fold(t), kind, owner)
                for t in texts
                if len(t) >= MIN_IDENTIFIER_LENGTH
            )
    return found


def screen_record(record: Record, public: PublicDetermination, file: str) -> WithheldRecord | None:
    """The record withheld, if any string its public form would publish holds identifying text:
    the audit's own detectors (``detectors.py``) and its declared identifiers in every form."""
    declared = [
        (text, kind)
        for kind, texts in _declared(record).items()
        if kind != DATE_KIND  # every date is found by shape
        for text in texts
    ]
    texts = published_strings(public)
    found: dict[str, list[str]] = {}
    for text, spans in zip(texts, Screen.of(declared, texts).spans_of_record(texts), strict=True):
        for span in spans:
            found.setdefault(span.kind, []).append(text[span.start : span.end])
    if not found:
        return None
    shown = tuple(f"{kind}: {text!r}" for kind, seen in sorted(found.items()) for text in seen)
    return WithheldRecord(file, public.public_id, tuple(sorted(found)), shown)


def published_strings(public: PublicDetermination) -> list[str]:
    """Every string of a public form the site shows (pages, listings, search, exports)."""
    strings = [public.summary, public.reviewer_specialty or "", *public.reviewer_licensure]
    for item in public.items:
        strings += [item.treatment, item.rationale, item.request_note or ""]
        strings += [item.claims_administrator_guideline or "", item.reviewer_guideline or ""]
    return [text for text in strings if text]


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
        # One ISO date each; the audit writes it in every format only for its own page.
        DATE_KIND: tuple(dict.fromkeys(d.isoformat() for d in dates)),
    }


def normalized(text: str) -> str:
    """Lower-case words without accents, one space between them: how identifiers are compared
    (so markup, punctuation and line breaks between the words of a name do not hide it).

    Works on bytes, where lower-casing and separators are one ``translate``; the few distinct
    non-ASCII characters of a text are folded one by one (accents off, case folded, other symbols
    made separators), which gives what folding the whole text would."""
    return b" ".join(normalized_words(text)).decode("utf-8", errors="surrogatepass")


def normalized_words(text: str) -> list[bytes]:
    """The words of ``normalized(text)``, as UTF-8 bytes."""
    data = text.encode("utf-8", errors="surrogatepass")
    if not data.isascii():
        distinct = set(data.translate(None, _ASCII_BYTES).decode("utf-8", errors="surrogatepass"))
        for char in distinct:
            folded = _folded_character(char)
            if folded != char:
                text = text.replace(char, folded)
        data = text.encode("utf-8", errors="surrogatepass")
    return data.translate(_ASCII_WORDS).split()


_ASCII_BYTES = bytes(range(0x80))
_ASCII_WORDS = bytes(
    (b | 0x20 if 0x41 <= b <= 0x5A else b) if chr(b).isalnum() or b >= 0x80 else 0x20
    for b in range(256)
)
"""ASCII letters lower-cased, every other ASCII character but digits a separator."""


@functools.lru_cache(maxsize=4096)
def _folded_character(char: str) -> str:
    """One non-ASCII character as ``normalized`` sees it: without accents, case folded, a
    separator unless it is a letter or a digit (ASCII results are handled with the rest); an
    invisible format character (a soft hyphen, a zero-width space or joiner) is no character at
    all, so it cannot cut a word in two ("Quack\u00adenbush")."""
    if unicodedata.category(char) == "Cf":
        return ""
    folded = _MARKS.sub("", unicodedata.normalize("NFKD", char)).casefold()
    return "".join(c if c.isascii() or c.isalnum() else " " for c in folded)


class _Matcher:
    """Every identifier's normalized words in one Aho-Corasick automaton: one pass over a file's
    normalized text finds them all, whatever their number (linear in the size of the site).

    A declared date is a common string: it is looked for in every format letters write it, and
    counts only on its own determination's page (the residual full-date check covers the rest).
    So dates are kept by determination, out of the automaton (where their forms made most of the
    words, and most of the time it took to build), in the table ``dates`` of ``self.dates`` (rows
    of ``self.name``), and looked for in that determination's files only."""

    def __init__(self, identifiers: Iterable[KnownIdentifier], dates: Store, name: str) -> None:
        self.automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        """Each key's number: its hits are ``self.hits[self.starts[n] : self.starts[n + 1]]``.
        Integers in the automaton and the hits in one ``bytes`` object, not an object a key: the
        audit's workers, forked from this process, share them without copying (reading an
        object writes its reference count, and so copies its memory page into the worker)."""
        found: dict[str, bytearray] = {}
        """The hits of each key (``_hit_record``), while they are gathered."""
        self.dates, self.name = dates, name
        self.undated = False
        """Whether any identifier but a date is looked for (dates concern one page each)."""
        self._kinds: list[str] = []
        self._last_dates: tuple[str, list[str]] | None = None
        self.count = 0
        """How many identifiers it was made of."""
        with dates.transaction() as db:
            db.execute(DATES_TABLE)
            db.executemany("INSERT INTO dates VALUES (?, ?, ?)", self._sorted(identifiers, found))
            db.execute(DATES_INDEX)
        self.starts = array("Q", [0])
        hits = bytearray()
        for number, (key, key_hits) in enumerate(found.items()):
            self.automaton.add_word(f" {key} ", number)  # spaces: whole words only
            hits += key_hits
            self.starts.append(len(hits))
        self.hits = bytes(hits)
        self.anchors = frozenset(_anchor(key) for key in found)
        """The longest word of each key: a key stands only among words that hold its anchor."""
        self.wanted = self.anchors | frozenset(self._date_words())
        """The anchors and the words of every declared date's forms (``_date_forms``): what
        ``findings`` looks for among a file's words before it searches its text."""
        del found, hits
        if self.undated:
            self.automaton.make_automaton()

    def _sorted(
        self, identifiers: Iterable[KnownIdentifier], found: dict[str, bytearray]
    ) -> Iterator[tuple[str, str, str]]:
        """The rows of ``dates`` of the declared dates; the hits of the other identifiers (but
        published case numbers and words too common) are added to ``found`` by key."""
        for ident in identifiers:
            if ident.kind == PUBLISHED_CASE_NUMBER:
                continue
            self.count += 1
            if ident.kind == DATE_KIND:
                yield self.name, ident.determination, ident.text
                continue
            key = " ".join(normalized(ident.text).split()[:MAX_IDENTIFIER_WORDS])
            if key and not _too_common(tuple(key.split())):
                found.setdefault(key, bytearray()).extend(self._hit_record(ident))
                self.undated = True

    def _date_words(self) -> Iterator[bytes]:
        for iso in self.dates.column(DATES_OF_MATCHER, self.name):
            for _key, words in _date_forms(iso):
                yield from words

    def may_concern(self, relative: str) -> bool:
        """False when nothing looked for can be in the file: no identifier, no date of its page's."""
        return self.undated or bool(self.dates_of(_owner(relative)))

    def findings(
        self, relative: str, words: list[bytes], unmarked: Callable[[], str] | None = None
    ) -> Iterator[LeakFinding]:
        """Findings in the normalized words of a file (or of its path). They are joined into a
        text only where something looked for may stand: an identifier, whose anchor (one of its
        words, ``anchors``) stands among them, or a form of a date of the file's determination
        whose words all do (``_date_forms``). Which of the words ``wanted`` stand there is one
        pass over the words in C (no set of the file's words is made).

        ``unmarked`` makes the file's text without markup (``_unmarked``): where an identifier's
        anchor stands, it is searched there too, as markup's words run into the text's ("Jane
        <em>Doe</em>" reads "jane em doe em" with its tags, "jane doe" without)."""
        owner = _owner(relative)
        if not self.undated and not self.dates_of(owner):
            return
        present = self.wanted.intersection(words)
        keyed = self.undated and not self.anchors.isdisjoint(present)
        if not keyed and not any(_date_forms_in(iso, present) for iso in self.dates_of(owner)):
            return
        text = b" ".join(words).decode("utf-8", errors="surrogatepass")
        numeric = not relative.startswith(THEME_FOLDER)
        for hit in self.find(text, owner, numeric=numeric, keyed=keyed, present=present):
            yield LeakFinding(relative, hit.determination, hit.kind)
        if keyed and unmarked is not None:
            plain = normalized(unmarked())
            for hit in self.find(plain, owner, numeric=numeric, keyed=True, present=frozenset()):
                yield LeakFinding(relative, hit.determination, hit.kind)

    def _hit_record(self, ident: KnownIdentifier) -> bytes:
        """What a match of ``ident`` reports: its kind (by number), whether it is numeric, and its
        determination (after its length)."""
        if ident.kind not in self._kinds:
            self._kinds.append(ident.kind)
        owner = ident.determination.encode("utf-8", errors="surrogatepass")[:255]
        numeric = _numeric(ident.text)
        return bytes((self._kinds.index(ident.kind), numeric, len(owner))) + owner

    def find(
        self,
        text: str,
        owner: str,
        *,
        numeric: bool,
        keyed: bool,
        present: frozenset[bytes],
    ) -> Iterator[Hit]:
        """Identifiers whose words stand as whole words in normalized ``text`` of a file whose
        determination is ``owner``: their determinations and kinds (but dates only, unless
        ``keyed``). ``present``: the words of ``wanted`` that stand in the text."""
        padded = f" {text} "
        if self.undated and keyed:
            starts = self.starts
            for _end, number in self.automaton.iter(padded):
                hits = self.hits[starts[number] : starts[number + 1]]
                yield from self._hits(hits, numeric=numeric)
        for iso in self.dates_of(owner):
            if any(f" {key} " in padded for key in _date_forms_in(iso, present)):
                yield Hit(owner, DATE_KIND)

    def _hits(self, hits: bytes, *, numeric: bool) -> Iterator[Hit]:
        """The records ``_hit_record`` made (numeric ones only with ``numeric``)."""
        start = 0
        while start < len(hits):
            kind, is_numeric, length = hits[start : start + 3]
            end = start + 3 + length
            if numeric or not is_numeric:
                owner = hits[start + 3 : end].decode("utf-8", errors="surrogatepass")
                yield Hit(owner, self._kinds[kind])
            start = end

    def dates_of(self, owner: str) -> list[str]:
        """The declared dates of the determination ``owner`` (ISO); those of the last owner asked
        for are kept (a file's path and text are searched one after the other)."""
        if self._last_dates is None or self._last_dates[0] != owner:
            self._last_dates = (owner, self.dates.column(DATES_OF, self.name, owner))
        return self._last_dates[1]


def _anchor(key: str) -> bytes:
    return max(key.split(" "), key=len).encode("utf-8", errors="surrogatepass")


DATES_TABLE = """CREATE TABLE IF NOT EXISTS dates (
    matcher TEXT NOT NULL, determination TEXT NOT NULL, iso TEXT NOT NULL
)"""
DATES_INDEX = "CREATE INDEX IF NOT EXISTS dates_of ON dates (matcher, determination, iso)"
DATES_OF = "SELECT DISTINCT iso FROM dates WHERE matcher = ? AND determination = ? ORDER BY iso"
DATES_OF_MATCHER = "SELECT DISTINCT iso FROM dates WHERE matcher = ?"


class Hit(NamedTuple):
    """An identifier found in a file: whose, and of what kind."""

    determination: str
    kind: str


def _too_common(words: tuple[str, ...]) -> bool:
    """A lone word that is also a common or medical word (a surname like "Long"), or words that
    are all legal suffixes and common words ("Inc.", "LLC", "Medical Group"), are not audited:
    they identify nobody alone."""
    word = words[0]
    if len(words) == 1 and (word in KEEP_WORDS or (word.isdigit() and len(word) < 5)):
        return True
    return is_common_identifier(" ".join(words))


AUDIT_FILES_PER_JOB = 400
_AUDIT_STATE: dict[str, object] = {}
STATE_FILE = "audit-state.sqlite"
"""In the build cache: what the last audit knew (``STATE_TABLES``), so a rebuild looks for the
new identifiers only in files that have not changed."""
STATE_TABLES = """
CREATE TABLE fingerprint (code TEXT NOT NULL);
CREATE TABLE known (key BLOB PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE clean (path BLOB PRIMARY KEY, key BLOB NOT NULL, status BLOB) WITHOUT ROWID;
CREATE TABLE vocabulary (word INTEGER PRIMARY KEY);
"""
"""The last audit's state, digests only: the code that wrote it (``BuildCache.code_fingerprint``),
the ``identity_key`` of each identifier it knew, each file it found clean (``_path_key``,
``_file_key`` and its status, unless it changed too recently to be trusted) and every word of
every file audited so far (``_word_key``)."""
FOUND_TABLES = """
CREATE TABLE identities (key BLOB NOT NULL);
CREATE TABLE clean (path BLOB PRIMARY KEY, key BLOB NOT NULL, status BLOB) WITHOUT ROWID;
CREATE TABLE words (word INTEGER PRIMARY KEY);
CREATE TABLE holders (path TEXT NOT NULL, segments BLOB NOT NULL);
"""
"""What an audit finds, in its scratch folder: the next state's tables (``identities``: the
``identity_key`` of each identifier, in order) and each file the detectors read, with the keys of
its segments (``_Gathered.name_segment_findings``)."""
SAVE_STATE = """
BEGIN;
DELETE FROM known;
INSERT OR IGNORE INTO known SELECT key FROM found.identities ORDER BY key;
DELETE FROM clean;
INSERT INTO clean SELECT * FROM found.clean;
INSERT OR IGNORE INTO vocabulary SELECT word FROM found.words;
COMMIT;
"""


def audit_site(
    site_dir: Path,
    identifiers: Iterable[KnownIdentifier],
    cache: BuildCache | None = None,
    *,
    hand_written: frozenset[str] = frozenset(),
    scratch: Path | None = None,
    frames: Sequence[tuple[str, ...]] = (),
) -> list[LeakFinding]:
    """Every known identifier in any output file's text or path, and every residual pattern; the
    files are shared out among all cores. ``identifiers`` is gone through a few times (a list,
    or ``PickledIdentifiers``; not an iterator). ``hand_written``: the output paths of the
    publisher's own pages (docs_dir), not derived from records: the detectors do not read them
    ("mid-November 2009" in a page about the method), the declared identifiers are looked for.
    ``frames``: the pieces of the theme's frames the pages were made of (``theme.saved_frames``):
    each frame's pieces are read once, and of a page made of one only its own parts
    (``_FramedReading``); the findings are the same.

    With a cache, a file the last audit found clean (same path, same bytes) is read again only if
    an identifier that audit did not know could be in it: one whose words are all among the words
    of the files audited before (``vocabulary``). A file whose status (device, inode, size,
    modification time) is the one it had then is not even read for its digest: the build never
    changes a file in place, and a file changed less than RACY_SECONDS before the audit started is
    always read (as git does for its index)."""
    cache = cache or BuildCache(None, "")
    # In the build's scratch folder when it has one (removed by the next build if this one is killed)
    with tempfile.TemporaryDirectory(prefix="imr-audit-", dir=scratch) as held:
        dates, found = Store(Path(held) / "dates.sqlite"), Store(Path(held) / "found.sqlite")
        found.db.executescript(FOUND_TABLES)
        state = _last_state(cache)
        try:
            plan = run_apart(_Plan.of, identifiers, dates, found, state, scratch=Path(held))
            findings = _audited(
                site_dir, identifiers, cache, plan, state, found, hand_written, frames
            )
            if state is not None:
                with closing(sqlite3.connect(state.path, isolation_level=None)) as db:
                    db.execute("ATTACH ? AS found", (str(found.path),))
                    db.executescript(SAVE_STATE)  # (with a journal: all or nothing)
        finally:
            for store in (dates, found, state):
                if store is not None:
                    store.close()
    return findings


def _audited(
    site_dir: Path,
    identifiers: Iterable[KnownIdentifier],
    cache: BuildCache,
    plan: _Plan,
    state: Store | None,
    found: Store,
    hand_written: frozenset[str],
    frames: Sequence[tuple[str, ...]],
) -> list[LeakFinding]:
    """The findings of the workers (``_audit_files``), what else they found kept in ``found``."""
    full, new = plan.full, plan.new
    log.debug(
        "Leak audit: %d identifiers, %d new, %d of them made of words already in the site; "
        "%d files clean before",
        full.count, plan.new_count, new.count, plan.clean_before,
    )  # fmt: skip
    published = frozenset(
        ident.text.casefold() for ident in identifiers if ident.kind == PUBLISHED_CASE_NUMBER
    )
    _AUDIT_STATE.update(
        published=published,
        site_dir=site_dir,
        full=full,
        new=new,
        state=state,
        cache=cache,
        trusted_before_ns=time.time_ns() - RACY_SECONDS * 1_000_000_000,
        hand_written=hand_written,
        frames=_FramedReading.all_of(frames),
    )
    gathered = _Gathered(found)
    jobs = _audit_jobs(site_dir)
    claims = _Claims.for_jobs(len(jobs))
    _AUDIT_STATE["claims"] = claims
    try:
        for part in parallel_map(_audit_files, jobs, desc="Auditing"):
            gathered.add(part)
        gathered.name_segment_findings(site_dir)
    finally:
        _AUDIT_STATE.clear()
        claims.close()
    log.debug(
        "Leak audit: %d files, %d unchanged since the last audit and not read, %d pages read as "
        "one of %d theme frames and their own parts; the detectors read %d distinct segments",
        gathered.files, gathered.unread, gathered.framed, len(frames), claims.used.value,
    )  # fmt: skip
    return sorted(gathered.findings)


def _last_state(cache: BuildCache) -> Store | None:
    """The last audit's state in the build cache; made empty when it is missing, damaged or was
    written by other code. None without a cache."""
    if cache.root is None:
        return None
    path = cache.root / STATE_FILE
    try:
        with closing(sqlite3.connect(path)) as db:  # (rolls back a save a crash interrupted)
            if db.execute("SELECT code FROM fingerprint").fetchall() == [(cache.code_fingerprint,)]:
                return Store(path)
    except sqlite3.DatabaseError:
        pass
    cache.root.mkdir(parents=True, exist_ok=True)
    for stale in (path, Path(f"{path}-journal")):
        stale.unlink(missing_ok=True)
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript(STATE_TABLES)
        db.execute("INSERT INTO fingerprint VALUES (?)", (cache.code_fingerprint,))
    path.chmod(0o600)
    return Store(path)


@dataclass(frozen=True)
class _Plan:
    """The identifiers an audit looks for."""

    full: _Matcher
    """Every identifier: for the files not found clean before."""
    new: _Matcher
    """The identifiers the last audit did not know that could be in a file it found clean."""
    new_count: int
    """How many identifiers the last audit did not know."""
    clean_before: int
    """How many files the last audit found clean."""

    @classmethod
    def of(
        cls,
        identifiers: Iterable[KnownIdentifier],
        dates: Store,
        found: Store,
        state: Store | None,
    ) -> _Plan:
        """Made in a child process (``audit_site``): making the automaton takes several times the
        memory it keeps, and the audit's workers are forked from the main process."""
        full = _Matcher(identifiers, dates, "full")
        if state is None:  # (with no cache nothing was clean before: there is nothing to suspect)
            return cls(full, _Matcher([], dates, "new"), full.count, 0)
        db = found.db
        with found.transaction():
            keys = ((ident.identity_key,) for ident in identifiers)
            db.executemany("INSERT INTO identities VALUES (?)", keys)
        db.execute("ATTACH ? AS state", (str(state.path),))
        clean_before = db.execute("SELECT COUNT(*) FROM state.clean").fetchone()[0]
        new_count, suspects = 0, []
        for ident in _unknown(identifiers, db):
            new_count += 1
            if clean_before and _could_hold(db, ident):
                suspects.append(ident)
        db.execute("DETACH state")
        return cls(full, _Matcher(suspects, dates, "new"), new_count, clean_before)


def _unknown(
    identifiers: Iterable[KnownIdentifier], db: sqlite3.Connection
) -> Iterator[KnownIdentifier]:
    """The identifiers whose ``identity_key`` (``identities``, in order) the last audit did not
    know (``state.known``)."""
    numbers = db.execute(
        "SELECT rowid FROM identities WHERE key NOT IN (SELECT key FROM state.known) ORDER BY rowid"
    )
    wanted = next(numbers, (0,))[0]
    for number, ident in enumerate(identifiers, start=1):
        if number == wanted:
            yield ident
            wanted = next(numbers, (0,))[0]


def _could_hold(db: sqlite3.Connection, ident: KnownIdentifier) -> bool:
    """False when some word of the identifier is in no file audited before (``state.vocabulary``),
    so it cannot be in a file found clean."""
    if ident.kind == DATE_KIND:  # found when any of its forms is
        forms = [key.encode().split() for key in _date_keys(ident.text)]
    else:
        forms = [normalized_words(ident.text)[:MAX_IDENTIFIER_WORDS]]
    query = "SELECT 1 FROM state.vocabulary WHERE word = ?"
    return any(all(db.execute(query, (_word_key(w),)).fetchone() for w in form) for form in forms)


LARGE_FILE_BYTES = 1_000_000


FileStatus = bytes
"""A file's device, inode, size and modification time (ns), packed (``_STATUS``)."""
RACY_SECONDS = 2
"""A file changed this close to the start of the audit is read whatever its status says."""


SHARE_SEPARATOR = "\0"
"""Between the paths of an audit share (``_audit_jobs``)."""
WIDE_FOLDER_ENTRIES = 1000
"""A folder with more subfolders than this (``determinations/``: one per page) is not walked by
the parent: its subfolders are shared out, and each worker walks its own."""


def _audit_jobs(site_dir: Path) -> list[str]:
    """Every file, in shares for the workers: large files (the data exports) first and alone, so
    that no core is left with one of them at the end; then files, then the subfolders of wide
    folders (each ending in "/"), AUDIT_FILES_PER_JOB to a share. Only data files are asked for
    their size: the workers ask each file for its status, on both cores. A share is one string,
    its paths joined by NUL (which no path holds): a string a path, held while the workers
    audit, took about 100 bytes a page in the process they are forked from."""
    sizes, subfolders = _site_listing(site_dir)
    large = sorted(
        (p for p, size in sizes.items() if size >= LARGE_FILE_BYTES),
        key=sizes.__getitem__,
        reverse=True,
    )
    rest = sorted(p for p, size in sizes.items() if size < LARGE_FILE_BYTES)
    rest += sorted(f"{folder}/" for folder in subfolders)
    return large + [
        SHARE_SEPARATOR.join(rest[n : n + AUDIT_FILES_PER_JOB])
        for n in range(0, len(rest), AUDIT_FILES_PER_JOB)
    ]


def _site_listing(site_dir: Path) -> tuple[dict[str, int], list[str]]:
    """(path relative to the site: size) of every file under it, links to files included, but
    below wide folders, whose subfolders come second; the size is 0 for a file that is not a data
    file (which are never large)."""
    sizes: dict[str, int] = {}
    subfolders: list[str] = []
    stack = [""]
    while stack:
        folder = stack.pop()
        with os.scandir(site_dir / folder) as listing:
            entries = list(listing)
        folders = [f"{folder}/{e.name}" if folder else e.name for e in entries if e.is_dir()]
        (subfolders if len(folders) > WIDE_FOLDER_ENTRIES else stack).extend(folders)
        for entry in entries:
            if entry.is_file():
                relative = f"{folder}/{entry.name}" if folder else entry.name
                data = "." + entry.name.rpartition(".")[2].lower() in DATA_SUFFIXES
                sizes[relative] = entry.stat().st_size if data else 0
    return sizes, subfolders


def _files_in(site_dir: Path, share: Sequence[str]) -> Iterator[str]:
    """The files of a share: its files, and every file below its folders (ending in "/")."""
    root = str(site_dir)  # folders as strings: a share may hold thousands
    for relative in share:
        if not relative.endswith("/"):
            yield relative
            continue
        stack = [relative.rstrip("/")]
        while stack:
            folder = stack.pop()
            with os.scandir(f"{root}/{folder}") as entries:
                for entry in entries:
                    if entry.is_dir():
                        stack.append(f"{folder}/{entry.name}")
                    elif entry.is_file():
                        yield f"{folder}/{entry.name}"


def _trusted_status(path: str, trusted_before_ns: int) -> FileStatus | None:
    """A file's status, or None when it changed too recently to be trusted."""
    found = os.stat(path)
    if found.st_mtime_ns >= trusted_before_ns:
        return None
    return _STATUS.pack(found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


_STATUS = struct.Struct("<QQQQ")


def _word_key(word: bytes) -> int:
    return int.from_bytes(
        hashlib.blake2b(word, digest_size=WORD_KEY_BYTES).digest(), "little", signed=True
    )


def _path_key(relative: str) -> bytes:
    data = relative.encode("utf-8", errors="surrogatepass")
    return hashlib.blake2b(data, digest_size=PATH_KEY_BYTES).digest()


def _file_key(cache: BuildCache, relative: str, file_digest: bytes) -> bytes:
    """What the audit's state keeps of a file read: its path and its bytes."""
    return bytes.fromhex(cache.key("audit", relative, file_digest)[: 2 * FILE_KEY_BYTES])


_EMPTY_SLOT = bytes(SEGMENT_KEY_BYTES)


class _Claims:
    """The segments of text the audit's workers have taken to run the detectors on, by key, in a
    hash table held in memory they share (made before they are forked): a text that stands in
    several files (a determination's page, its data export, its search card) is checked once
    across the site, by the first worker to take it. A table half full takes no more keys: the
    segments it cannot hold are checked in every file they stand in (slower, never fewer)."""

    def __init__(self, slots: int) -> None:
        self.mask = slots - 1
        self.table = mmap.mmap(-1, slots * SEGMENT_KEY_BYTES)
        self.used = multiprocessing.RawValue("q", 0)
        self.lock = multiprocessing.Lock()

    @classmethod
    def for_jobs(cls, jobs: int) -> _Claims:
        """A table for an audit of ``jobs`` shares (each of up to AUDIT_FILES_PER_JOB files)."""
        wanted = max(1 << 16, CLAIM_SLOTS_PER_FILE * AUDIT_FILES_PER_JOB * jobs)
        return cls(1 << (wanted - 1).bit_length())

    def claim(self, keys: Iterable[bytes]) -> list[bytes]:
        """The keys no one took before, taken now by the caller (who is to check them)."""
        taken = []
        width, table, capacity = SEGMENT_KEY_BYTES, self.table, (self.mask + 1) // 2
        with self.lock:
            for key in keys:
                slot = int.from_bytes(key[:8], "little") & self.mask
                while (held := table[slot * width : slot * width + width]) not in (
                    key,
                    _EMPTY_SLOT,
                ):
                    slot = (slot + 1) & self.mask
                if held == key and key != _EMPTY_SLOT:
                    continue
                taken.append(key)
                if self.used.value < capacity and key != _EMPTY_SLOT:
                    table[slot * width : slot * width + width] = key
                    self.used.value += 1
        return taken

    def close(self) -> None:
        self.table.close()


CLAIM_SLOTS_PER_FILE = 8
"""Slots of the claims table for each file an audit may read: a file holds a few segments where a
detector could match, most of them in other files too."""


@dataclass
class _AuditPart:
    """What a worker found in its share of the files."""

    findings: list[LeakFinding] = field(default_factory=list)
    clean: list[tuple[bytes, bytes, FileStatus | None]] = field(default_factory=list)
    """The files found clean, as rows of ``clean`` (``STATE_TABLES``)."""
    words: str = "[]"
    """The word keys of the files read, each once, sorted: a JSON array (read by SQLite's
    ``json_each``: a table of them is written at C speed)."""
    unread: int = 0
    """Files not read: as the last audit found them clean, and no new identifier could be in them."""
    files: int = 0
    spanned: dict[bytes, SegmentSpans] = field(default_factory=dict)
    """What the detectors found in the segments this share checked, by key (with a span only)."""
    holders: list[tuple[str, bytes]] = field(default_factory=list)
    """Each file read for the detectors and the keys of its segments, joined."""
    framed: int = 0
    """Pages read as their theme frame's pieces and their own parts (``_FramedReading``)."""

    def check_segments(self, relative: str, segments: dict[bytes, str]) -> None:
        """Run the detectors on the segments of a file no file read before took (``_Claims``)."""
        self.holders.append((relative, b"".join(segments)))
        claims: _Claims = _AUDIT_STATE["claims"]  # type: ignore[assignment]
        for key in claims.claim(segments):
            spans = _segment_spans(segments[key])
            if spans:
                self.spanned[key] = spans


@dataclass
class _Gathered:
    """The parts of an audit, gathered as they come: the files found clean, the words of the site
    and the files the detectors read into ``found`` (``FOUND_TABLES``), the rest here."""

    found: Store
    findings: set[LeakFinding] = field(default_factory=set)
    unread: int = 0
    files: int = 0
    framed: int = 0
    spanned: dict[bytes, SegmentSpans] = field(default_factory=dict)

    def add(self, part: _AuditPart) -> None:
        self.findings.update(part.findings)
        self.unread += part.unread
        self.files += part.files
        self.framed += part.framed
        self.spanned.update(part.spanned)
        with self.found.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO clean VALUES (?, ?, ?)", part.clean)
            db.execute("INSERT OR IGNORE INTO words SELECT value FROM json_each(?)", (part.words,))
            db.executemany("INSERT INTO holders VALUES (?, ?)", part.holders)

    def name_segment_findings(self, site_dir: Path) -> None:
        """The detectors' findings named in every file holding a segment they found something in,
        whichever file's reading ran them (only such files are read again, and none of them is
        kept as clean)."""
        spanned, width, db = self.spanned, SEGMENT_KEY_BYTES, self.found.db
        holders = db.execute("SELECT path, segments FROM holders") if spanned else []
        for relative in [
            relative
            for relative, keys in holders
            if any(keys[n : n + width] in spanned for n in range(0, len(keys), width))
        ]:
            self.findings.update(_segment_findings(site_dir, relative, spanned))
            db.execute("DELETE FROM clean WHERE path = ?", (_path_key(relative),))


def _audit_files(share: str) -> _AuditPart:
    """One share of the audit (``_audit_jobs``; runs in a worker process)."""
    site_dir: Path = _AUDIT_STATE["site_dir"]  # type: ignore[assignment]
    state: Store | None = _AUDIT_STATE["state"]  # type: ignore[assignment]
    part = _AuditPart()
    vocabulary: set[bytes] | None = set() if state is not None else None
    root = str(site_dir)
    _AUDIT_STATE["framed"] = 0
    for relative in _files_in(site_dir, share.split(SHARE_SEPARATOR)):
        part.files += 1
        _audit_file(part, f"{root}/{relative}", relative, state, vocabulary)
    part.framed = _AUDIT_STATE["framed"]  # type: ignore[assignment]
    part.words = json.dumps(sorted({_word_key(word) for word in vocabulary or ()}))
    return part


def _audit_file(
    part: _AuditPart, path: str, relative: str, state: Store | None, vocabulary: set[bytes] | None
) -> None:
    """Audit one file into ``part`` (``path``: a string; Path objects cost a second of a full
    build here). With a state, a file found clean before is searched only for the new identifiers,
    and not read at all if its status is the one it had then."""
    full: _Matcher = _AUDIT_STATE["full"]  # type: ignore[assignment]
    new: _Matcher = _AUDIT_STATE["new"]  # type: ignore[assignment]
    cache: BuildCache = _AUDIT_STATE["cache"]  # type: ignore[assignment]
    path_key, status, key, clean_key, clean_status = b"", None, None, None, None
    if state is not None:
        path_key = _path_key(relative)
        status = _trusted_status(path, _AUDIT_STATE["trusted_before_ns"])  # type: ignore[arg-type]
        clean_key, clean_status = (state.query(CLEAN_FILE, path_key) or [(None, None)])[0]
    unread, data = status is not None and status == clean_status, None
    if unread:
        key = clean_key  # as the last audit found it clean
    else:
        data = _whole_file(path, needed=state is not None)
        key = _file_key(cache, relative, _digest(path, data)) if state is not None else None
    segments: dict[bytes, str] = {}
    if key is None or key != clean_key:
        found = _file_findings(path, data, relative, full, vocabulary, segments)
    elif new.may_concern(relative):  # clean but for the new identifiers
        data, unread = data if data is not None else _whole_file(path, needed=True), False
        found = _file_findings(path, data, relative, new, vocabulary, None)
    else:
        found = []
    part.unread += unread
    part.findings += found
    if segments:
        part.check_segments(relative, segments)
    if not found and key is not None:
        part.clean.append((path_key, key, status))


CLEAN_FILE = "SELECT key, status FROM clean WHERE path = ?"


def _whole_file(path: str, *, needed: bool) -> bytes | None:
    """A file's bytes, read once for its digest, its words and its residual patterns; None for a
    large data file (read in windows) and for a file that is neither text nor ``needed``."""
    suffix = _suffix(path)
    if suffix in DATA_SUFFIXES and os.stat(path).st_size >= LARGE_FILE_BYTES:
        return None
    if not needed and suffix not in TEXT_SUFFIXES:
        return None
    with open(path, "rb") as stream:
        return stream.read()


def _suffix(path: str) -> str:
    """What ``Path(path).suffix.lower()`` gives, without making a Path."""
    return os.path.splitext(path)[1].lower()


def _file_findings(
    path: str,
    data: bytes | None,
    relative: str,
    check: _Matcher,
    vocabulary: set[bytes] | None,
    segments: dict[bytes, str] | None,
) -> list[LeakFinding]:
    """What ``check`` finds in a file's path and text. ``data`` is the file's bytes, or None for a
    large data file, read in windows so that none is held whole. With ``segments``, the segments
    of its text the detectors are to read (``_residual_parts``) are added to it by key; they are
    checked once across the site (``_AuditPart.check_segments``)."""
    if relative.startswith(THEME_FOLDER):
        return []
    suffix = _suffix(path)
    found = list(check.findings(relative, _normalized_into(relative, vocabulary)))
    detected = segments is not None and _detected(relative, suffix)
    if data is None and suffix in DATA_SUFFIXES:
        for raw in _raw_windows(path):
            text = _readable(raw, suffix)
            found += check.findings(relative, _normalized_into(text, vocabulary), _unmarked(text))
            if segments is not None and detected:
                _add_segments(segments, raw, suffix, relative)
        return found
    if data is None or suffix not in TEXT_SUFFIXES:
        return found
    text = (gzip.decompress(data) if suffix == ".gz" else data).decode("utf-8", errors="replace")
    frames: list[_FramedReading] = _AUDIT_STATE["frames"]  # type: ignore[assignment]
    framed = _FramedReading.of_page(text, frames) if suffix == ".html" else None
    if framed is None:
        readable = _readable(text, suffix)
        unmarked = _unmarked(text if suffix == ".html" else readable)
        found += check.findings(relative, _normalized_into(readable, vocabulary), unmarked)
        if segments is not None and detected:
            _add_segments(segments, text, suffix, relative)
        return found
    _AUDIT_STATE["framed"] += 1  # type: ignore[operator]
    words, segmented = framed
    if vocabulary is not None:
        vocabulary.update(words)
    found += check.findings(relative, words, lambda: segmented)
    if segments is not None and detected:
        for segment in _candidate_segments(segmented):
            segments.setdefault(_segment_key(segment), segment)
    return found


def _unmarked(text: str) -> Callable[[], str]:
    """A file's text without markup, made if asked for (``_html_segmented``: tags, scripts and
    styles out, references decoded; of a data file's text, its escapes decoded first)."""
    return lambda: _html_segmented(text)


def _normalized_into(text: str, vocabulary: set[bytes] | None) -> list[bytes]:
    """``normalized_words(text)``, added to ``vocabulary``."""
    words = normalized_words(text)
    if vocabulary is not None:
        vocabulary.update(words)
    return words


WINDOW_BYTES = 1 << 20
"""A window's text is copied several times over while it is checked (decoded, unescaped, cut into
words: about 25 times its size at once), so an audit worker's memory follows the window's size:
with 4 MB windows each worker peaked near 100 MB on the data exports."""
WINDOW_OVERLAP = 4096
"""Each window repeats this much of the one before: more than any identifier or residual pattern
is long, so none is missed where a file is cut."""


def _raw_windows(path: str) -> Iterator[str]:
    """A large data file's text in windows that end at a line break (or anywhere in a window with
    none), each starting with the end of the one before (the same windows at each reading)."""
    with open(path, "rb") as stream:
        pending, overlap = b"", b""
        while True:
            block = stream.read(WINDOW_BYTES)
            final = len(block) < WINDOW_BYTES
            pending += block
            cut = len(pending) if final else pending.rfind(b"\n") + 1 or len(pending)
            window = overlap + pending[:cut]
            yield window.decode("utf-8", errors="replace")
            if final:
                return
            overlap, pending = _tail(window, WINDOW_OVERLAP), pending[cut:]


def _tail(data: bytes, size: int) -> bytes:
    """About the last ``size`` bytes, starting at a whole UTF-8 character."""
    start = max(0, len(data) - size)
    while start < len(data) and 0x80 <= data[start] < 0xC0:
        start += 1
    return data[start:]


def _digest(path: str, data: bytes | None) -> bytes:
    """SHA-256 of a file: of ``data`` when it was read whole, else read in blocks."""
    if data is not None:
        return hashlib.sha256(data).digest()
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.digest()


@functools.cache
def _date_keys(iso: str) -> tuple[str, ...]:
    """A declared date (ISO) in the formats letters write it, normalized; computed once per
    distinct date (a corpus has a few thousand)."""
    d = dt.date.fromisoformat(iso)
    forms = (*_DATE_FORMATS, "{iso}", "{month} {d}, {y}")
    texts = {
        form.format(
            m=d.month, d=d.day, y=d.year, yy=d.year % 100, iso=d.isoformat(), month=f"{d:%B}"
        )
        for form in forms
    }
    return tuple(sorted({normalized(text) for text in texts}))


def _date_forms_in(iso: str, present: frozenset[bytes]) -> list[str]:
    """The forms of a date (``_date_keys``) whose every word is among ``present``, the words of
    a text (or those of them a form could be made of): only those can stand in it (a set lookup
    a word, not a search of the text; the year's word is seldom on another date's page)."""
    return [key for key, words in _date_forms(iso) if words <= present]


@functools.cache
def _date_forms(iso: str) -> tuple[tuple[str, frozenset[bytes]], ...]:
    """The forms of a date (``_date_keys``), each with the set of its words."""
    return tuple((key, frozenset(key.encode().split())) for key in _date_keys(iso))


def _numeric(text: str) -> bool:
    """Digits and separators only: looked for in pages and data, not in the theme's minified code."""
    return not any(char.isalpha() for char in text)


def _detected(relative: str, suffix: str) -> bool:
    """Whether the detectors read a file: page text and data files derived from records, not the
    theme's assets nor the publisher's own pages (searched for the records' identifiers only)."""
    if relative.startswith(THEME_FOLDER) or suffix not in {".html", *DATA_SUFFIXES}:
        return False
    return relative not in _AUDIT_STATE.get("hand_written", ())  # type: ignore[operator]


SEGMENT_EDGE = " \x00 "
"""Between two segments of a file's readable text: no detector crosses it."""
_CSV_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
_XML_TAG = re.compile(r"<[^>]*>")


def _residual_parts(raw: str, suffix: str, relative: str) -> list[tuple[str, str]]:
    """A file's readable text as the detectors read it, in parts, each with the determination its
    findings name: the file's own, or in a file that is not one determination's (data exports,
    search data, sitemaps), that of the row it stands in (``_ROW_OWNER``). A part's text is cut
    into segments by SEGMENT_EDGE: a page's blocks and table cells, a JSON file's strings, a CSV
    file's quoted fields, an XML file's elements. A text that stands in several files (a
    determination's page, its data export, its search card) makes the same segments in each."""
    owner = _owner(relative)
    if suffix == ".html":
        return [(_html_segmented(raw), owner)]
    if suffix == ".json" and (docs := _search_docs(raw)) is not None:
        return [
            (
                _html_segmented(f"{doc.get('title', '')} {doc.get('text', '')}"),
                _owner(str(doc.get("location", ""))),
            )
            for doc in docs
            if isinstance(doc, dict)
        ]
    text = _SITEMAP_DATE.sub(" ", raw) if suffix == ".xml" else raw
    if owner != SITE_WIDE:
        return [(_data_segmented(text, suffix), owner)]
    return [(_data_segmented(row, suffix), _row_owner(row)) for row in _ROW_BREAK.split(text)]


def _html_segmented(raw: str) -> str:
    """Page text: scripts, styles and tags out, blocks and table cells apart (a row of counts,
    "1569 635 1416", is no phone number), entities decoded."""
    return _hidden_out(*_edged(raw))


def _edged(raw: str) -> tuple[str, bool]:
    """``_html_segmented``'s first step: the text with its block and cell tags made segment
    edges, and whether its tags' names are all in lower-case ASCII (``_TAG_CASE`` finds none), as
    the build writes them: the patterns then match the same with case as without, and are run
    without (in half the time)."""
    if _TAG_CASE.search(raw) is None:
        return _CELL_EDGE_LOWER.sub(SEGMENT_EDGE, raw), True
    return _CELL_EDGE.sub(SEGMENT_EDGE, raw), False


def _hidden_out(edged: str, lower: bool) -> str:
    """``_html_segmented``'s second step: scripts, styles and tags out, entities decoded."""
    return html.unescape((_HIDDEN_LOWER if lower else _HIDDEN).sub(" ", edged))


_TAG_CASE = re.compile(r"</?+[a-z]*+[^\W\da-z_]")
"""A "<" or "</" and letters that are not all lower-case ASCII ("<TD", "<tD", "</Script"): the
only places where ``_CELL_EDGE`` and ``_HIDDEN`` (in case or not, letters and a word boundary
after "<" or "</") could match other text than their lower-case forms do. Taking a tag out
(``_CELL_EDGE``) leaves no such place: what follows each "<" left is the same or spacing."""
_CELL_EDGE_LOWER = re.compile(_CELL_EDGE.pattern)
_HIDDEN_LOWER = re.compile(_HIDDEN.pattern, re.DOTALL)


@dataclass(frozen=True)
class _FramedReading:
    """A frame's pieces (``audit_frames.FramePieces``) read as ``_file_findings`` reads a page:
    their normalized words and their segmented text. A page made of the frame is read as these
    and its own parts' readings in order (``of_page``)."""

    pieces: FramePieces
    words: tuple[list[bytes], ...]
    segmented: tuple[str, ...]

    @classmethod
    def all_of(cls, frames: Sequence[tuple[str, ...]]) -> list[_FramedReading]:
        """The readings of the frames whose pieces can be read apart."""
        readings = []
        for pieces in frames:
            cut = FramePieces.of(pieces, _edged_text, _HIDDEN)
            if cut is not None:
                words = tuple(normalized_words(_readable(piece, ".html")) for piece in cut.pieces)
                segmented = tuple(_html_segmented(piece) for piece in cut.pieces)
                readings.append(cls(cut, words, segmented))
        return readings

    @staticmethod
    def of_page(text: str, frames: list[_FramedReading]) -> tuple[list[bytes], str] | None:
        """A page's words and its segmented text, from the frame of ``frames``
        it is made of (the one that served last is tried first: moved to the front); None when
        it is made of none."""
        for number, frame in enumerate(frames):
            parts = frame.pieces.own_parts(text)
            if parts is not None:  # its frame: read apart, or whole if it cannot be (None)
                frames.insert(0, frames.pop(number))
                return frame.reading(parts)
        return None

    def reading(self, parts: list[str]) -> tuple[list[bytes], str] | None:
        """The reading of the page made of this frame and ``parts``; None when a part's text,
        its block tags made edges, leaves a tag open (``FramePieces.own_parts`` checks the
        text as it is)."""
        words, segmented = list(self.words[0]), [self.segmented[0]]
        for part, piece_words, piece_segmented in zip(
            parts, self.words[1:], self.segmented[1:], strict=True
        ):
            edged, lower = _edged(part)
            if edged.rfind("<") > edged.rfind(">"):
                return None
            part_words = normalized_words(_readable(part, ".html"))
            words += part_words
            words += piece_words
            segmented += (_hidden_out(edged, lower), piece_segmented)
        return words, "".join(segmented)


def _edged_text(piece: str) -> str:
    """A text as ``_html_segmented``'s second step reads it (``audit_frames.EdgedText``)."""
    return _CELL_EDGE.sub(SEGMENT_EDGE, piece)


def _data_segmented(text: str, suffix: str) -> str:
    """A data file's text (or a row of it), its strings, quoted fields or elements apart."""
    if suffix == ".json":  # cut at each quote not escaped (JSON text holds no \x01 nor \x02)
        held = text.replace("\\\\", "\x02").replace('\\"', "\x01")
        segmented = SEGMENT_EDGE.join(held.split('"'))
        return _json_unescaped(segmented.replace("\x01", '\\"').replace("\x02", "\\\\"))
    if suffix == ".csv":
        text = SEGMENT_EDGE.join(_CSV_QUOTED.split(text)).replace('""', '"')
    elif suffix == ".xml":
        text = html.unescape(_XML_TAG.sub(SEGMENT_EDGE, text))
        return _html_segmented(text) if "<" in text else text
    return html.unescape(text) if "&" in text else text


def _search_docs(raw: str) -> list[object] | None:
    """The entries of a search index of MkDocs' kind, each naming its page; None for other JSON."""
    if '"docs"' not in raw:
        return None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        return None
    docs = data.get("docs") if isinstance(data, dict) else None
    return docs if isinstance(docs, list) else None


def _candidate_segments(text: str) -> Iterator[str]:
    """The segments of a part's text where a detector could match (``candidate_starts``), in
    order, without their outer spacing."""
    end = -1
    for start in candidate_starts(text):
        if start < end:
            continue
        begin = text.rfind("\x00", 0, start) + 1
        end = text.find("\x00", start)
        end = len(text) if end < 0 else end
        yield text[begin:end].strip()


def _segment_key(segment: str) -> bytes:
    return hashlib.blake2b(
        segment.encode("utf-8", errors="surrogatepass"), digest_size=SEGMENT_KEY_BYTES
    ).digest()


def _add_segments(segments: dict[bytes, str], raw: str, suffix: str, relative: str) -> None:
    """The segments of a file's text the detectors are to read, added to ``segments`` by key."""
    for text, _owner_of_part in _residual_parts(raw, suffix, relative):
        for segment in _candidate_segments(text):
            segments.setdefault(_segment_key(segment), segment)


SegmentSpans = tuple[tuple[str, str], ...]
"""(kind, the text around it) of each span the detectors found in a segment, in order."""


def _segment_spans(segment: str) -> SegmentSpans:
    """What the detectors find in one segment, public dates and published case numbers aside."""
    if _PUBLIC_TEXT is not None:
        segment = _PUBLIC_TEXT.sub(" ", segment)
    published: frozenset[str] = _AUDIT_STATE.get("published", frozenset())  # type: ignore[assignment]
    found = []
    for span in find_spans(segment):
        if published and segment[span.start : span.end].strip().casefold() in published:
            continue  # a case number the publisher shows (show_case_numbers)
        shown = segment[max(0, span.start - 20) : span.end + 20]
        found.append((span.kind, " ".join(shown.split())))
    return tuple(found)


def _segment_findings(
    site_dir: Path, relative: str, spanned: dict[bytes, SegmentSpans]
) -> list[LeakFinding]:
    """The findings of a file that holds segments the detectors found something in: each kind
    once for each determination named, with the text around its first place."""
    path = f"{site_dir}/{relative}"
    suffix = _suffix(path)
    if suffix in DATA_SUFFIXES and os.stat(path).st_size >= LARGE_FILE_BYTES:
        texts: Iterable[str] = _raw_windows(path)
    else:
        with open(path, "rb") as stream:
            texts = [stream.read().decode("utf-8", errors="replace")]
    seen: dict[tuple[str, str], LeakFinding] = {}
    for raw in texts:
        for text, owner in _residual_parts(raw, suffix, relative):
            for segment in _candidate_segments(text):
                for kind, shown in spanned.get(_segment_key(segment), ()):
                    finding = LeakFinding(relative, owner, f"{kind} pattern", shown)
                    seen.setdefault((owner, kind), finding)
    return list(seen.values())


_ROW_BREAK = re.compile(r"\n|\]\s*,\s*\[")
"""Where a data file's rows end: a line (exports, CSV) or an array of an array (search cards)."""
_ROW_OWNER = re.compile(
    r'determinations/([a-z2-7]{12})\b|"id":\s*"([a-z2-7]{12})"|^([a-z2-7]{12}),'
)


def _row_owner(row: str) -> str:
    """The determination a data file's row names first (SITE_WIDE if none)."""
    match = _ROW_OWNER.search(row)
    return next(g for g in match.groups() if g) if match else SITE_WIDE


def owner_of(output_file: str) -> str:
    """The determination an output file is the page of (SITE_WIDE for any other file)."""
    return _owner(output_file)


THEME_FOLDER = "assets/"
"""The theme's and vendors' files (Material's CSS and JavaScript, lunr, the project's own
scripts): no record wrote them, so they are never searched for a record's identifiers."""


def write_leak_report(
    cache_dir: Path | None, withheld: Iterable[WithheldRecord], findings: Iterable[LeakFinding]
) -> str:
    """The private report of what the audit found where, with the text found, so that a
    publisher can fix the record: in the build cache (never in the site), or a temporary file
    without one. Returns its path."""
    lines = ["# Leak audit report: PRIVATE, may hold identifying text; never publish it."]
    for record in withheld:
        lines.append(f"withheld {record.determination} ({record.file}): {', '.join(record.kinds)}")
        lines += [f"    {text}" for text in record.found]
    for finding in findings:
        lines.append(f"found in {finding.output_file}: {finding.kind} of {finding.determination}")
        lines += [f"    {finding.found!r}"] if finding.found else []
    text = "\n".join(lines) + "\n"
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        path = cache_dir / LEAK_REPORT
        path.write_text(text, encoding="utf-8")
        path.chmod(0o600)
        return str(path)
    handle, name = tempfile.mkstemp(prefix="imr-leak-report-", suffix=".txt")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    return name


LEAK_REPORT = "leak-report.txt"


def _owner(location: str) -> str:
    match = _DETERMINATION.search(location)
    return match[1] if match else SITE_WIDE


def _readable(text: str, suffix: str) -> str:
    if suffix == ".json":
        text = _json_unescaped(text)
    return html.unescape(text) if "&" in text else text


_JSON_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|(.))", re.DOTALL)
_JSON_SIMPLE_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _json_unescaped(raw: str) -> str:
    """JSON text with its string escapes decoded ("\\n" a line break, "\\u00e9" an é), so that
    the words of a value read as they would once parsed; no parse, so any size is cheap."""
    if "\\" not in raw:
        return raw
    text = _JSON_ESCAPE.sub(
        lambda m: chr(int(m[1], 16)) if m[1] else _JSON_SIMPLE_ESCAPES.get(m[2], m[2]), raw
    )
    if "\\u" not in raw or not _SURROGATE.search(text):  # (only an escape can make one)
        return text
    # A character beyond the BMP is escaped as a pair ("\\ud83d\\ude00"): joined into it again.
    return text.encode("utf-16", errors="surrogatepass").decode("utf-16", errors="replace")


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _fold(text: str) -> str:
    return " ".join(text.split())

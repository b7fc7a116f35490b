"""Citations: a letter's guideline citation string to the catalog entries, sections and pages it names.

``resolve_citation`` splits the string at each "Decision based on", reads MTUS and ACOEM guideline
names (with edition year, chapter number, ``Section(s):`` and page forms), Official Disability
Guidelines chapters and topics, and other non-MTUS sources (articles, FDA labels, web pages). A
string it cannot place keeps its text and lists the unplaced parts in ``Resolution.unmatched`` for
the build report; nothing is dropped. Results are cached: letters repeat the same strings.
"""

from __future__ import annotations

import difflib
import functools
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.normalize.catalog import Catalog, Guideline, Section, load_catalog
from generator.normalize.text import clean, phrase_pattern

log = logging.getLogger(__name__)

_NO_CITATION = re.compile(
    r"did not cite any|not cite any|no (?:medical )?(?:evidence|guidelines?|citations?) "
    r"(?:was |were )?(?:cited|provided|referenced)|^\s*(?:none|n/?a)\s*\.?\s*$",
    re.IGNORECASE,
)
_DECISION = re.compile(r"\bDecision\s+based\s+on\b\s*", re.IGNORECASE)
_NON_MTUS = re.compile(r"^\W*Non[\s-]*MTUS(?:\s+Citations?)?\W*", re.IGNORECASE)
_MTUS = re.compile(r"^\W*(?:CA\s+)?MTUS\b(?:\s*/\s*ACOEM)?\W*", re.IGNORECASE)
_OTHER_GUIDELINES = re.compile(
    r"(?:\band\s+)?Other\s+Medical\s+Treatment\s+Guidelines?\b", re.IGNORECASE
)
_SILENT = re.compile(
    r"\b(?:is|are|was|were|remains?)\s+silent\b|\bdo(?:es)?\s+not\s+(?:specifically\s+)?address|"
    r"\bnot\s+addressed\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^\W{0,3}\(?((?:19|20)\d\d)\)?")
_CHAPTER = re.compile(r"\bChapter\s+(\d{1,2})\b", re.IGNORECASE)
_PAGES = re.compile(
    r"(?:\bPage\(s\)|\bpages?\b|\bpgs?\b\.?|\bpp?\.|\bp(?=\s*\d))\s*:?\s*"
    r"(?P<pages>\d+(?:\s*-\s*\d+)?(?:\s*(?:,|and|&)\s*\d+(?:\s*-\s*\d+)?)*)",
    re.IGNORECASE,
)
_SECTION_NUMBER = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=[A-Z])")
_ODG_TOKEN = re.compile(
    r"Official\s+Disability\s+Guidelines?(?:\s*\(ODG\))?|\bODG\b(?:\s+Guidelines?)?|"
    r"Work\s+Loss\s+Data\s+Institute",
    re.IGNORECASE,
)
_ODG_FOLLOW = r"(?=\s*(?:\(|\bchapter\b|\bsection\b|\bprocedure\b|\band\b|&|[,.;:/\-]|$))"
_NOISE = re.compile(
    r"\bSection\(s\)|\bSections?\b|\bGuidelines?\b|\bChapters?\b(?:\s+\d+)?|\bTopic\b|\bMTUS\b|"
    r"\bACOEM\b|\bODG\b|\bPractice\b|\bOccupational\s+Medicine\b|\b\d+(?:st|nd|rd|th)\s+ed(?:ition|\.)?|\b(?:19|20)\d\d\b|"
    r"\d{1,2}/\d{1,2}/\d{2,4}|\(\s*(?:acute|updated|online|web)[^)]*\)|\bupdated\b|"
    r"\b(?:online|web)\s+version\b|\bprocedure\s+summary\b|\bthe\b|\baccessed\b(?:\s+(?:from|on))?",
    re.IGNORECASE,
)
_BARE_PAGES = re.compile(r"\d+(?:-\d+)?")
_LETTERS = re.compile(r"[A-Za-z]{2}")
_PIECE_SPLIT = re.compile(r"\s*[,;]\s*|\s+and\s+(?=[A-Z])")
_PAREN = re.compile(r"\s*\([^()]*\)")
_STRIP = " \t,.;:/-[]"
_NAME_BEFORE = r"(?:\A|(?<=and )|(?<=, )|(?<=\) )|(?<=; )|(?<=\. ))"
_EDGE_WORDS = re.compile(
    r"^(?:(?:and|&|or|on|of|the|from)\b\s*)+|(?:\s+\b(?:and|&|or|on|of|the|from))+$", re.I
)
TOPIC_MAX = 200
"""Longest section title kept from free text (a non-MTUS citation can be a paragraph)."""


@dataclass(frozen=True)
class CitationRef:
    """One guideline (and section, pages) a citation names. ``section_slug`` is set only for a
    catalogued section; ``section_title`` is the catalog's title or the topic as the letter wrote it."""

    guideline_id: str
    section_slug: str | None
    section_title: str | None
    pages: str | None


@dataclass(frozen=True)
class Resolution:
    """What a citation string names. ``resolved`` is true when every part of it was placed in the
    catalog (or it says no evidence was cited); ``unmatched`` lists the parts that were not."""

    text: str
    refs: tuple[CitationRef, ...]
    resolved: bool
    no_citation: bool
    unmatched: tuple[str, ...] = ()


def resolve_citation(text: str | None) -> Resolution:
    """Resolve one citation string (a 'Claims Administrator guideline' or reviewer guideline line)."""
    if text is None or not text.strip():
        return Resolution(text="", refs=(), resolved=True, no_citation=True)
    return _resolve_cached(text)


@functools.lru_cache(maxsize=131072)
def _resolve_cached(text: str) -> Resolution:
    if _NO_CITATION.search(text):
        return Resolution(text=text, refs=(), resolved=True, no_citation=True)
    refs, unmatched = _resolver().resolve(clean(text))
    return Resolution(
        text=text,
        refs=refs,
        resolved=bool(refs) and not unmatched,
        no_citation=False,
        unmatched=unmatched,
    )


@functools.cache
def _resolver() -> _Resolver:
    return _Resolver(load_catalog())


def _alternation(phrases: Iterable[str], suffix: str = "", prefix: str = "") -> re.Pattern[str]:
    unique = sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))
    body = "|".join(f"(?:{prefix}{phrase_pattern(phrase)}{suffix})" for phrase in unique)
    return re.compile(body, re.IGNORECASE)


def _key(text: str) -> str:
    return " ".join(word for word in re.findall(r"[a-z0-9]+", text.lower()) if word != "and")


def _pages(text: str) -> str | None:
    found = [_normal_pages(match.group("pages")) for match in _PAGES.finditer(text)]
    return ", ".join(found) if found else None


def _normal_pages(pages: str) -> str:
    parts = re.split(r"\s*(?:,|and|&)\s*", pages.strip())
    return ", ".join(re.sub(r"\s*-\s*", "-", part) for part in parts if part)


def _topic(text: str) -> str | None:
    """Free text as a section title: noise words, dates and wrapping punctuation removed."""
    topic = _PAGES.sub(" ", _NOISE.sub(" ", text))
    topic = re.sub(r"\s+", " ", topic).strip(_STRIP)
    for _ in range(2):
        topic = _EDGE_WORDS.sub("", re.sub(r"\(\s*\)", "", topic)).strip(_STRIP)
        topic = _balance(topic)
    if not _LETTERS.search(topic):
        return None
    return topic if len(topic) <= TOPIC_MAX else topic[: TOPIC_MAX - 1].rstrip() + "…"


def _balance(text: str) -> str:
    """Drop a dangling ')' at the start or '(' at the end; close a parenthesis left open."""
    text = text.removeprefix(")").removesuffix("(").strip(_STRIP)
    if text.count("(") > text.count(")"):
        return text + ")"
    if text.count(")") > text.count("(") and text.endswith(")"):
        return text[:-1].strip(_STRIP)
    return text


class _Resolver:
    """The compiled patterns of one catalog; built once per process."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        named = [g for g in catalog if g.mtus and g.names]
        self.mtus_by_key: dict[str, list[Guideline]] = {}
        for guideline in named:
            for name in guideline.names:
                self.mtus_by_key.setdefault(_key(name), []).append(guideline)
        self.mtus_names = _alternation(
            (name for g in named for name in g.names), prefix=_NAME_BEFORE
        )
        chapters = [g for g in named if g.chapter is not None]
        self.by_chapter = {g.chapter: g for g in chapters if g.chapter is not None}
        odg = [g for g in catalog.family("odg") if g.id != "odg"]
        self.odg_by_key = {_key(name): g for g in odg for name in g.names}
        self.odg_chapters = _alternation((n for g in odg for n in g.names), _ODG_FOLLOW)
        self.others = [g for g in catalog if not g.mtus and g.patterns]
        self.other_patterns = [
            (g, re.compile("|".join(g.patterns), re.IGNORECASE)) for g in self.others
        ]
        self.acoem = catalog.get("acoem-practice-guidelines")
        self.acoem_token = re.compile("|".join(self.acoem.patterns), re.IGNORECASE)
        self.section_patterns: dict[str, re.Pattern[str]] = {}

    def resolve(self, text: str) -> tuple[tuple[CitationRef, ...], tuple[str, ...]]:
        """Refs and unplaced parts of one cleaned citation string."""
        refs: list[CitationRef] = []
        unmatched: list[str] = []
        for kind, segment in _segments(text):
            for part in _OTHER_GUIDELINES.split(segment):
                found = self._part(kind, part)
                if found:
                    refs.extend(found)
                elif _LETTERS.search(part) and not _SILENT.search(part):
                    unmatched.append(part.strip(_STRIP))
        return tuple(_dedupe(refs)), tuple(unmatched)

    def _part(self, kind: str, part: str) -> list[CitationRef]:
        pieces = self._sources(part, acoem=kind != "mtus")
        refs: list[CitationRef] = []
        head = pieces[0][1] if pieces and pieces[0][0] == "head" else ""
        if kind != "non-mtus":
            refs.extend(self._mtus(head))
        if kind != "mtus" and head and not refs:
            refs.extend(self._odg(head) if self._odg_at_start(head) else self._other(head))
        for source, text in pieces:
            if source == "odg":
                refs.extend(self._odg(text))
            elif source == "acoem":
                refs.extend(self._acoem(text))
        return refs

    def _sources(self, part: str, *, acoem: bool) -> list[tuple[str, str]]:
        """``part`` cut where an ODG or (outside MTUS text) ACOEM source starts:
        [('head'|'odg'|'acoem', text), ...]."""
        starts = [(m.start(), "odg") for m in _ODG_TOKEN.finditer(part)]
        if acoem:
            starts += [(m.start(), "acoem") for m in self.acoem_token.finditer(part)]
        starts = _merge_close(sorted(starts))
        if not starts:
            return [("head", part)]
        cuts = [*(start for start, _ in starts), len(part)]
        pieces = [("head", part[: cuts[0]])]
        pieces += [(source, part[cuts[i] : cuts[i + 1]]) for i, (_, source) in enumerate(starts)]
        return pieces

    def _odg_at_start(self, text: str) -> bool:
        match = self.odg_chapters.search(text)
        return match is not None and not _LETTERS.search(text[: match.start()])

    # --- MTUS and ACOEM 2nd edition -------------------------------------------------------
    def _mtus(self, text: str) -> list[CitationRef]:
        text = text.strip()
        matches = list(self.mtus_names.finditer(text))
        refs: list[CitationRef] = []
        for i, match in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
            tail = text[match.end() : end]
            year = _YEAR.match(tail)
            guideline = self._edition(match.group(0), int(year.group(1)) if year else None)
            refs.extend(self._sections(guideline, tail[year.end() :] if year else tail))
        if not matches:
            for match in _CHAPTER.finditer(text):
                refs.extend(self._chapter(int(match.group(1)), text[match.end() :]))
        return refs

    def _edition(self, name: str, year: int | None) -> Guideline:
        candidates = self.mtus_by_key[_key(name)]
        if year is not None:
            for guideline in candidates:
                if guideline.year == year:
                    return guideline
        return next((g for g in candidates if g.default), candidates[0])

    def _chapter(self, chapter: int, tail: str) -> list[CitationRef]:
        guideline = self.by_chapter.get(chapter)
        if guideline is not None:
            return self._sections(guideline, tail)
        approaches = self.catalog.get("acoem-general-approaches-2004")
        section = next((s for s in approaches.sections if s.chapter == chapter), None)
        if section is None:
            return []
        return [
            CitationRef(approaches.id, section.slug, section.title, _pages(tail) or section.pages)
        ]

    # --- sections and pages of one guideline ----------------------------------------------
    def _sections(self, guideline: Guideline, tail: str) -> list[CitationRef]:
        """The sections named in the text after a guideline's name (known, fuzzy or as written)."""
        found = self._numbered(guideline, tail) if any(s.number for s in guideline.sections) else []
        if not found:
            found = self._named(guideline, tail)
        if not found:
            return [CitationRef(guideline.id, None, None, _pages(tail))]
        return [
            CitationRef(
                guideline.id,
                section.slug if section else None,
                section.title if section else title,
                pages or (section.pages if section else None),
            )
            for section, title, pages in found
        ]

    def _numbered(self, guideline: Guideline, tail: str) -> list[_Found]:
        by_number = {s.number: s for s in guideline.sections if s.number}
        matches = list(_SECTION_NUMBER.finditer(tail))
        found: list[_Found] = []
        for i, match in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(tail)
            section = by_number.get(match.group(1))
            title = None if section else _topic(tail[match.end() : end])
            if section or title:
                found.append((section, title, _pages(tail[match.end() : end])))
        return found

    def _named(self, guideline: Guideline, tail: str) -> list[_Found]:
        items: list[tuple[int, Section | None, str | None]] = []
        rest = tail
        if guideline.sections:
            pattern = self._section_pattern(guideline)
            for match in pattern.finditer(tail):
                items.append((match.start(), self._section_named(guideline, match.group(0)), None))
            rest = pattern.sub(lambda m: "," + " " * (len(m.group(0)) - 1), tail)
        for blank in (_PAGES, _CHAPTER):
            rest = blank.sub(lambda m: " " * len(m.group(0)), rest)
        for start, piece in _pieces(rest):
            section = _fuzzy(guideline, piece)
            items.append((start, section, None if section else _topic(piece)))
        return _with_pages(sorted(items, key=lambda item: item[0]), tail)

    def _section_pattern(self, guideline: Guideline) -> re.Pattern[str]:
        pattern = self.section_patterns.get(guideline.id)
        if pattern is None:
            names = (_PAREN.sub("", n) for s in guideline.sections for n in (s.title, *s.names))
            pattern = _alternation((n for n in names if _LETTERS.search(n)), r"(?:\s*\([^()]*\))?")
            self.section_patterns[guideline.id] = pattern
        return pattern

    def _section_named(self, guideline: Guideline, text: str) -> Section | None:
        key = _key(_PAREN.sub("", text))
        for section in guideline.sections:
            if key in {_key(_PAREN.sub("", n)) for n in (section.title, *section.names)}:
                return section
        return None

    # --- Official Disability Guidelines ---------------------------------------------------
    def _odg(self, text: str) -> list[CitationRef]:
        """Chapters named after an ODG mention, each with the topic written after it."""
        token = _ODG_TOKEN.match(text)
        body_start = token.end() if token else 0
        chapters = list(self.odg_chapters.finditer(text, body_start))
        pages = _pages(text)
        if not chapters:
            return [CitationRef("odg", None, _topic(text[body_start:]), pages)]
        refs = []
        for i, match in enumerate(chapters):
            end = chapters[i + 1].start() if i + 1 < len(chapters) else len(text)
            topic = _topic(text[match.end() : end])
            if i == 0 and topic is None:
                topic = _topic(text[body_start : match.start()])
            guideline = self.odg_by_key[_key(match.group(0))]
            refs.append(CitationRef(guideline.id, None, topic, pages))
        return refs

    # --- ACOEM outside the MTUS and every other source ------------------------------------
    def _acoem(self, text: str) -> list[CitationRef]:
        if re.search(r"\b2nd\s+ed|\(2004\)", text, re.IGNORECASE):
            refs = self._mtus(text)
            if refs:
                return refs
        return self._sections(self.acoem, self.acoem_token.sub(" ", text))

    def _other(self, text: str) -> list[CitationRef]:
        for guideline, pattern in self.other_patterns:
            if guideline.id != self.acoem.id and pattern.search(text):
                return [CitationRef(guideline.id, None, _topic(text), _pages(text))]
        return []


_Found = tuple[Section | None, str | None, str | None]


def _segments(text: str) -> list[tuple[str, str]]:
    """The text after each 'Decision based on', with its kind: 'mtus', 'non-mtus' or 'unknown'."""
    parts = _DECISION.split(text)
    segments = parts[1:] if len(parts) > 1 else parts
    result = []
    for segment in segments:
        if (match := _NON_MTUS.match(segment)) is not None:
            result.append(("non-mtus", segment[match.end() :]))
        elif (match := _MTUS.match(segment)) is not None:
            result.append(("mtus", segment[match.end() :]))
        else:
            result.append(("unknown", segment))
    return result


def _merge_close(starts: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop a source start that falls inside the previous one's name ('ACOEM ... ODG' stay apart)."""
    merged: list[tuple[int, str]] = []
    for start, source in starts:
        if merged and merged[-1][1] == source and start - merged[-1][0] < 12:
            continue
        merged.append((start, source))
    return merged


def _pieces(rest: str) -> list[tuple[int, str]]:
    """Leftover text split into candidate section names, with their positions."""
    pieces = []
    position = 0
    for piece in _PIECE_SPLIT.split(rest):
        start = rest.find(piece, position) if piece else position
        position = start + len(piece)
        if _topic(piece) is not None or _BARE_PAGES.fullmatch(_NOISE.sub(" ", piece).strip(_STRIP)):
            pieces.append((start, piece))
    return pieces


def _fuzzy(guideline: Guideline, piece: str) -> Section | None:
    """A catalogued section the piece misspells ('Diagnositc Criteria'), if it is close enough."""
    text = _topic(piece)
    if text is None or not guideline.sections:
        return None
    titles = {s.title.lower(): s for s in guideline.sections}
    titles.update({_PAREN.sub("", s.title).lower(): s for s in guideline.sections})
    close = difflib.get_close_matches(text.lower(), list(titles), n=1, cutoff=0.85)
    return titles[close[0]] if close else None


@dataclass
class _Item:
    """A section found in a tail while pages are being attached."""

    start: int
    section: Section | None
    title: str | None
    pages: list[str]


def _with_pages(items: Sequence[tuple[int, Section | None, str | None]], tail: str) -> list[_Found]:
    """Attach each page expression to the nearest section before it; bare numbers are pages."""
    found: list[_Item] = []
    pending: list[str] = []
    for start, section, title in items:
        if section is None and title is None:
            bare = _BARE_PAGES.search(tail, start)
            if bare:
                pending.append(bare.group(0))
        else:
            found.append(_Item(start, section, title, []))
    for mark in _PAGES.finditer(tail):
        owner = next((item for item in reversed(found) if item.start < mark.start()), None)
        (owner.pages if owner else pending).append(_normal_pages(mark.group("pages")))
    if pending:
        if not found:
            return [(None, None, ", ".join(pending))]
        found[0].pages.extend(pending)
    return [(item.section, item.title, ", ".join(item.pages) or None) for item in found]


def _dedupe(refs: Iterable[CitationRef]) -> list[CitationRef]:
    """Refs in order, each once; a bare guideline ref is dropped when a sectioned one exists."""
    unique = list(dict.fromkeys(refs))
    with_sections = {ref.guideline_id for ref in unique if ref.section_title or ref.pages}
    return [
        ref
        for ref in unique
        if ref.section_title or ref.pages or ref.guideline_id not in with_sections
    ]


__all__ = ["CitationRef", "Resolution", "resolve_citation"]

"""Treatments: a disputed item's text to its canonical treatment, category, quantity and body part.

The lexicon is data (``data/treatments.yaml``, documented in ``docs/treatments.md``): drugs by
generic name with their brand names, imaging and electrodiagnostic tests by body part, therapies,
injections, surgery, equipment, programs and visits. ``normalize_treatment`` picks the entry
whose pattern appears first in the text (specific patterns before generic ones such as 'labs' or
'consult'), then applies the topical and compounded-product rules. Results are cached.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, model_validator

from generator.normalize.data import Pattern, Slug, StrictModel, Text, data_file, load_data
from generator.normalize.text import clean, slugify

log = logging.getLogger(__name__)

TREATMENTS_FILE = "treatments.yaml"
NOT_CLASSIFIED = "not-classified"
COMPOUNDED_SLUG = "compounded-topical-analgesic"
COMPOUNDED_NAME = "Compounded topical analgesic"
TOPICAL_CATEGORY = "topical-analgesics"
_TOPICAL_FORM = re.compile(
    r"\b(?:cream|gel|ointment|lotion|patch(?:es)?|topical|transdermal|compound(?:ed)?|liniment|"
    r"spray|roll-?on)\b|\d(?:\.\d+)?\s*%",
    re.IGNORECASE,
)
_COMPOUND = re.compile(r"\bcompound(?:ed)?\b", re.IGNORECASE)
_PERCENT = re.compile(r"\d(?:\.\d+)?\s*%")
_LATERALITY = re.compile(
    r"\b(left|right|bilateral|both)\s+(?:(?:and|&)\s+(?:left|right)\s+)?(?:the\s+)?$", re.I
)


class GroupEntry(StrictModel):
    slug: Slug
    title: Text


class CategoryEntry(StrictModel):
    slug: Slug
    title: Text
    group: Slug


class BodyPartEntry(StrictModel):
    slug: Slug
    title: Text
    match: tuple[Pattern, ...] = Field(min_length=1)
    fallback: bool = False
    """Looked for only when no body part before it in the file was found ('spine')."""


class TreatmentEntry(StrictModel):
    slug: Slug
    name: Text
    category: Slug
    match: tuple[Pattern, ...] = ()
    weak: tuple[Pattern, ...] = ()
    unless: tuple[Pattern, ...] = ()
    by_body_part: bool = False
    topical: bool = False

    @model_validator(mode="after")
    def _has_patterns(self) -> TreatmentEntry:
        if not self.match and not self.weak:
            raise ValueError(f"{self.slug}: give at least one pattern in match or weak")
        return self


class LexiconFile(StrictModel):
    """The whole of ``treatments.yaml``."""

    version: int = Field(ge=1, le=1)
    groups: tuple[GroupEntry, ...] = Field(min_length=1)
    categories: tuple[CategoryEntry, ...] = Field(min_length=1)
    body_parts: tuple[BodyPartEntry, ...] = Field(min_length=1)
    treatments: tuple[TreatmentEntry, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> LexiconFile:
        groups = {group.slug for group in self.groups}
        categories = {category.slug for category in self.categories}
        for category in self.categories:
            if category.group not in groups:
                raise ValueError(f"category {category.slug}: unknown group {category.group!r}")
        slugs: set[str] = set()
        for treatment in self.treatments:
            if treatment.category not in categories:
                raise ValueError(
                    f"treatment {treatment.slug}: unknown category {treatment.category!r}"
                )
            if treatment.slug in slugs:
                raise ValueError(f"treatment {treatment.slug}: slug used twice")
            slugs.add(treatment.slug)
        return self


@dataclass(frozen=True)
class TreatmentInfo:
    """A disputed item normalized. ``specific`` is false when no lexicon entry matched: the item
    is then shown as written (``canonical`` is the text) and listed in the build report."""

    canonical: str
    slug: str
    category: str
    category_slug: str
    quantity: str | None
    body_part: str | None
    group: str = ""
    group_slug: str = ""
    specific: bool = True


@dataclass(frozen=True)
class _Treatment:
    entry: TreatmentEntry
    strong: re.Pattern[str] | None
    weak: re.Pattern[str] | None
    unless: re.Pattern[str] | None


def _words(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    body = "|".join(f"(?:{pattern})" for pattern in patterns)
    return re.compile(rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9])", re.IGNORECASE)


class _Lexicon:
    """The compiled lexicon; built once per process."""

    def __init__(self, lexicon: LexiconFile) -> None:
        groups = {group.slug: group for group in lexicon.groups}
        self.categories = {c.slug: (c, groups[c.group]) for c in lexicon.categories}
        self.treatments = [
            _Treatment(entry, _words(entry.match), _words(entry.weak), _words(entry.unless))
            for entry in lexicon.treatments
        ]
        self.body_parts = [(part, _words(part.match)) for part in lexicon.body_parts]
        strong = tuple(p for e in lexicon.treatments for p in e.match)
        weak = tuple(p for e in lexicon.treatments for p in e.weak)
        self.combined = [(tier, c) for tier, c in enumerate((_words(strong), _words(weak))) if c]
        self.topical = [
            t for t in self.treatments if t.entry.topical or t.entry.category == TOPICAL_CATEGORY
        ]

    def find(self, text: str) -> list[_Treatment]:
        """The winning entry first, then every other entry that matches (for the topical rules).

        Strong matches beat weak ones; then the match earliest in the text wins, then the longest,
        then file order. One combined pattern per tier finds the earliest position quickly."""
        for tier, combined in self.combined:
            winner = self._earliest(text, tier, combined)
            if winner is not None:
                others = [t for t in self.topical if t is not winner and self._matches(t, text)]
                return [winner, *others]
        return []

    def _earliest(self, text: str, tier: int, combined: re.Pattern[str]) -> _Treatment | None:
        position = 0
        while (match := combined.search(text, position)) is not None:
            best: tuple[int, int, _Treatment] | None = None
            for rank, treatment in enumerate(self.treatments):
                pattern = (treatment.strong, treatment.weak)[tier]
                found = pattern.match(text, match.start()) if pattern else None
                if found and not (treatment.unless and treatment.unless.search(text)):
                    key = (-len(found.group(0)), rank, treatment)
                    best = key if best is None or key[:2] < best[:2] else best
            if best is not None:
                return best[2]
            position = match.start() + 1
        return None

    @staticmethod
    def _matches(treatment: _Treatment, text: str) -> bool:
        return any(p is not None and p.search(text) for p in (treatment.strong, treatment.weak))

    def regions(self, text: str) -> list[tuple[BodyPartEntry, str]]:
        """Body parts named in ``text``, in text order, each with its laterality if stated."""
        found: list[tuple[int, BodyPartEntry, str]] = []
        taken: list[tuple[int, int]] = []
        for part, pattern in self.body_parts:
            if pattern is None or (part.fallback and found):
                continue
            for match in pattern.finditer(text):
                if any(start < match.end() and match.start() < end for start, end in taken):
                    continue
                taken.append(match.span())
                side = _LATERALITY.search(text[max(0, match.start() - 30) : match.start()])
                found.append((match.start(), part, side.group(1).lower() if side else ""))
                break
        found.sort(key=lambda item: item[0])
        return [(part, side) for _, part, side in found]


def normalize_treatment(text: str) -> TreatmentInfo:
    """The canonical treatment, category, quantity and body part of one disputed item's text."""
    return _normalize_cached(clean(text))


@functools.lru_cache(maxsize=131072)
def _normalize_cached(text: str) -> TreatmentInfo:
    lexicon = _lexicon()
    found = lexicon.find(text)
    regions = lexicon.regions(text)
    body_part = ", ".join(dict.fromkeys(f"{side} {part.title}".strip() for part, side in regions))
    quantity = extract_quantity(text)
    if not found:
        return TreatmentInfo(
            canonical=text,
            slug=slugify(text)[:80] or NOT_CLASSIFIED,
            category="Not classified",
            category_slug=NOT_CLASSIFIED,
            quantity=quantity,
            body_part=body_part or None,
            group="Not classified",
            group_slug=NOT_CLASSIFIED,
            specific=False,
        )
    slug, name, category = _choose(text, found, regions)
    entry, group = lexicon.categories[category]
    return TreatmentInfo(
        canonical=name,
        slug=slug,
        category=entry.title,
        category_slug=entry.slug,
        quantity=quantity,
        body_part=body_part or None,
        group=group.title,
        group_slug=group.slug,
    )


def _choose(
    text: str, found: list[_Treatment], regions: list[tuple[BodyPartEntry, str]]
) -> tuple[str, str, str]:
    """(slug, canonical name, category slug) of the winning entry after the topical rules."""
    first = found[0].entry
    drugs = {t.entry.slug for t in found if t.entry.topical or t.entry.category == TOPICAL_CATEGORY}
    topical_form = bool(_TOPICAL_FORM.search(text))
    if first.category != TOPICAL_CATEGORY and _is_compounded(text, len(drugs), topical_form):
        return COMPOUNDED_SLUG, COMPOUNDED_NAME, TOPICAL_CATEGORY
    if first.topical and topical_form:
        return f"{first.slug}-topical", f"{first.name}, topical", TOPICAL_CATEGORY
    if first.by_body_part and regions:
        part = regions[0][0]
        return f"{first.slug}-{part.slug}", f"{first.name}, {part.title}", first.category
    return first.slug, first.name, first.category


def _is_compounded(text: str, drug_count: int, topical_form: bool) -> bool:
    if len(_PERCENT.findall(text)) >= 2:
        return True
    return drug_count >= 2 and (topical_form or bool(_COMPOUND.search(text)))


# --- quantity ------------------------------------------------------------------------------
_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fourteen": "14",
    "sixteen": "16", "eighteen": "18", "twenty": "20", "twenty-four": "24", "thirty": "30",
}  # fmt: skip
_N = r"(?:\d+(?:\s*-\s*\d+)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_QUANTITY_PATTERNS = (
    (
        "count",
        re.compile(
            r"#\s*(\d+(?:\.\d+)?)(?:\s*(grams?|gm|g|ml|tablets?|tabs?|capsules?|patch(?:es)?|box(?:es)?)\b)?",
            re.I,
        ),
    ),
    (
        "frequency",
        re.compile(
            rf"\b({_N})\s*(?:x|times?|(?:visits?|sessions?)(?=\s*(?:a|per|/|each)\s))\s*(?:a|per|/|each)?\s*(?:week|wk)\w*\s*(?:for|x|times|over)\s*({_N})\s*(?:weeks?|wks?)\b",
            re.I,
        ),
    ),
    ("frequency", re.compile(rf"\b({_N})\s*(?:x|times)\s*({_N})\b(?!\s*(?:mg|%|days?))", re.I)),
    (
        "sessions",
        re.compile(
            rf"\b({_N})\s*(?:\(\d+\)\s*)?(?:(?!{_N}\b)[a-z/-]+\s+){{0,3}}?(sessions|visits|treatments)\b",
            re.I,
        ),
    ),
    ("sessions", re.compile(rf"\b(sessions|visits)\s*,?\s*(?:x|times|#)?\s*({_N})\b", re.I)),
    ("times", re.compile(rf"\b(?:times|x)\s*({_N})\b(?!\s*(?:a|per)\s+week)", re.I)),
    ("amount", re.compile(r"(?<![/\d.])(\d+(?:\.\d+)?)\s*(grams?|gm|g|ml|oz)\b(?!\s*/)", re.I)),
    (
        "supply",
        re.compile(rf"(?<!#)\b({_N})[\s-]*(day|week|month)s?\s*(rental|supply|use|trial)\b", re.I),
    ),
    (
        "supply",
        re.compile(
            rf"(?<!#)\b({_N})\s+(months?|weeks?|days?)\s+(?:supply|rental|coverage)\b", re.I
        ),
    ),
    ("count", re.compile(r"\bQTY\s*:?\s*(\d+)", re.I)),
)


def _number(word: str) -> str:
    word = re.sub(r"\s+", "", word.lower())
    return _NUMBER_WORDS.get(word, word)


def extract_quantity(text: str) -> str | None:
    """The quantity the item states ('#120', '6 sessions', '2x/week for 3 weeks', '240 g'), or None."""
    found: dict[str, str] = {}
    for kind, pattern in _QUANTITY_PATTERNS:
        match = pattern.search(text)
        if (
            match is None
            or kind in found
            or (kind == "times" and ("frequency" in found or "sessions" in found))
        ):
            continue
        value = _quantity_text(kind, match)
        number = re.match(r"#?([\d.]+)", value)
        if kind == "amount" and number and any(number.group(1) in v for v in found.values()):
            continue
        found[kind] = value
    return ", ".join(list(found.values())[:2]) or None


def _quantity_text(kind: str, match: re.Match[str]) -> str:
    groups = [group for group in match.groups() if group]
    return _QUANTITY_FORMATS[kind](groups, match.group(0).lower())


def _count(groups: list[str], _: str) -> str:
    return f"#{groups[0]}" + (f" {groups[1].lower()}" if len(groups) > 1 else "")


def _frequency(groups: list[str], text: str) -> str:
    first, second = _number(groups[0]), _number(groups[1])
    return f"{first}x/week for {second} weeks" if "week" in text else f"{first}x{second}"


def _sessions(groups: list[str], _: str) -> str:
    units = ("sessions", "visits", "treatments")
    number, unit = (groups[0], groups[1]) if groups[1].lower() in units else (groups[1], groups[0])
    return f"{_number(number)} {unit.lower()}"


def _supply(groups: list[str], _: str) -> str:
    kind = groups[2].lower() if len(groups) > 2 else "supply"
    return f"{_number(groups[0])}-{groups[1].lower().rstrip('s')} {kind}"


_QUANTITY_FORMATS = {
    "count": _count,
    "frequency": _frequency,
    "sessions": _sessions,
    "times": lambda groups, _: f"{_number(groups[0])} times",
    "amount": lambda groups, _: f"{groups[0]} {groups[1].lower()}",
    "supply": _supply,
}


def load_lexicon(path: Path | None = None) -> LexiconFile:
    """The validated treatment lexicon (``generator/data/treatments.yaml`` unless ``path``)."""
    return load_data(path or data_file(TREATMENTS_FILE), LexiconFile)


@functools.cache
def _lexicon() -> _Lexicon:
    return _Lexicon(load_lexicon())


__all__ = ["TreatmentInfo", "extract_quantity", "load_lexicon", "normalize_treatment"]

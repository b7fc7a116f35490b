"""Summary: the clinical case summary's text, and the worker's age and sex as the summary states them.

The age is written many ways ("a 48 year old male", "a now 36-year-old", "a(n) 59 year old", "The 38
year old male injured worker") or not at all; the sex is the word next to the age, else the first
word naming one, else a clear majority of pronouns, else unknown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.ingest.text import join_lines
from generator.schema import Sex

MAX_AGE = 120
_INTRO = re.compile(
    r"^The expert reviewer developed the following clinical case summary based on a review of the "
    r"case file, including all medical records\s*:?\s*",
    re.I,
)
_AGE = re.compile(
    r"\b(?P<age>\d{1,3})(?:[- ]|\s*-\s*)(?:years?|yrs?\.?)(?:[- ]|\s*-\s*)old\b", re.I
)
_AGE_WORD = re.compile(r"\b(?:age|aged)\s*:?\s*(?P<age>\d{1,3})\b", re.I)
_SEX_WORDS = {
    "male": "male",
    "man": "male",
    "gentleman": "male",
    "female": "female",
    "woman": "female",
    "lady": "female",
}
_SEX_WORD = re.compile(r"\b(" + "|".join(_SEX_WORDS) + r")\b", re.I)
_AFTER_AGE = re.compile(r"\s*,?\s*(?P<word>\w+)")
_HE = re.compile(r"\b(?:he|him|his)\b", re.I)
_SHE = re.compile(r"\b(?:she|her|hers)\b", re.I)


@dataclass(frozen=True)
class CaseSummary:
    """The summary as one paragraph, and the worker's age and sex found in it."""

    text: str
    age: int | None
    sex: Sex


def parse_summary(lines: Sequence[str]) -> CaseSummary:
    """Read the "CLINICAL CASE SUMMARY" section."""
    text = _INTRO.sub("", join_lines(lines)).strip()
    age_match = _AGE.search(text) or _AGE_WORD.search(text)
    age = int(age_match["age"]) if age_match else None
    return CaseSummary(
        text=text,
        age=age if age is not None and age <= MAX_AGE else None,
        sex=_sex(text, age_match.end() if age_match else None),
    )


def _sex(text: str, after_age: int | None) -> Sex:
    if after_age is not None:
        word = _AFTER_AGE.match(text, after_age)
        if word and word["word"].lower() in _SEX_WORDS:
            return _as_sex(_SEX_WORDS[word["word"].lower()])
    named = _SEX_WORD.search(text)
    if named:
        return _as_sex(_SEX_WORDS[named[1].lower()])
    he, she = len(_HE.findall(text)), len(_SHE.findall(text))
    if he >= 2 and she == 0:
        return "male"
    if she >= 2 and he == 0:
        return "female"
    return "unknown"


def _as_sex(word: str) -> Sex:
    return "female" if word == "female" else "male"

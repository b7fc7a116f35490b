"""How text becomes search terms. The browser (``site_overrides/assets/javascripts/imr-search.js``)
implements the same rules; ``tests/test_search_browser.py`` checks the two agree on shared examples.

Rules: Unicode NFKD, accents dropped, lower case; words are runs of ASCII letters or of digits (a
number stuck to its unit is two words: "325mg" -> "325", "mg"); stop words, units of measure and
numbers longer than four digits are dropped (long numbers are never useful precedents and could be
identifiers); a light stem: plurals ("injections" -> "injection", "therapies" -> "therapy"), then in
words of seven letters or more an adjective's or a noun's ending ("arthroscopic" and "arthroscopy" ->
"arthroscop", "neurological" -> "neurolog", "chiropractor" -> "chiropract") when five letters are
left.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

WORD = re.compile(r"[a-z]+|[0-9]+")
TREATMENT_FIELD = "t:"
"""Prefix of terms found in an item's treatment; results matching there rank first."""
MAX_NUMBER_DIGITS = 4
MAX_TERM_LENGTH = 30
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "in",
        "into",
        "is",
        "it",
        "its",
        "not",
        "of",
        "on",
        "or",
        "she",
        "that",
        "the",
        "their",
        "there",
        "they",
        "this",
        "to",
        "was",
        "were",
        "which",
        "who",
        "with",
        # units of measure: "325mg" is "325" (the number is what a reader types)
        "mg",
        "mcg",
        "ml",
        "g",
        "gm",
        "gms",
        "cc",
        "mm",
        "cm",
    }
)
ENDINGS = ("ical", "ic", "or", "y")
"""Endings dropped by ``stem`` from words of at least STEM_MIN_LENGTH letters, keeping STEM_KEEP."""
STEM_MIN_LENGTH = 7
STEM_KEEP = 5


def stem(word: str) -> str:
    """Plural endings, then an adjective's or noun's ending: a stemmer the browser can reproduce
    exactly."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if len(word) >= STEM_MIN_LENGTH:
        for ending in ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= STEM_KEEP:
                return word[: -len(ending)]
    return word


def fold(text: str) -> str:
    """Lower case without accents (every combining mark dropped, as the browser's \\p{M})."""
    if text.isascii():
        return text.lower()
    return _marks().sub("", unicodedata.normalize("NFKD", text)).lower()


def _mark_ranges() -> str:
    """A character class of every Unicode mark (general category M*), as ranges."""
    marks = [c for c in range(0x110000) if unicodedata.category(chr(c)).startswith("M")]
    ranges, start = [], marks[0]
    for previous, current in zip(marks, [*marks[1:], -1], strict=True):
        if current != previous + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(previous))}")
            start = current
    return "[" + "".join(ranges) + "]+"


@functools.cache
def _marks() -> re.Pattern[str]:
    """Compiled on first use: listing the marks takes a third of a second, and ASCII text (most
    of it) never needs them."""
    return re.compile(_mark_ranges())


def terms(text: str) -> list[str]:
    """The search terms of a text, in order, repeats kept."""
    return [stem(word) for word in WORD.findall(fold(text)) if _indexed(word)]


def _indexed(word: str) -> bool:
    if word in STOP_WORDS or len(word) > MAX_TERM_LENGTH:
        return False
    return not (word.isdigit() and len(word) > MAX_NUMBER_DIGITS)


def term_set(texts: Iterable[str]) -> set[str]:
    """The distinct terms of several texts (each distinct word stemmed once)."""
    words: set[str] = set()
    for text in texts:
        words.update(WORD.findall(fold(text)))
    return {stem(word) for word in words if _indexed(word)}


def fnv1a(term: str) -> int:
    """32-bit FNV-1a of the term's UTF-8 bytes: which shard holds a term (same in the browser)."""
    value = 0x811C9DC5
    for byte in term.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value

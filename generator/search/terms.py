"""How text becomes search terms. The browser (``site_overrides/assets/javascripts/imr-search.js``)
implements the same rules; ``tests/test_search_browser.py`` checks the two agree on shared examples.

Rules: Unicode NFKD, accents dropped, lower case; words are runs of ASCII letters and digits; stop
words and numbers longer than four digits are dropped (long numbers are never useful precedents and
could be identifiers); a light plural stem ("injections" -> "injection", "therapies" -> "therapy").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable

WORD = re.compile(r"[a-z0-9]+")
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
    }
)


def stem(word: str) -> str:
    """Plural endings only: a stemmer the browser can reproduce exactly."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
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

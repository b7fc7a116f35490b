"""Text helpers shared by the normalizers: slugs, dash and space clean-up, phrase patterns."""

from __future__ import annotations

import logging
import re
import unicodedata

log = logging.getLogger(__name__)

_DASHES = str.maketrans(
    {"–": "-", "—": "-", "‑": "-", "−": "-", "’": "'", "‘": "'", "®": "", "™": ""}
)
_SPACES = re.compile(r"\s+")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[a-z0-9]+")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
"""What an id or slug looks like: lower-case letters and digits in hyphen-joined runs."""


def clean(text: str) -> str:
    """One line: dashes and quotes made plain, trademark signs dropped, runs of space collapsed."""
    return _SPACES.sub(" ", text.translate(_DASHES)).strip()


def slugify(text: str) -> str:
    """A URL slug: ASCII lower case, words joined by hyphens ('Knee & Leg' -> 'knee-leg')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-")


def phrase_pattern(phrase: str) -> str:
    """A regex source matching ``phrase`` whatever its case, punctuation or 'and'/'&' spelling.

    'Forearm, Wrist, and Hand' matches 'Forearm, Wrist & Hand' and 'forearm wrist and hand'.
    """
    words = [word for word in _WORD.findall(phrase.lower()) if word != "and"]
    if not words:
        raise ValueError(f"no words in phrase {phrase!r}")
    separator = r"(?:[\W_]+(?:and[\W_]+)?)"
    return r"\b" + separator.join(re.escape(word) for word in words) + r"\b"

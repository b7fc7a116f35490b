"""Reviewer specialties: each of a letter's comma-separated specialties matched to one spelling.

A letter's "Certification(s)/Specialty:" lists one or more specialties. Each is matched to the
known list in ``generator/data/specialties.yaml``, case and spacing ignored; failing that, to the
closest known spelling at least CLOSE_MATCH alike (``difflib``), so a typo ("Sports Medicinea")
does not become a specialty of its own. One that matches nothing is kept as written.
"""

from __future__ import annotations

import difflib
import functools
import logging

from generator.normalize.data import StrictModel, data_file, load_data
from generator.normalize.text import clean

log = logging.getLogger(__name__)

CLOSE_MATCH = 0.9
"""The least ``difflib`` similarity (0 to 1) of a specialty as written to a known one for it to be
read as that one: a letter or two wrong in a name of ten or more."""


class _SpecialtiesFile(StrictModel):
    version: int
    specialties: tuple[str, ...]


@functools.cache
def _known() -> dict[str, str]:
    """The known specialties by their folded spelling."""
    loaded = load_data(data_file("specialties.yaml"), _SpecialtiesFile)
    return {_folded(name): name for name in loaded.specialties}


def _folded(text: str) -> str:
    return clean(text).casefold()


@functools.lru_cache(maxsize=4096)
def normalize_specialty(text: str | None) -> str | None:
    """``text``'s specialties, each in its known spelling, joined by ', ' (None stays None)."""
    if text is None:
        return None
    parts = [clean(part) for part in text.split(",")]
    named = [_one(part) for part in parts if part]
    return ", ".join(dict.fromkeys(named)) or None


def _one(specialty: str) -> str:
    known = _known()
    folded = _folded(specialty)
    found = known.get(folded)
    if found is None:
        close = difflib.get_close_matches(folded, known, n=1, cutoff=CLOSE_MATCH)
        found = known[close[0]] if close else specialty
    return found

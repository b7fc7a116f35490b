"""Reviewer: the expert reviewer's specialty and states of licensure, in either letter era.

2016-2017 letters list them ("State(s) of Licensure: California,Texas", "Certification(s)/Specialty:
..."); 2013-2015 letters say them in prose ("is Board Certified in Emergency Medicine and is licensed
to practice in New York").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.ingest.text import join_lines

_LISTED_LICENSURE = re.compile(
    r"State\(s\) of Licensure\s*:\s*(?P<states>.*?)\s*(?=Certification\(s\)/Specialty\s*:|$)", re.I
)
_LISTED_SPECIALTY = re.compile(r"Certification\(s\)/Specialty\s*:\s*(?P<specialty>.*?)\s*$", re.I)
_PROSE = re.compile(
    r"expert reviewer is (?:Board[- ]Certified in |a |an )?(?P<specialty>[^.]+?)"
    r"(?:,? (?:and )?has a subspecialty in (?P<sub>[^.]+?))?,? and is licensed to practice in "
    r"(?P<states>[^.]+?)\s*\.",
    re.I,
)
_STATE_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


@dataclass(frozen=True)
class Credentials:
    """The reviewer's specialty (None when not stated) and licence states in the letter's order."""

    specialty: str | None
    licensure: tuple[str, ...]


def parse_credentials(lines: Sequence[str]) -> Credentials:
    """Read the credentials from the "HOW THE IMR FINAL DETERMINATION WAS MADE" section."""
    text = join_lines(lines)
    states = _LISTED_LICENSURE.search(text)
    specialty = _LISTED_SPECIALTY.search(text)
    if states or specialty:
        return Credentials(
            specialty=(specialty["specialty"] or None) if specialty else None,
            licensure=_split_states(states["states"]) if states else (),
        )
    prose = _PROSE.search(text)
    if prose is None:
        return Credentials(specialty=None, licensure=())
    parts = [prose["specialty"], prose["sub"]]
    return Credentials(
        specialty=", ".join(part for part in parts if part),
        licensure=_split_states(prose["states"]),
    )


def _split_states(text: str) -> tuple[str, ...]:
    return tuple(state for state in _STATE_SEPARATOR.split(text.strip()) if state)

"""Sections: split a letter's normalized lines at its headings into preamble, credentials, summary, issues, footer.

The preamble is everything above the first heading (the DWC header table, and in unredacted letters a
cover letter or form header with identities). The footer is a signature or "cc:" block after the
issues. Headings are matched as whole lines, so a heading's words inside a sentence do not split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

Lines = tuple[str, ...]

_HOW = re.compile(r"how the imr final determination was made", re.I)
_SUMMARY = re.compile(r"clinical case summary", re.I)
_ISSUES = re.compile(r"imr issue\S*,? decision\S* and rationale\S*", re.I)
_FOOTER_START = re.compile(r"(?:cc|c\.c\.|copies to|copy to)\s*:.*|sincerely,?", re.I)


@dataclass(frozen=True)
class Sections:
    """A letter cut at its headings; a missing section is empty."""

    preamble: Lines
    credentials: Lines
    summary: Lines
    issues: Lines
    footer: Lines


def split_sections(lines: Sequence[str]) -> Sections:
    """Cut ``lines`` at the three headings and at the footer that follows the issues."""
    how = _find(lines, _HOW, 0)
    summary = _find(lines, _SUMMARY, 0 if how is None else how + 1)
    issues = _find(lines, _ISSUES, 0 if summary is None else summary + 1)
    marks = [m for m in (how, summary, issues) if m is not None]
    first = marks[0] if marks else len(lines)
    body_end = len(lines)
    if issues is not None:
        footer = _find(lines, _FOOTER_START, issues + 1)
        body_end = len(lines) if footer is None else footer
    return Sections(
        preamble=tuple(lines[:first]),
        credentials=_between(lines, how, summary if summary is not None else issues),
        summary=_between(lines, summary, issues),
        issues=tuple(lines[issues + 1 : body_end]) if issues is not None else (),
        footer=tuple(lines[body_end:]),
    )


def _find(lines: Sequence[str], pattern: re.Pattern[str], start: int) -> int | None:
    for index in range(start, len(lines)):
        if pattern.fullmatch(lines[index]):
            return index
    return None


def _between(lines: Sequence[str], start: int | None, end: int | None) -> Lines:
    if start is None:
        return ()
    return tuple(lines[start + 1 : len(lines) if end is None else end])

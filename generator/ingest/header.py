"""Header: the case number, the five header dates and the priority from the block above the first heading.

The DWC header is a two-column table; extractors break it into lines differently ("Application" and
"Received:" may land on separate lines, the date on a third), so the block is read as one string and
each field is found by its label.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.ingest.text import join_lines

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
DATE_PATTERN = (
    r"(?:\d{1,2}[/-]\d{1,2}[/-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2}"
    r"|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4})"
)
_CENTURY_PIVOT = 40
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WORDY_DATE = re.compile(r"([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})")

_DATE_LABELS = {
    "assigned_date": r"Date\s+Assigned",
    "injury_date": r"Date\s+of\s+Injury",
    "decision_date": r"(?:Decision\s+Date|Date\s+of\s+Decision|Dated)",
    "ur_denial_date": r"UR\s+Denial\s+Date",
    "received_date": r"Application\s+Received",
}
_DATE_FIELDS = {
    name: re.compile(rf"(?<![A-Za-z]){label}\s*:\s*(?P<date>{DATE_PATTERN})", re.I)
    for name, label in _DATE_LABELS.items()
}
_CASE_LABELLED = re.compile(
    r"(?<![A-Za-z])(?:IMR\s+)?Case\s+(?:Number|No\.?|#)\s*:?\s*(?P<case>[A-Z]{0,4}\d[\w-]*\d)", re.I
)
_CASE_BARE = re.compile(r"\b(?P<case>CM\d{2}-\d{4,8})\b")
_PRIORITY = re.compile(r"(?<![A-Za-z])Priority\s*:\s*(?P<priority>[A-Za-z]+)")


@dataclass(frozen=True)
class Header:
    """What the header table says; a field the letter lacks is None."""

    case_number: str | None
    decision_date: dt.date | None
    injury_date: dt.date | None
    assigned_date: dt.date | None
    ur_denial_date: dt.date | None
    received_date: dt.date | None
    priority: str | None


def parse_header(preamble: Sequence[str]) -> Header:
    """Read the header fields from the lines above the first heading."""
    text = join_lines(preamble)
    dates = {name: _labelled_date(text, pattern) for name, pattern in _DATE_FIELDS.items()}
    case = _CASE_LABELLED.search(text) or _CASE_BARE.search(text)
    priority = _PRIORITY.search(text)
    return Header(
        case_number=case["case"] if case else None,
        priority=priority["priority"] if priority else None,
        **dates,
    )


def _labelled_date(text: str, pattern: re.Pattern[str]) -> dt.date | None:
    match = pattern.search(text)
    return parse_date(match["date"]) if match else None


def parse_date(text: str) -> dt.date | None:
    """A date written as 11/09/2016, 11-9-16, 2016-11-09 or November 9, 2016; None if not a real date."""
    try:
        if match := _ISO_DATE.fullmatch(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := _NUMERIC_DATE.fullmatch(text):
            year = _full_year(int(match[3])) if len(match[3]) == 2 else int(match[3])
            return dt.date(year, int(match[1]), int(match[2]))
        if match := _WORDY_DATE.fullmatch(text):
            month = _month_number(match[1])
            return dt.date(int(match[3]), month, int(match[2])) if month else None
    except ValueError:
        return None
    return None


def _full_year(two_digits: int) -> int:
    """'16' is 2016 and '65' is 1965 (a date of birth)."""
    return 2000 + two_digits if two_digits <= _CENTURY_PIVOT else 1900 + two_digits


def _month_number(name: str) -> int | None:
    prefix = name.lower()[:3]
    for number, month in enumerate(_MONTHS, start=1):
        if month.startswith(prefix):
            return number
    return None

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
_MONTH_WORD = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE_SEP = r"\s*[/.\-–]\s*"
DATE_PATTERN = (
    rf"(?:\d{{1,2}}{_DATE_SEP}\d{{1,2}}{_DATE_SEP}(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|\d{{4}}{_DATE_SEP}\d{{1,2}}{_DATE_SEP}\d{{1,2}}(?!\d)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[\s/.\-–]*{_MONTH_WORD}[\s/.\-–,]*(?:\d{{4}}|\d{{2}})(?!\d)"
    rf"|{_MONTH_WORD}[\s/.\-–]*\d{{1,2}}(?:st|nd|rd|th)?[\s/.\-–,]*(?:\d{{4}}|\d{{2}})(?!\d))"
)
"""A header date in any shape letters use: "10/12/2016", "10/ 12/ 2016", "12 - 19 - 2013",
"11.08.1979", "2016-10-12", "7-Apr-61", "12/Oct/2016", "Oct-12-2016", "April 4th, 2016"."""
_CENTURY_PIVOT = 40
_DATE_TOKEN = re.compile(r"\d+|[A-Za-z]+")
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})

_DATE_LABELS = {
    "assigned_date": r"Date\s+Assigned",
    "injury_date": r"(?:Date\s+of\s+Injury|DOI|D\.O\.I\.?|D/I)",
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
    """A date in any shape of ``DATE_PATTERN`` (month first unless only day first is a real date);
    None if it is not a real date."""
    tokens = [t for t in _DATE_TOKEN.findall(text) if t.lower() not in _ORDINAL_SUFFIXES]
    words = [t for t in tokens if t.isalpha()]
    numbers = [t for t in tokens if t.isdigit()]
    if len(words) > 1 or len(numbers) != (2 if words else 3):
        return None
    try:
        if words:
            month = _month_number(words[0])
            day, year = numbers if len(numbers[1]) >= len(numbers[0]) else reversed(numbers)
            return dt.date(_year(year), month, int(day)) if month else None
        if len(numbers[0]) == 4:
            return dt.date(int(numbers[0]), int(numbers[1]), int(numbers[2]))
        first, second, year = (int(numbers[0]), int(numbers[1]), _year(numbers[2]))
        if first > 12 >= second:
            first, second = second, first  # day first: 19/02/1958
        return dt.date(year, first, second)
    except ValueError:
        return None


def _year(digits: str) -> int:
    return _full_year(int(digits)) if len(digits) <= 2 else int(digits)


def _full_year(two_digits: int) -> int:
    """'16' is 2016 and '65' is 1965 (a date of birth)."""
    return 2000 + two_digits if two_digits <= _CENTURY_PIVOT else 1900 + two_digits


def _month_number(name: str) -> int | None:
    prefix = name.lower()[:3]
    for number, month in enumerate(_MONTHS, start=1):
        if month.startswith(prefix):
            return number
    return None

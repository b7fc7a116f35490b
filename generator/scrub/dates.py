"""Dates and ages: every date element but the year goes; ages of 90 and over become "90 or older".

A date with a year becomes the year ("11/17/2009", "10-13-16", "Nov. 17, 2009", "17 November 2009",
"2009-11-17", "March 2014" -> "2009", "2016", "2014"); a date without one becomes ``[date]`` ("the
17th of November", "November 17", "in November"). A year that would reveal an age of 90 or more (at
least 90 years before the reference year, the decision's) becomes ``[date]`` as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable

DATE = "[date]"
NINETY_OR_OLDER = "90 or older"
OLDEST_AGE = 90

_MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_MONTH_SHORT = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_MONTH = (
    rf"(?:(?:{_MONTH_NAMES})|(?:{_MONTH_NAMES.upper()})|(?:{_MONTH_SHORT})\.?"
    rf"|(?:{_MONTH_SHORT.upper()})\.?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR4 = r"(?:19|20)\d\d"

_NUMERIC = re.compile(
    r"(?P<a>\d(?<![\w/.-]\d)\d?)(?P<sep>\s?[/.-]\s?)(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"(?![\w/-]|\.\d)"
)
_ISO = re.compile(
    r"(?P<y>[12](?<![\w/.-][12])[09]\d\d)[-/.](?P<a>\d{1,2})[-/.](?P<b>\d{1,2})(?![\w/-])"
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b{_MONTH}\s?{_DAY}(?:\s*,\s*|\s+)(?:of\s+)?(?P<y>{_YEAR4})\b|"
    rf"\b(?:the\s+)?{_DAY}\s+(?:day\s+)?(?:of\s+)?{_MONTH},?\s+(?:of\s+)?(?P<y2>{_YEAR4})\b",
)
_MONTH_YEAR = re.compile(
    rf"\b(?:(?:early|mid|late)[\s-]+)?{_MONTH},?\s+(?:of\s+)?(?P<y>{_YEAR4})\b"
)
_NUMERIC_MONTH_YEAR = re.compile(rf"(?<![\w/.-])(?:0?[1-9]|1[0-2])[/-](?P<y>{_YEAR4})(?![\w/-])")
_YEARLESS_NUMERIC_PATTERN = (
    r"\b(?:dated|DOS|date of service|on)\s*:?\s*(?:0?[1-9]|1[0-2])/(?:[12]\d|3[01]|0?[1-9])"
    r"(?![\d/.])"
)
_YEARLESS = re.compile(
    # Every branch starts with "the", a digit, a month (capitalised) or "dated", "DOS", "on".
    r"(?=[\dtJFMASONDdo])"
    rf"(?:\b(?:the\s+)?{_DAY}\s+(?:day\s+)?of\s+{_MONTH}(?![\w])|"
    rf"\b(?:the\s+)?(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\s+{_MONTH}(?![\w])|"
    rf"\b{_DAY}\s+{_MONTH}(?![\w])|"
    rf"\b{_MONTH}\s?(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?!\s*(?:mg|%|/|-\d))|"
    + _YEARLESS_NUMERIC_PATTERN
    + ")"
)
_YEARLESS_NUMERIC = re.compile(_YEARLESS_NUMERIC_PATTERN)
_ANY_MONTH = re.compile(rf"{_MONTH_SHORT}|{_MONTH_SHORT.upper()}|May|MAY")
_MONTH_ALONE = re.compile(
    rf"\b(?P<lead>(?:in|during|since|until|through|by|of|from|early|mid|late|last|this|next)"
    rf"[\s-]+){_MONTH}(?![\w])",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"\b(?P<age>\d{2,3})(?P<unit>(?:\s*-\s*|\s+)(?:years?|yrs?\.?|y/?o)(?:(?:\s*-\s*|\s+)old)?"
    r"|\s+years\s+of\s+age)(?![\w])|"
    r"\b(?P<lead>(?:age|aged)\s*:?\s*)(?P<age2>\d{2,3})\b",
    re.IGNORECASE,
)
_BIRTH_YEAR = re.compile(
    rf"\b(?P<lead>(?:born|birth|DOB|date of birth)\b[^.;\n\d]{{0,20}}?)(?P<y>{_YEAR4})\b",
    re.IGNORECASE,
)


def full_year(digits: str, reference_year: int) -> int:
    """A two-digit year in the century that does not put it after the reference year."""
    if len(digits) == 4:
        return int(digits)
    two = int(digits)
    century = reference_year // 100 * 100
    return century + two if century + two <= reference_year + 1 else century - 100 + two


def scrub_dates(text: str, reference_year: int) -> str:
    """Dates reduced to their year (or ``[date]``), ages of 90 and over banded."""
    year_text = _year_or_date(reference_year)
    text = _ISO.sub(lambda m: _checked(m, year_text, m["y"], m["a"], m["b"]), text)
    text = _NUMERIC.sub(lambda m: _numeric(m, year_text, reference_year), text)
    text = _NUMERIC_MONTH_YEAR.sub(lambda m: year_text(m["y"]), text)
    if not _ANY_MONTH.search(text):
        text = _YEARLESS_NUMERIC.sub(_yearless, text)
        text = _BIRTH_YEAR.sub(lambda m: m["lead"] + year_text(m["y"], birth=True), text)
        return _AGE.sub(_age, text)
    text = _MONTH_DAY_YEAR.sub(lambda m: year_text(m["y"] or m["y2"]), text)
    text = _MONTH_YEAR.sub(lambda m: year_text(m["y"]), text)
    text = _YEARLESS.sub(_yearless, text)
    text = _MONTH_ALONE.sub(lambda m: f"{m['lead']}{DATE}" if _is_month(m) else m[0], text)
    text = _BIRTH_YEAR.sub(lambda m: m["lead"] + year_text(m["y"], birth=True), text)
    return _AGE.sub(_age, text)


def _year_or_date(reference_year: int) -> Callable[..., str]:
    def year_text(year: str, *, birth: bool = False) -> str:
        too_old = reference_year - int(year) >= OLDEST_AGE
        return DATE if too_old or (birth and reference_year - int(year) >= OLDEST_AGE - 1) else year

    return year_text


def _checked(match: re.Match[str], year_text: Callable[..., str], year: str, a: str, b: str) -> str:
    return year_text(year) if _valid(int(a), int(b)) else match[0]


def _numeric(match: re.Match[str], year_text: Callable[..., str], reference_year: int) -> str:
    a, b = int(match["a"]), int(match["b"])
    if not (_valid(a, b) or _valid(b, a)):
        return match[0]
    if len(match["y"]) == 2 and match["sep"].strip() == ".":
        return match[0]  # 1.2.16 reads as a version or a decimal list more often than a date
    return year_text(str(full_year(match["y"], reference_year)))


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _yearless(match: re.Match[str]) -> str:
    text = match[0]
    lead = re.match(r"(?i)(dated|DOS|date of service|on)(\s*:?\s*)", text)
    return f"{lead[1]}{lead[2]}{DATE}" if lead else DATE


def _is_month(match: re.Match[str]) -> bool:
    """A month word alone is a date only when capitalised ("may" and "march" are verbs too)."""
    return match[0][len(match["lead"])].isupper()


def _age(match: re.Match[str]) -> str:
    age = int(match["age"] or match["age2"])
    if age < OLDEST_AGE:
        return match[0]
    return f"{match['lead']}{NINETY_OR_OLDER}" if match["age2"] else NINETY_OR_OLDER

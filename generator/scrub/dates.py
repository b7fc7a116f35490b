"""Dates and ages: every date element but the year goes; ages of 90 and over become "90 or older".

One form everywhere: what a date says besides its year becomes one ``[date]`` mark and the year
stays after it, so the sentence still reads and the year still orders events. "11/17/2009",
"10-13-16", "7-Apr-61", "12/Oct/2016", "Oct-12-2016", "sept 17, 2016", "Tuesday, July 19, 2016",
"the 3rd of March, 2016", "2009-11-17", "10 / 12 / 2016" (any separator: slash, dot, hyphen, en
dash; any spacing, a line break too) -> "[date] 2009" and so on; a month and a year ("March 2014",
"Nov. 2015", "Feb. '14", "11/2015") -> "[date] 2014". A date without a year becomes ``[date]``
("the 17th of November", "Mar 3rd", "on 9/17", "on the 21st"); a month/day in numbers is read as a
date only after a cue ("on", "dated", "DOS", "since", a list or a range of them) because "7/10" is
a pain score. A year that would reveal an age of 90 or more (at least 90 years before the
decision's) becomes ``[date]`` alone. Publication dates of citations ("Ann Intern Med. 2015 Feb
17;162", "AHRQ; 2013 Sep. 30.") are public and protected by ``keep``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

DATE = "[date]"
NINETY_OR_OLDER = "90 or older"
OLDEST_AGE = 90

_MONTH_WORDS = (
    r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?"
)
_MONTH = rf"(?i:{_MONTH_WORDS})\.?(?![A-Za-z])"
"""A month by name or abbreviation, any case (used where a day or a year makes it a date)."""
_MONTH_TITLE = rf"(?:(?:{_MONTH_WORDS})|(?:{_MONTH_WORDS.upper()}))\.?(?![A-Za-z])"
"""A month capitalised: with a day but no year ("Mar 3rd"), only a capital says "date"."""
_MONTH_CASED = (
    rf"(?:(?:{_MONTH_WORDS})|(?:{_MONTH_WORDS.upper()})|january|february|april|june|july|august"
    r"|september|october|november|december|jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec)\.?(?![A-Za-z])"
)
"""A month with a four-digit year: capitalised, or a lower-case word that is not a verb ("may",
"march")."""
_WEEKDAY = r"(?i:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?),?\s+"
_ORDINAL_WORDS = (
    r"(?:twenty-|thirty-)?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth"
    r"|nineteenth|twentieth|thirtieth"
)
_DAY_NUMBER = r"(?:[12]\d|3[01]|0?[1-9])(?!\d)(?:st|nd|rd|th)?"
_DAY = rf"(?:{_DAY_NUMBER}|(?i:{_ORDINAL_WORDS})(?![\w-]))"
"""A day in digits or in words ("the third of March", "October third, 1966")."""
_ORDINAL_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)"
_YEAR4 = r"(?:19|20)\d\d(?!\d)"
_YEAR2 = r"'?\d\d(?!\d)"
_APOSTROPHE_YEAR = r"'\d\d(?!\d)"
_PUNCT_GAP = r"\s*[/.\-–—]\s*|(?<=[A-Za-z.])(?=\d)|(?<=\d)(?=[A-Za-z])"
"""Between a day, a month word and a year: punctuation with any spacing, or nothing ("19JUL2016")."""
_GAP = rf"(?:{_PUNCT_GAP}|\s*,\s*|\s+)"
_OF = r"(?:\s+(?:day\s+)?of\s+)"

_DAY_MONTH_YEAR = re.compile(
    rf"(?=[\dtTMWFS])(?<![\w/.-])(?:{_WEEKDAY})?(?:the\s+)?{_DAY}"
    rf"(?:(?:{_OF}|{_GAP}){_MONTH}(?:{_PUNCT_GAP}|,?\s*|\s+of\s+)(?P<y>{_YEAR4}|{_APOSTROPHE_YEAR})"
    rf"|(?:{_PUNCT_GAP}){_MONTH}(?:{_PUNCT_GAP})(?P<y2>{_YEAR2}))"
    r"(?![\w/]|\.\d|-\d)"
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?=[JFMASONDjfmasondTtWw])(?<![\w/.-])(?:{_WEEKDAY})?{_MONTH}(?:\s+the\s+|{_GAP})?{_DAY}"
    rf"(?:\s*(?:[-–]|to|through|and)\s*{_DAY_NUMBER}(?=\s*,?\s*(?:19|20)\d\d))?"
    rf"(?:(?:{_PUNCT_GAP}|\s*,\s*|{_OF}|\s+)(?P<y>{_YEAR4}|{_APOSTROPHE_YEAR})"
    rf"|(?:{_PUNCT_GAP})(?P<y2>{_YEAR2}))"
    r"(?![\w/]|\.\d|-\d)"
)
_SEPARATOR = r"\s*(?P<sep>[/.\-–—])\s*"
_AFTER_RANGE_DASH = r"(?<![\w/.])(?<!(?<![\d\]])[-–])"
"""Not inside a word or a number, but a dash after a number may open the second date of a range
("03/14/16-03/18/16")."""
_BEFORE_RANGE_DASH = r"(?![\w/]|\.\d|[-–](?!\s?\d{1,2}\s?[/.\-–]\s?\d))"
"""Not followed by a word or a number, but a dash may close the first date of a range."""
_NUMERIC = re.compile(
    rf"(?=\d){_AFTER_RANGE_DASH}(?P<a>\d{{1,2}}){_SEPARATOR}(?P<b>\d{{1,2}})\s*(?P=sep)\s*"
    rf"(?P<y>(?:19|20)\d\d|\d\d){_BEFORE_RANGE_DASH}"
)
_ISO = re.compile(
    r"(?=[12])(?<![\w/.-])(?P<y>(?:19|20)\d\d)\s*(?P<sep>[-/.–])\s*(?P<a>\d{1,2})\s*(?P=sep)\s*"
    r"(?P<b>\d{1,2})(?![\w/-]|\.\d)"
)
_MONTH_YEAR = re.compile(
    rf"(?=[JFMASONDjfasondEeLlMm])(?<![\w/.-])(?:(?:early|mid|late)[\s-]+)?{_MONTH_CASED}"
    rf"(?:\s*(?:[-–]|to|through|and)\s*{_MONTH_CASED})?"
    rf"(?:,?\s+(?:of\s+)?|\s*[-/]\s*)(?P<y>{_YEAR4}|{_APOSTROPHE_YEAR})(?![\w/-])"
)
_NUMERIC_MONTH_YEAR = re.compile(
    rf"(?=\d){_AFTER_RANGE_DASH}(?:0?[1-9]|1[0-2])(?:\s*/\s*|[-–])(?P<y>{_YEAR4}){_BEFORE_RANGE_DASH}"
)
_YEARLESS = re.compile(
    # Every branch starts with "the", a digit, a weekday or a month: the look-ahead rejects every
    # other position at once.
    r"(?=[\dtJFMASONDTW])(?<![\w/.-])(?:"
    rf"(?:the\s+)?{_DAY}{_OF}{_MONTH_TITLE}"
    rf"|(?:the\s+)?{_ORDINAL_DAY}\s+{_MONTH_TITLE}"
    rf"|{_DAY}(?:\s+|[-/]){_MONTH_TITLE}"
    rf"|(?:{_WEEKDAY})?{_MONTH_TITLE}(?:\s+the\s+|\s?){_DAY_NUMBER}(?!\s*(?:mg|%|/|-\d|\.\d))"
    rf"|(?:{_MONTH_TITLE})[/-]{_DAY}(?![\w/.-])"
    r")(?![\w])"
)
_HOLIDAY = re.compile(
    r"(?P<lead>\b(?i:on|since|until|before|after|over|during|by|from|through|of)\s+(?:the\s+)?)?"
    r"\b(?P<day>Christmas(?:\s+(?:Eve|Day))?|New\s+Year['’]?s(?:\s+(?:Eve|Day))?"
    r"|Thanksgiving(?:\s+Day)?|Independence\s+Day|Fourth\s+of\s+July|Labor\s+Day|Memorial\s+Day"
    r"|Easter(?:\s+Sunday)?|Halloween|Valentine['’]?s\s+Day|Veterans['’]?\s+Day|Mother['’]?s\s+Day"
    r"|Father['’]?s\s+Day|Good\s+Friday)\b(?:,?\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)\b)?"
)
_HOLIDAY_HINT = re.compile(
    r"Christmas|New\s+Year|Thanksgiving|Independence|Fourth\s+of|Labor\s+Day|Memorial\s+Day"
    r"|Easter|Halloween|Valentine|Veterans|Mother|Father|Good\s+Friday"
)
"""A holiday names a day of the year: "Christmas Eve 2015" is "[date] 2015", "on Labor Day" is "on
[date]"; without a year or a cue it is kept ("Christmas lights")."""
_BIRTHDAY = re.compile(
    r"(?=[\dohtOHT])\b(?:(?:on\s+)?(?:his|her|their|the\s+(?:patient|worker|applicant)['’]s)\s+"
    r"(?:\d{1,3}(?:st|nd|rd|th)\s+)?|\d{1,3}(?:st|nd|rd|th)\s+)birthday\b",
    re.IGNORECASE,
)
"""A birthday is the date of birth: "on his 26th birthday" tells the day and the month."""
_ON_THE_DAY = re.compile(
    rf"(?=[osubftOSUBFT])\b(?P<lead>(?i:on|since|until|by|from|through)\s+)the\s+{_ORDINAL_DAY}\b"
    r"(?!\s+(?:century|floor|percentile|of\b|day\b|visit|session|week|time|finger|toe|digit|rib"
    r"|metacarpal|metatarsal|ray|compartment|dorsal|grade|degree|decade|attempt|trimester|quarter"
    r"|line|level|cycle|round|injection|dose|treatment|month|year|edition|ed\b))"
)
_MONTH_DAY = r"(?:1[0-2]|0?[1-9])\s?/\s?(?:[12]\d|3[01]|0?[1-9])(?![\d/]|\.\d)"
_NEXT_MONTH_DAY = rf"(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*(?:-|–|to|through|thru)\s*){_MONTH_DAY}"
_CUED_MONTH_DAYS = re.compile(
    r"(?=[odDsutvrnOSUTVRNfmiacpFMIACPwW])(?<![\w/])(?P<lead>(?i:on|dated|DOS|dates?\s+of\s+service"
    r"|since|until|through|thru|visits?\s+of|seen|reports?\s+of|notes?\s+of"
    r"|(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?"
    r"|(?P<verb>received|signed|faxed|mailed|sent|filed|submitted|issued|denied|approved|certified"
    r"|modified|performed|completed|administered|injected|operated|admitted|discharged))"
    r"\s*:?\s*)"
    rf"(?P<days>{_MONTH_DAY}(?:{_NEXT_MONTH_DAY})*)"
)
_SCORE = re.compile(r"\d{1,2}\s?/\s?(?:10|5|4)")
"""A pain score or a strength grade: after a verb ("reported 5/10"), never read as a date."""
_RANGE_START = re.compile(
    rf"(?=\d)(?<![\w/.-]){_MONTH_DAY}"
    r"(?=\s*(?:-|–|to|through|thru|and)\s*\d{1,2}\s?/\s?\d{1,2}\s?/\s?\d)"
)
_NOTE_AFTER = re.compile(
    rf"(?=\d)(?<![\w/.-])(?P<days>{_MONTH_DAY}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){_MONTH_DAY})*)"
    r"(?=\s+(?:progress\s+)?(?:notes?|reports?|visits?|exams?|evaluations?|appointments?"
    r"|office\s+visits?|letters?|RFAs?|requests?|UR|IMR|QME|AME|denials?|MRIs?|CT|EMG|x-rays?"
    r"|surger(?:y|ies)|procedures?|operations?|injury|accident|incident|fall|consultations?|consults?"
    r"|follow-ups?|sessions?|injections?|tests?|screens?|claim)\b)"
)
_ONE_MONTH_DAY = re.compile(_MONTH_DAY)
_MONTH_DAY_CANDIDATE = re.compile(rf"(?<![\w/.-]){_MONTH_DAY}")
_DOTTED_CANDIDATE = re.compile(r"\d\.\d{1,2}\.\d\d(?!\d)")
_CUED_DOTTED = re.compile(
    r"(?P<lead>\b(?i:on|dated|DOS|since|seen|signed|received)\s*:?\s*)"
    r"(?P<date>(?:1[0-2]|0?[1-9])\.(?:[12]\d|3[01]|0?[1-9])\.\d\d)(?![\w.]|\.\d)"
)
"""A short dotted date after a cue ("wrote on 6.6.16"): written with slashes, then read as a date
(alone, "1.2.16" reads as a version)."""
_MONTH_ALONE = re.compile(
    rf"\b(?P<lead>(?:in|during|since|until|through|by|of|from|early|mid|late|last|this|next)"
    rf"[\s-]+){_MONTH}(?![\w])",
    re.IGNORECASE,
)
_ANY_MONTH = re.compile(
    r"(?<![a-z])(?:jan|feb|mar|apr|may|june?|july?|aug|sept?|oct|nov|dec)(?:[a-z]{0,6})(?![a-z])"
)
"""Searched in the lower-cased text (a month word, perhaps longer: checked by ``_is_month_word``):
no month word, no month shape to try."""
_MONTH_WORD_TEXT = (
    "jan january feb february mar march apr april may jun june jul july aug august sep sept"
    " september oct october nov november dec december"
)
_MONTH_WORD_SET = frozenset(_MONTH_WORD_TEXT.split())
_TITLE_MONTH = re.compile(rf"(?<![A-Za-z])(?:{_MONTH_WORDS}|{_MONTH_WORDS.upper()})(?![a-z])")
"""A capitalised month: the only kind a date without a year is read from."""
_CITATION_CUE_WORDS = re.compile(
    r"accessed|retrieved|updated|revised|cited|reviewed|published|\.(?:com|org|gov|edu|net) on"
)
_AGE = re.compile(
    r"\b(?P<age>\d{2,3})(?P<unit>(?:\s*-\s*|\s+)(?:years?|yrs?\.?|y/?o)(?:(?:\s*-\s*|\s+)old)?"
    r"|\s+years\s+of\s+age)(?![\w])|"
    r"\b(?P<lead>(?:age|aged)\s*:?\s*)(?P<age2>\d{2,3})\b",
    re.IGNORECASE,
)
_BIRTH_YEAR = re.compile(
    rf"\b(?P<lead>(?:born|birth|DOB|date of birth)\b[^.;\n\d]{{0,20}}?)(?P<y>{_YEAR4})",
    re.IGNORECASE,
)


_CITED_DATE = re.compile(
    r"(?P<lead>\b(?i:accessed|retrieved|updated|revised|cited|last\s+reviewed|published)"
    r"(?:\s+on)?\s*:?\s*)\[date\] (?P<y>(?:19|20)\d\d)"
    r"|(?<=\.(?:com|org|gov|edu|net) )on \[date\] (?P<y2>(?:19|20)\d\d)"
)
"""A source's date in a citation ("updated 11/16/16", "accessed from UpToDate.com on 12/17/2016"):
the year alone, no mark, as English ("(updated 2016)", "UpToDate.com in 2016")."""


def full_year(digits: str, reference_year: int) -> int:
    """A two-digit year in the century that does not put it after the reference year."""
    digits = digits.lstrip("'")
    if len(digits) == 4:
        return int(digits)
    two = int(digits)
    century = reference_year // 100 * 100
    return century + two if century + two <= reference_year + 1 else century - 100 + two


def scrub_cued_month_days(text: str) -> str:
    """Month/day numbers that a cue makes a date ("on 9/17", "DOS 12/1", "on 9/13, 9/27 and 10/11",
    "the 9/17 note", "10/3 to 10/17/2016"): run before must-keep tokens are hidden, since "9/17"
    alone has the shape of a pain score or a dose."""
    if "/" in text and _MONTH_DAY_CANDIDATE.search(text):
        text = _CUED_MONTH_DAYS.sub(_cued_days, text)
        text = _RANGE_START.sub(DATE, text)
        text = _NOTE_AFTER.sub(lambda m: _ONE_MONTH_DAY.sub(DATE, m["days"]), text)
    if "." in text and _DOTTED_CANDIDATE.search(text):
        text = _CUED_DOTTED.sub(lambda m: m["lead"] + m["date"].replace(".", "/"), text)
    return text


def _cued_days(match: re.Match[str]) -> str:
    first = _ONE_MONTH_DAY.match(match["days"])
    if match["verb"] and first and _SCORE.fullmatch(first[0]):
        return match[0]
    return match["lead"] + _ONE_MONTH_DAY.sub(DATE, match["days"])


def scrub_dates(text: str, reference_year: int) -> str:
    """Dates reduced to ``[date] YEAR`` (or ``[date]``), ages of 90 and over banded."""
    year_text = _year_or_date(reference_year)
    text = _ISO.sub(lambda m: _checked(m, year_text, m["y"], m["a"], m["b"]), text)
    text = _NUMERIC.sub(lambda m: _numeric(m, year_text, reference_year), text)
    text = _NUMERIC_MONTH_YEAR.sub(lambda m: year_text(m["y"]), text)
    if any(m[0] in _MONTH_WORD_SET for m in _ANY_MONTH.finditer(text.lower())):
        text = _month_words(text, year_text, reference_year)
    text = _ON_THE_DAY.sub(lambda m: m["lead"] + DATE, text)
    if "irthday" in text or "IRTHDAY" in text:
        text = _BIRTHDAY.sub(_birthday, text)
    if _HOLIDAY_HINT.search(text):
        text = _HOLIDAY.sub(lambda m: _holiday(m, year_text), text)
    text = _BIRTH_YEAR.sub(lambda m: _birth(m, year_text), text)
    if "[date] " in text:
        if _CITATION_CUE_WORDS.search(text.lower()):
            text = _CITED_DATE.sub(_cited, text)
        head, cue, citation = text.partition("Citation")
        if cue and "[date] " in citation:
            text = head + cue + _DATE_IN_CITATION.sub(_cited_in_citation, citation)
    return _AGE.sub(_age, text)


_DATE_IN_CITATION = re.compile(r"(?P<on>\bon )?\[date\] (?P<y>(?:19|20)\d\d)")
"""After "Citation" ("Non-MTUS Citation ODG Low Back (Acute & Chronic) 12/20/2016"), a date is the
cited source's version: its year alone ("in 2016" where the letter wrote "on")."""


def _cited_in_citation(match: re.Match[str]) -> str:
    return f"in {match['y']}" if match["on"] else match["y"]


def _holiday(match: re.Match[str], year_text: Callable[..., str]) -> str:
    lead = match["lead"] or ""
    if match["y"]:
        return lead + year_text(match["y"])
    return lead + DATE if lead else match[0]


def _birthday(match: re.Match[str]) -> str:
    return "on [date]" if match[0].lower().startswith("on ") else DATE


def _cited(match: re.Match[str]) -> str:
    return f"{match['lead']}{match['y']}" if match["y"] else f"in {match['y2']}"


def _month_words(text: str, year_text: Callable[..., str], reference_year: int) -> str:
    """The shapes with a month by name, longest first."""

    def dated(match: re.Match[str]) -> str:
        return year_text(str(full_year(match["y"] or match["y2"], reference_year)))

    text = _DAY_MONTH_YEAR.sub(dated, text)
    text = _MONTH_DAY_YEAR.sub(dated, text)
    text = _MONTH_YEAR.sub(dated, text)
    if not _TITLE_MONTH.search(text):
        return text
    text = _YEARLESS.sub(DATE, text)
    return _MONTH_ALONE.sub(lambda m: f"{m['lead']}{DATE}" if _is_month(m) else m[0], text)


def _year_or_date(reference_year: int) -> Callable[..., str]:
    def year_text(year: str, *, birth: bool = False) -> str:
        age = reference_year - int(year)
        too_old = age >= OLDEST_AGE or (birth and age >= OLDEST_AGE - 1)
        return DATE if too_old else f"{DATE} {year}"

    return year_text


def _birth(match: re.Match[str], year_text: Callable[..., str]) -> str:
    """A birth year alone ("born in 1925"); one already behind a ``[date]`` mark is checked too."""
    replaced = year_text(match["y"], birth=True)
    lead = match["lead"]
    if lead.endswith(f"{DATE} "):
        return lead[: -len(DATE) - 1] + (replaced if replaced == DATE else f"{DATE} {match['y']}")
    return lead + (replaced if replaced == DATE else match["y"])


def _checked(match: re.Match[str], year_text: Callable[..., str], year: str, a: str, b: str) -> str:
    return year_text(year) if _valid(int(a), int(b)) else match[0]


def _numeric(match: re.Match[str], year_text: Callable[..., str], reference_year: int) -> str:
    a, b = int(match["a"]), int(match["b"])
    if not (_valid(a, b) or _valid(b, a)):
        return match[0]
    short = len(match["y"]) == 2
    if short and match["sep"] == "." and not (len(match["a"]) == len(match["b"]) == 2):
        return match[0]  # 1.2.16 reads as a version or a decimal list; 10.12.16 as a date
    if short and match[0] != match[0].replace(" ", "") and match["sep"] != "/":
        return match[0]  # "4 - 5 - 16": a list of numbers, not a date
    return year_text(str(full_year(match["y"], reference_year)))


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def _is_month(match: re.Match[str]) -> bool:
    """A month word alone is a date only when capitalised ("may" and "march" are verbs too)."""
    return match[0][len(match["lead"])].isupper()


def _age(match: re.Match[str]) -> str:
    age = int(match["age"] or match["age2"])
    if age < OLDEST_AGE:
        return match[0]
    return f"{match['lead']}{NINETY_OR_OLDER}" if match["age2"] else NINETY_OR_OLDER

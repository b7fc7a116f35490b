"""The leak audit's own detectors: where identifying text stands in a published string.

Independent of the scrubber (``generator.scrub``) by design: its own patterns, so the audit does not
share the scrubber's blind spots. Finds dates in every shape (numeric with any separator and spacing,
ISO, month names and abbreviations, day-month-year, month-day, month-year, two-digit years), phone,
fax and SSN numbers in any punctuation, e-mail addresses, private URLs, IP addresses, ZIP codes,
street addresses, ID-shaped tokens by their label and by their shape, and person names by their cue
(a title, a credential, a relation, "SURNAME, First"). Clinical notation is not a date or a phone
(pain scores "5-10/10", blood pressure, dosages "10/325", vertebral levels, ICD and CPT codes, page
ranges), and dates and authors inside a literature or guideline citation are public.

``declared_forms`` writes an identifier a record declares in every form a letter may use (surname
alone, first name alone when distinctive, "SURNAME, First", initials, an organization's acronym);
forms made only of legal suffixes or common words ("Inc.", "LLC", "Medical Group") are dropped.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import re2

from generator.scrub.keep import KEEP_WORDS

__all__ = ["Span", "candidate_starts", "declared_forms", "find_spans", "is_common_identifier"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Identifying text found in a string: where, and of what kind."""

    start: int
    end: int
    kind: str


_I = re.IGNORECASE
_SEP = r"[/.\-\u2010-\u2015]"
_SPACED_SEP = r"\s*[/\-\u2010-\u2015]\s*"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MON = rf"\b{_MONTH}(?![a-z])\.?"
_MON_JOINED = rf"{_MONTH}(?![a-z])\.?"
"""A month written right after its day ("19JUL2016")."""
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:'?(?:19|20)\d\d|'\d\d)"
_NOT_COUNT = r"(?!\s*(?:x\b|%|mg|mcg|ml|times|weeks?|days?|months?|hours?|hrs?|visits?|sessions?|years?|yrs?))"

_DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # 10/12/2016, 10-12-16, 10.12.16, "10/12/ 2016", "10 / 12 / 2016", en dashes: same separator twice
    re.compile(
        r"(?<![\w/.\-\u2010-\u2015])(\d{1,2})(?:(\s*[/\-\u2010-\u2015]\s*)|(\.))(\d{1,2})"
        r"(?:\2|\3)((?:19|20)\d\d|\d\d)(?![\w/]|[.\-]\d)"
    ),
    # 2016-10-12, 2016/10/12
    re.compile(
        r"(?<![\w/.-])(?:19|20)\d\d([/.\-\u2010-\u2015])(\d{1,2})\1(\d{1,2})(?![\w/]|[.-]\d)"
    ),
    # Oct 12, 2016 / October 12th / Oct-12-2016 / Oct. 12 '16 / sept 17, 2016
    re.compile(
        rf"{_MON}[\s,/\-\u2010-\u2015]*(?:the\s+)?{_DAY}(?![a-z\d]){_NOT_COUNT}(?:[\s,/\-]*{_YEAR}\b)?",
        _I,
    ),
    # 12 Oct 2016 / 12-Oct-2016 / 7-Apr-61 / 12/Oct/2016 / 12th of October
    re.compile(
        rf"(?<![\w/.#-]){_DAY}[\s/\-\u2010-\u2015]*(?:of\s+)?{_MON_JOINED}(?:[\s,/\-]*(?:{_YEAR}|\d\d)\b)?(?![a-z\d])",
        _I,
    ),
    # October 2016 / Oct, 2016 / Oct '16 / 2016 Oct
    re.compile(rf"{_MON}(?:[\s,/\-]*|\s+of\s+){_YEAR}\b", _I),
    re.compile(rf"\b(?:19|20)\d\d,?\s+{_MON}(?:\s+{_DAY}\b)?", _I),
    # 10/2016 (month and year)
    re.compile(r"(?<![\w/.-])(?:0?[1-9]|1[0-2])\s*[/\-]\s*(?:19|20)\d\d(?![\w/]|[.-]\d)"),
)
_LISTED_MONTH_DAY = re.compile(
    r"\b(?:on|dated|seen|visits?|between|dos|dates\s+of\s+service)[\s:]+(?:0?[1-9]|1[0-2])/(?:[12]\d|3[01]|0?[1-9])"
    r"((?:\s*,\s*|\s+and\s+|\s*&\s*)(?:0?[1-9]|1[0-2])/(?:[12]\d|3[01]|0?[1-9]))+(?![\w/])",
    _I,
)
_MD = r"(?:0?[1-9]|1[0-2])/(?:[12]\d|3[01]|0?[1-9])(?![\w/])"
_EVENT_MONTH_DAY = re.compile(
    rf"(?<![\w/.\-]){_MD}(?:(?:\s*,\s*|\s+and\s+|\s*&\s*){_MD})*(?=\s+(?:office\s+|progress\s+)?"
    r"(?:note|visit|injury|exam|examination|report|evaluation|appointment|mri|x-?rays?|surgery"
    r"|procedure|letter|request|rfa|ur|denial|follow-up|qme|pr-?2|session|encounter|consult)s?\b)",
    _I,
)
_HOLIDAY = re.compile(
    r"\b(?:Christmas(?:\s+(?:Eve|Day))?|New\s+Year'?s(?:\s+(?:Eve|Day))?|Valentine'?s\s+Day"
    r"|Thanksgiving(?:\s+Day)?|Independence\s+Day|Fourth\s+of\s+July|Halloween|Easter(?:\s+Sunday)?"
    r"|Memorial\s+Day|Labor\s+Day|Veterans'?\s+Day|Mother'?s\s+Day|Father'?s\s+Day)"
    r"(?:\s+(?:of\s+)?(?:19|20)\d\d|,\s*(?:19|20)\d\d)"
    r"|\b\d{1,3}(?:st|nd|rd|th)\s+birthday\b",
    _I,
)
"""A day named by its holiday and year ("Christmas Eve 2015"), or by a birthday ("his 26th
birthday": with the year, a date of birth)."""
_ORDINAL_DAY = re.compile(
    r"\b(?:on|by|since|until|from|before|after)\s+the\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b"
    r"(?!\s+(?:of\s+)?(?:visit|session|treatment|time|day|week|month|percentile|injection|dose))",
    _I,
)
_CUED_MONTH_DAY = re.compile(
    r"\b(?:on|dated|date|since|until|through|thru|dos|doi|dob|seen|visit|exam|from|of|to|by"
    r"|before|after|between|and|received|signed|faxed|reviewed|issued|filled|mon|tues?|wed"
    r"|thu(?:rs?)?|fri|sat|sun|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\.?[\s:]+(\d{1,2})\s*/\s*(\d{1,2})(?![\w/]|[.\-]\d)"
    r"(?!\s*(?:degrees?|\u00b0|mm|mg|cm|%|strength|motor|reflex))",
    _I,
)
_PAIN_CONTEXT = re.compile(
    r"pain|vas\b|scale|rat(?:ed|es|ing)|level|score|strength|motor|grade|power|reflex"
    r"|/\s*(?:4|5|10)\b|out of",
    _I,
)
"""Near a fraction over 4, 5 or 10, a score (pain, strength, reflexes), not a month and day."""

_PHONE = re.compile(
    r"(?<![\w/.])(?:\+?1[\s.\-]*)?(?:\(\s*\d{3}\s*\)|\d{3})\s*[\s./\-\u2010-\u2015]?\s*"
    r"\d{3}\s*[\s.\-\u2010-\u2015]\s*\d{4}(?![\w]|[\-/]\d)"
)
_RUN_PHONE = re.compile(r"(?<![\w/.\-])\(?\d{3}\)?[\s.\-]?\d{7}(?![\w]|[\-/.]\d)")
_LOCAL_PHONE = re.compile(
    r"\b(?:phone|tel|telephone|fax|cell|call|mobile|pager)\b[\s:#.]*\d{3}\s*[\s.\-]\s*\d{4}\b", _I
)
_SSN = re.compile(
    r"(?<![\w.\-])\d{3}\s*[\s.\-\u2010-\u2015]\s*\d{2}\s*[\s.\-\u2010-\u2015]\s*\d{4}(?![\w]|[\-.]\d)"
    r"|\b(?:ssn|ss#|ss\s*no|social\s+security(?:\s+(?:number|no))?)\b\.?[\s:#.]*\d[\d\s.\-]{6,12}\d"
    r"|\b(?:ssn|social\s+security|social)\b[^\n\d]{0,20}(?!(?:19|20)\d\d\b)\d{4}\b",
    _I,
)
_EMAIL = re.compile(
    r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,}"
    r"|(?<![\w.+\-])[\w.+\-]+\s*[\[(]?\bat\b[\])]?\s*[\w\-]+\s*[\[(]?\b(?:dot|\.)\b[\])]?\s*(?:com|net|org|edu|gov|us)\b",
    _I,
)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+", _I)
_PUBLIC_HOST = re.compile(
    r"(?:\.gov|\.edu|\.org|\.int|odg-twc\.com|mdguidelines\.com|uptodate\.com|medscape\.com"
    r"|drugs\.com|ncbi\.nlm\.nih\.gov|acoem|reedgroup\.com|worklossdata\.com|fda\.gov)(?:[/:]|$)",
    _I,
)
_PERSONAL_URL = re.compile(
    r"family|blog|facebook|instagram|twitter|linkedin|myspace|tiktok|youtube|~|personal|photos"
    r"|home\.|members\.|users?/|profile|people/",
    _I,
)
"""What a private person's address on the web looks like; a publisher's or a payer's URL is
public (a guideline, a policy bulletin)."""
_IP = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM"
    "|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|California|Nevada|Arizona|Oregon"
)
_ZIP = re.compile(
    rf"(?:\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?,\s+)?\b(?:{_STATES}),?\s+\d{{5}}(?:-\d{{4}})?\b"
)
_STREET = re.compile(
    r"\b\d{1,6}\s+(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?(?:[A-Z][a-z]+\s+){1,3}"
    r"(?:Avenue|Ave|Street|St|Road|Rd|Boulevard|Blvd|Drive|Lane|Ln|Way|Court|Ct|Place|Circle"
    r"|Parkway|Pkwy|Highway|Hwy|Terrace|Trail|Suite)\b\.?"
    r"|\bP\.?\s?O\.?\s+Box\s+\d+"
    r"|,\s*(?:Space|Apt\.?|Apartment|Unit|Suite|Ste\.?|Lot)\s*\d+[A-Za-z]?\b",
)
_LABELLED_ID = re.compile(
    r"\b(?:member|policy|claim|licen[cs]e|plate|vin|account|acct|mrn|medical\s+record|chart|npi|wcab"
    r"|subscriber|beneficiary|medi-cal|medicaid|medicare|cin|badge|employee|driver'?s\s+license"
    r"|patient\s+id|case|file|dl|id|mbi|auth(?:orization)?|ur|rx|prescription|tracking"
    r"|confirmation|ref(?:erence)?|report|provider|group|order)\b"
    r"(?:\s*(?:number|no\.?|num|#|id|identifier))?\s*[:#]?\s*"
    r"(?:(?:is|was|of|reads)\s+)?"
    r"((?-i:[A-Z]{0,4})[\s\-]?\d[\w\-]{2,})",
    _I,
)
_ID_SHAPE = re.compile(
    r"\b(?:[A-HJ-NPR-Z0-9]{3}[A-HJ-NPR-Z]{2}[A-HJ-NPR-Z0-9]{3}\d[A-HJ-NPR-Z0-9]{8}|ADJ\d{5,}|CM\d\d-\d{5,}|[A-Z]{1,3}\d{6,}|\d[A-Z]{3}\d{3}|\d{9,}[A-Z]?)\b"
)
_YEAR_ONLY = re.compile(r"(?:19|20)\d\d")

_GAP = r"[ \t\u00a0]+"
"""Between the words of a name: spaces on one line (page text keeps its line breaks)."""
_NAME_WORD = r"[A-Z][a-zA-Z'\u2019\-]+"
_TITLE_NAME = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Doctor)\.?{_GAP}((?:[A-Z]\.\s*)?{_NAME_WORD}(?:{_GAP}{_NAME_WORD}){{0,2}})"
)
_TITLE_INITIAL = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?[ \t]+[A-Z]\.(?![\w])")
_CREDENTIAL_NAME = re.compile(
    rf"\b({_NAME_WORD}(?:{_GAP}[A-Z]\.)?(?:{_GAP}{_NAME_WORD}){{1,2}}),?{_GAP}"
    r"(?:M\.?D\.?|D\.?O\.?|PA-C|N\.?P\.?|R\.?N\.?|D\.?C\.?|Ph\.?D\.?|LCSW|MFT|DPT|OTR|LVN|Esq\.?|FNP)(?![A-Za-z])"
)
_ROLE_NAME = re.compile(
    rf"\b(?i:patient|claimant|worker|employee|applicant|spouse|wife|husband|son|daughter|mother"
    rf"|father|brother|sister|partner|adjuster|attorney|manager|nurse|supervisor|therapist"
    rf"|counsel|represented{_GAP}by|named|examiner|coordinator|friend|neighbor|child|grandson"
    rf"|granddaughter|cousin|aunt|uncle|niece|nephew|fianc[eé]e?|boyfriend|girlfriend|foreman"
    rf"|forewoman|coworker|co-worker|boss|owner|witness|landlord|roommate|practitioner)"
    rf"(?:s|ren)?(?:-in-law)?,?(?:{_GAP}|[ \t]*\([ \t]*)((?:{_NAME_WORD})(?:{_GAP}{_NAME_WORD})?"
    rf"(?:(?:[ \t]*\(\d{{1,2}}\))?(?:,{_GAP}|{_GAP}and{_GAP}|{_GAP}&{_GAP}){_NAME_WORD}(?:{_GAP}{_NAME_WORD})?)*)"
)
_PLACE = re.compile(
    rf"\b(?:in|to|near|from|at)[ \t]+((?-i:[A-Z][a-z]{{3,}})(?:{_GAP}(?-i:[A-Z][a-z]{{3,}}))?)\b"
    r"(?![ \t]+(?-i:[A-Z])|\s*\d|\s+(?:capsule|tablet|cream|patch|gel|mg|use|therapy|treatment)s?\b)"
)
"""A place by its cue ("drove her to Bakersfield", "a facility in Avenal"): a capitalized word
that is no English or medical word after a preposition."""
_NICKNAME = re.compile(
    rf"\b(?:goes{_GAP}by|known(?:{_GAP}\w+){{0,3}}{_GAP}as|called|nicknamed|a\.k\.a\.?|aka)[ \t,]*[\"\u201c']?({_NAME_WORD})"
    rf"|\b{_NAME_WORD}[ \t]+\([ \t]*(?:she{_GAP}goes{_GAP}by[ \t]*)?[\"\u201c']({_NAME_WORD})[\"\u201d']"
)
"""A nickname: after "goes by" or "known as", or in quotes after a name ('Seamus ("Shay")')."""
_QUOTED_MIDDLE = re.compile(
    rf"\b{_NAME_WORD}[ \t]+[\"\u201c]{_NAME_WORD}[\"\u201d][ \t]+{_NAME_WORD}"
    rf"|\b{_NAME_WORD}(?=,?[ \t]+as[ \t]+(?:\w+[ \t]+){{0,3}}call(?:s|ed)?[ \t]+(?:him|her|them)\b)"
)
"""A name with its nickname in quotes ('Radoslaw "Radek" Ostrowski'), a name "as the crew calls
him"."""
_SURNAME_FIRST = re.compile(rf"\b([A-Z][A-Z'\u2019\-]{{3,}}),{_GAP}([A-Z][a-z]+|[A-Z]{{4,}})\b")
_INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){2,3}(?![\w])")
_MARKED_INITIALS = re.compile(
    r"(?<![\w.'\u2019])(?:[A-Z](?:['\u2019][A-Z])?\.[ \t]?-?){2,4}(?![\w'\u2019])"
)
"""Dotted initials with an apostrophe or a hyphen ("S. O'S.-K."): a name's shape, no abbreviation's."""
_CAP = r"(?:[A-Z][a-z][A-Za-z'\u2019\-]*|[A-Z]{3,6})"
"""A capitalized word of a proper name, or an acronym."""
_NAMED = rf"{_CAP}(?:{_GAP}(?:of{_GAP}|&{_GAP}|and{_GAP})?{_CAP}){{0,3}}"
_INSTITUTION = re.compile(
    rf"\b((?:St\.?{_GAP})?{_NAMED}){_GAP}"
    rf"(?:Medical{_GAP}(?:Cent(?:er|re)|Group|Clinic|Plaza)|Hospital|Clinic|Urgent{_GAP}Care"
    rf"|Health{_GAP}(?:Cent(?:er|re)|System|Clinic)|Surg(?:ery|ical){_GAP}Cent(?:er|re)"
    rf"|Pain{_GAP}(?:&|and){_GAP}Spine|Spine{_GAP}(?:&|and){_GAP}Pain|Memorial|Sanitarium"
    rf"|(?:Unified{_GAP}|Union{_GAP}|High{_GAP})?School{_GAP}District|Transit{_GAP}Authority"
    rf"|Church|Parish|Temple|Mosque|Synagogue)\b"
)
"""A place of care, a school district, a place of worship by its name: a proper word before the
kind of place ("Community Regional Medical Center", "Mercy Urgent Care")."""
_CUED_INSTITUTION = re.compile(
    rf"\b(?:at|to|by|from|of|with|for)(?:{_GAP}the)?{_GAP}"
    rf"((?-i:[A-Z][a-z][A-Za-z'\u2019\-]*)(?:{_GAP}(?:&{_GAP}|and{_GAP})?{_CAP}){{0,2}}{_GAP}"
    r"(?:Medical|Health(?:care)?|Associates|Partners|Group|Institute|Ergonomics|Orthopa?edics"
    r"|Chiropractic|Rehabilitation|Pharmacy|Laboratories|Labs|Wellness|Diagnostics|Company"
    r"|Corporation|Industries|Enterprises|Services|Solutions|Logistics|Farms?|Ranch|Construction"
    r"|Manufacturing|Foods|Motors|Airlines|Bank|Hotel|Casino|Resort|Market|Stores?))\b"
    r"(?![ \t]+[A-Z])"
)
"""A business by its name after "at", "by", "from"...: a proper word before the kind of business
("flown to Kern Medical", "evaluated by Quillon Ergonomics")."""
_SAINT = re.compile(rf"\bSt\.?{_GAP}([A-Z][a-z]+)(?:['\u2019]s)?(?:{_GAP}of{_GAP}[A-Z][a-z]+)?")
"""A saint's name, the name of a hospital, a school or a church ("St. Anthony of Padua")."""
_EMPLOYER_ACRONYM = re.compile(
    r"\b(?:(?:works?|worked|working|employed|employee|employer|job|position|hired|career)\b"
    r"[^.\n]{0,40}?|year[- ]old\b[^.\n]{0,60}?\b(\w+)[ \t]+)"
    r"\b(?:at|for|with|by)[ \t]+(?:the[ \t]+)?"
    r"((?-i:[A-Z][A-Z&]{2,5}))(?:['\u2019]?s)?\b",
    re.IGNORECASE,
)
"""An employer by its acronym after a cue of work: a word of work before it, or after a worker's
age, an occupation ("a 50-year-old correctional officer at the CDCR", "a bus driver for VOUSD"):
a word no clinical one (not "pain at the DIP joint")."""
_OCCUPATION = re.compile(r"\w(?:er|or|ist|ian|ant|man|woman|ic|ee)$", re.IGNORECASE)
_CITATION_CUE = re.compile(
    r"\bet al\b|\bjournal\b|\bj\b|\bedition\b|\bed\.|\bupdated\b|\brevised\b|\bpubmed\b|\bdoi\b"
    r"|\bvol\b|\bpp\b|\bpress\b|\bpublished\b|\bwork loss data\b|\bcitation\b|\breferences?:"
    r"|\([A-Z]{2}\):|;\s*(?:19|20)\d\d\b|\bavailable at\b|\bpractice guideline"
    r"|\b(?:19|20)\d\d\s+[A-Za-z]{3}\.?(?:\s+\d{1,2})?\s*;\s*\(?\d",
    _I,
)
_SENTENCE_END = re.compile(r"\n|(?<=[.!?])\s+(?=[A-Z(\[])")
"""Where a sentence ends: a line break, or a full stop before a capital ("Jan. 10" goes on)."""
_CITATION_BLOCK = re.compile(r"\bcitation\b|decision based on|\breferences?:|bibliography", _I)
"""What opens a citation that goes on for sentences (a guideline or a work of literature)."""
_CITATION_SPANS = re.compile(r"\([^()]{0,200}\)")


_NAME_LIST_SPLIT = re.compile(r"[\s,&]+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_PROPER_WORD = re.compile(r"[^\W\d_][\w'\u2019\-]*")
_NAME_WORD_RUN = re.compile(r"[^\W\d_][^\W\d_'\u2019\-]*(?:[-'\u2019][^\W\d_]+)*")
_NAME_PART_SPLIT = re.compile(r"[-'\u2019]")
_SURNAME_SPLIT = re.compile(r"[-\s]")
_ALNUM_CHAR = re.compile(r"[^\W_]")
"""Patterns the functions below use at every call, compiled once (``re``'s own cache holds the
screens' patterns too, one a record, and would drop these)."""


def find_spans(text: str) -> list[Span]:
    """Every identifying span in ``text`` (sorted; spans may overlap). The detectors read only
    the text around the places where one could match (``_CANDIDATE``, found in linear time)."""
    found: set[Span] = set()
    text = _LONG_SPACE.sub(_blank_middle, text)  # no detector backtracks through a long gap
    for start, end in _windows(text):
        found.update(
            Span(span.start + start, span.end + start, span.kind)
            for span in _piece_spans(text[start:end])
        )
    return sorted(found)


def candidate_starts(text: str) -> Iterator[int]:
    """Where in ``text`` a detector could start to match, in order (``_CANDIDATE``, linear time):
    ``find_spans`` finds nothing in a text with none."""
    for start, _end in candidate_spans(text):
        yield start


def candidate_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where ``_CANDIDATE`` matches in ``text`` (start and end, in characters), in order. RE2
    reads the text's UTF-8 bytes: its offsets are the characters' in an ASCII text, and are
    counted back to characters in any other (RE2 matches whole characters). A lone surrogate
    (an escape half of a pair in a data file) is read as one "?": a character for a character."""
    data = text.encode("utf-8", errors="replace")
    matches = _CANDIDATE.finditer(data)
    if len(data) == len(text):
        for match in matches:
            yield match.start(), match.end()
        return
    byte, char = 0, 0
    for match in matches:
        start, end = match.start(), match.end()
        char += len(data[byte:start].decode("utf-8"))
        start_char = char
        char += len(data[start:end].decode("utf-8"))
        byte = end
        yield start_char, char


@functools.lru_cache(maxsize=4096)
def _piece_spans(piece: str) -> tuple[Span, ...]:
    """The spans of one window, outside its citations. Kept for the windows seen last: the theme's
    frame (header, navigation, footer) is the same text on every page of a site, and most of the
    windows the audit reads are there."""
    public = _citation_ranges(piece)
    return tuple(span for span in _spans(piece) if not _inside(span, public, piece))


_LONG_SPACE = re.compile(r"\s{21,}")


def _blank_middle(match: re.Match[str]) -> str:
    """A long run of spacing, its middle made a character no pattern crosses (same length)."""
    run = match[0]
    return run[:10] + "\x00" * (len(run) - 20) + run[-10:]


def _windows(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` around its candidates, each grown to its line (at most WINDOW
    characters on either side) and merged where they overlap."""
    windows: list[tuple[int, int]] = []
    for match_start, match_end in candidate_spans(text):
        low, high = max(0, match_start - WINDOW), min(len(text), match_end + WINDOW)
        line_start = text.rfind("\n", low, match_start) + 1 or low
        line_end = text.find("\n", match_end, high)
        start, end = max(low, line_start), high if line_end < 0 else line_end
        start = _word_start(text, start)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def _word_start(text: str, start: int) -> int:
    """``start`` moved back to the beginning of the word it cuts (so no detector sees half a word)."""
    stop = max(0, start - MAX_WORD)
    while start > stop and not text[start - 1].isspace():
        start -= 1
    return start


MAX_WORD = 64
"""How far back a window's start looks for the beginning of its word (no identifier is longer)."""


def _spans(text: str) -> Iterator[Span]:
    yield from _date_spans(text)
    yield from _contact_spans(text)
    yield from _id_spans(text)
    yield from _name_spans(text)


def _date_spans(text: str) -> Iterator[Span]:
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if _is_date(match):
                numeric = pattern is _DATE_PATTERNS[0] or pattern is _DATE_PATTERNS[1]
                yield Span(match.start(), match.end(), "full date" if numeric else "date")
    for match in _CUED_MONTH_DAY.finditer(text):
        month, day = int(match[1]), int(match[2])
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        near = f"{text[max(0, match.start() - 40) : match.start()]} {text[match.end() : match.end() + 40]}"
        if day in {4, 5, 10} and _PAIN_CONTEXT.search(near):  # "from 4/5 to 3/5 strength"
            continue  # "pain from 7/10 to 4/10"
        yield Span(match.start(1), match.end(), "date")
    for match in _LISTED_MONTH_DAY.finditer(text):  # "on 9/13, 9/27 and 10/11"
        yield Span(match.start(), match.end(), "date")
    for match in _EVENT_MONTH_DAY.finditer(text):  # "the 8/5 note"
        yield Span(match.start(), match.end(), "date")
    for match in _HOLIDAY.finditer(text):
        yield Span(match.start(), match.end(), "date")
    for match in _ORDINAL_DAY.finditer(text):
        yield Span(match.start(), match.end(), "date")


def _is_date(match: re.Match[str]) -> bool:
    """A numeric month-day-year (either order of month and day) must name a real day."""
    if match.re is not _DATE_PATTERNS[0]:
        return True
    first, second = int(match[1]), int(match[4])
    return (1 <= first <= 12 and 1 <= second <= 31) or (1 <= second <= 12 and 1 <= first <= 31)


def _contact_spans(text: str) -> Iterator[Span]:
    if "@" in text or " dot " in text.lower():
        yield from (Span(m.start(), m.end(), "e-mail address") for m in _EMAIL.finditer(text))
    for kind, pattern in (
        ("phone number", _PHONE),
        ("phone number", _LOCAL_PHONE),
        ("phone number", _RUN_PHONE),
        ("SSN", _SSN),
        ("ZIP code", _ZIP),
        ("address", _STREET),
    ):
        yield from (Span(m.start(), m.end(), kind) for m in pattern.finditer(text))
    for match in _URL.finditer(text):
        host = match[0].rstrip(".,;:").split("//", 1)[-1].split("/", 1)[0]
        if not _PUBLIC_HOST.search(host + "/") and _PERSONAL_URL.search(match[0]):
            yield Span(match.start(), match.end(), "URL")
    for match in _IP.finditer(text):
        parts = match[0].split(".")
        if all(int(part) <= 255 for part in parts) and sum(len(p) > 1 for p in parts) >= 2:
            yield Span(match.start(), match.end(), "IP address")


def _id_spans(text: str) -> Iterator[Span]:
    for match in _LABELLED_ID.finditer(text):
        token = match[1].strip()
        if _YEAR_ONLY.fullmatch(token) or sum(c.isdigit() for c in token) < 3:
            continue
        yield Span(match.start(1), match.end(1), "identifying number")
    for match in _ID_SHAPE.finditer(text):
        yield Span(match.start(), match.end(), "identifying number")


def _name_spans(text: str) -> Iterator[Span]:
    for pattern in (_TITLE_NAME, _CREDENTIAL_NAME, _ROLE_NAME):
        for match in pattern.finditer(text):
            words = [w for w in _NAME_LIST_SPLIT.split(match[1]) if w and w != "and"]
            if all(w.isupper() and len(w) <= 4 for w in words):  # "injured worker (IW)"
                continue
            if not all(is_vocabulary(word) for word in words):
                yield Span(match.start(1), match.end(1), "name")
    yield from (Span(m.start(), m.end(), "name") for m in _TITLE_INITIAL.finditer(text))
    for match in _QUOTED_MIDDLE.finditer(text):
        if not all(is_vocabulary(w) for w in _LETTER_RUN.findall(match[0])):
            yield Span(match.start(), match.end(), "name")
    for match in _NICKNAME.finditer(text):
        group = 1 if match[1] else 2
        if not is_vocabulary(match[group]):
            yield Span(match.start(group), match.end(group), "name")
    for match in _PLACE.finditer(text):
        if not any(is_vocabulary(word) for word in match[1].split()):
            yield Span(match.start(1), match.end(1), "city")
    for match in _SURNAME_FIRST.finditer(text):
        if not is_vocabulary(match[1]) and not is_vocabulary(match[2]):
            yield Span(match.start(), match.end(), "name")
    yield from _organization_spans(text)


_PUBLIC_SOURCES = re.compile(
    r"\b(?:Cleveland\s+Clinic|Mayo\s+Clinic|Johns\s+Hopkins|Reed\s+Group|Work\s+Loss\s+Data"
    r"|ECRI|Hayes|Cochrane|National\s+Institutes?|St\.?\s+Jude|Medtronic|Boston\s+Scientific)",
    re.IGNORECASE,
)
"""Public sources a rationale cites ("the Cleveland Clinic", "Reed Group") and device makers
("St. Jude Medical"): their names identify no one."""


def _organization_spans(text: str) -> Iterator[Span]:
    """Places of care, businesses, schools, churches and employers by their names' shapes (and
    initials marked as a name's: "S. O'S.-K.")."""
    for match in _MARKED_INITIALS.finditer(text):
        if "'" in match[0] or "\u2019" in match[0] or "-" in match[0]:
            yield Span(match.start(), match.end(), "name")
    for pattern in (_INSTITUTION, _CUED_INSTITUTION):
        for match in pattern.finditer(text):
            words = _PROPER_WORD.findall(match[1])
            if any(_proper(word) for word in words) and not _PUBLIC_SOURCES.search(match[0]):
                yield Span(match.start(1), match.end(), "organization")
    for match in _SAINT.finditer(text):
        herb = text[match.end() : match.end() + 8].lower().split()[:1] == ["wort"]
        public = _PUBLIC_SOURCES.match(match[0]) is not None
        if not is_vocabulary(match[1]) and not herb and not public:  # St. John's wort
            yield Span(match.start(), match.end(), "organization")
    for match in _EMPLOYER_ACRONYM.finditer(text):
        occupation = match[1] is None or _OCCUPATION.search(match[1]) or not is_vocabulary(match[1])
        if occupation and not is_vocabulary(match[2]):
            yield Span(match.start(2), match.end(2), "organization")


def _proper(word: str) -> bool:
    """A word that makes a place's or a business's name its own: not a small word, not English or
    medical vocabulary nor a word any clinic's name may hold ("Pain", "Spine", "Regional" is)."""
    lowered = word.lower()
    return lowered not in _SMALL_WORDS and lowered != "st" and not is_vocabulary(word)


def _citation_ranges(text: str) -> list[tuple[int, int]]:
    """Sentences and parentheses that read as a literature or guideline citation: their dates,
    authors and cities are public (publication details), never flagged."""
    ranges = []
    start = 0
    for end in [m.start() for m in _SENTENCE_END.finditer(text)] + [len(text)]:
        if _CITATION_CUE.search(text, start, end):
            ranges.append((start, end))
        start = end
    for match in _CITATION_BLOCK.finditer(text):  # to the end of its paragraph
        end = text.find("\n", match.end())
        ranges.append((match.start(), len(text) if end < 0 else end))
    for match in _CITATION_SPANS.finditer(text):
        if _CITATION_CUE.search(match[0]):
            ranges.append((match.start(), match.end()))
    return ranges


def _inside(span: Span, ranges: list[tuple[int, int]], text: str) -> bool:
    """Whether a span is public as part of a citation: of a kind a citation publishes, or a
    journal's article number after its issue ("2015 Sep 25;(9):CD003324")."""
    public = span.kind in _PUBLIC_IN_CITATIONS
    if span.kind == "identifying number" and text[max(0, span.start - 2) : span.start].endswith(
        ":"
    ):
        public = True
    return public and any(start <= span.start and span.end <= end for start, end in ranges)


_PUBLIC_IN_CITATIONS = frozenset({"date", "name", "ZIP code", "URL", "city", "organization"})
"""What a citation publishes: its authors, its dates ("2007 Jan. 10"), its city, its URL. A
numeric full date ("updated 10/27/2016"), a phone number or an SSN in a citation is still flagged."""


@functools.cache
def _vocabulary() -> frozenset[str]:
    """Words that are English or medical vocabulary, never a person's name alone: the must-keep
    vocabulary, the project's reference data (guidelines, treatments, diagnoses) and common words."""
    words = set(KEEP_WORDS) | set(_COMMON.split())
    data = Path(__file__).resolve().parent / "data"
    for path in sorted(data.glob("*.yaml")) if data.is_dir() else ():
        words.update(
            w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'\-]+", path.read_text("utf-8"))
        )
    return frozenset(words)


def is_vocabulary(word: str) -> bool:
    """Whether a word is English or medical vocabulary (so not a name by itself)."""
    lowered = word.lower().strip(".,'\u2019").removesuffix("'s").removesuffix("\u2019s")
    vocabulary = _vocabulary()
    return lowered in vocabulary or (
        "-" in lowered and all(p in vocabulary for p in lowered.split("-"))
    )


_CORPORATE_FORMS = frozenset(
    [
        "inc",
        "incorporated",
        "llc",
        "llp",
        "lp",
        "ltd",
        "co",
        "corp",
        "corporation",
        "company",
        "pc",
        "pa",
        "plc",
    ]
)
"""Legal forms of a company's name."""
LEGAL_SUFFIXES = _CORPORATE_FORMS | frozenset(
    [
        "group",
        "medical",
        "health",
        "services",
        "service",
        "associates",
        "partners",
        "clinic",
        "center",
        "centre",
        "hospital",
        "the",
        "of",
        "and",
        "dept",
        "department",
        "state",
        "county",
        "city",
        "california",
        "ca",
        "usa",
        "us",
    ]
)


def is_common_identifier(text: str) -> bool:
    """A declared identifier made only of legal suffixes and common or medical words ("Inc.",
    "LLC", "Orange", "Medical Group"): it identifies nobody alone and never blocks a build."""
    words = _TOKEN.findall(text.lower())
    if not words:
        return True
    if all(word.isdigit() for word in words):
        return len("".join(words)) < 5
    return all(word in LEGAL_SUFFIXES or word in _vocabulary() for word in words)


def declared_forms(text: str, kind: str) -> list[str]:
    """An identifier a record declares, in the forms a letter may write it (its own first)."""
    forms = [text]
    words = _NAME_WORD_RUN.findall(text)
    if kind == "name":  # a nickname in quotes or brackets: 'Guadalupe "Lupita" Ochoa'
        nicknames = _QUOTED_NAME.findall(text)
        forms += nicknames
        plain = _QUOTED_NAME.sub(" ", text)
        words = _words(plain)
        if len(words) >= 2:
            forms += _name_forms(*_given_and_surname(plain, words))
    elif kind == "organization" and len(words) >= 2:
        forms += _organization_forms(words)
    elif kind == "address":
        forms += [part.strip() for part in text.split(",")]  # the city alone
    return [
        form
        for form in dict.fromkeys(forms)
        if _ACRONYM.fullmatch(form) or not is_common_identifier(form)
    ]


_QUOTED_NAME = re.compile(r"[\"\u201c\u2018'(]([^\W\d_][^\W\d_'\u2019\-]+)[\"\u201d\u2019')]")
_ACRONYM = re.compile(r"[A-Z][A-Z&]{2,5}")
_PARTICLES = frozenset(
    [
        "van",
        "von",
        "der",
        "den",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "la",
        "le",
        "st",
        "ter",
        "ten",
        "bin",
        "al",
    ]
)


def _given_and_surname(text: str, words: list[str]) -> tuple[list[str], list[str]]:
    """A declared name's given names and surname words: "SURNAME, Given" by its comma, else the
    surname from its first particle ("Jan van der Berg") or the last word."""
    if "," in text:
        surname, _, given = text.partition(",")
        return _words(given) or words[:1], _words(surname) or words[-1:]
    for place, word in enumerate(words[1:], start=1):
        if word.lower() in _PARTICLES:
            return words[:place], words[place:]
    return words[:-1], words[-1:]


def _words(text: str) -> list[str]:
    return _NAME_WORD_RUN.findall(text)


def _name_forms(given: list[str], surname_words: list[str]) -> list[str]:
    """A person's name: surname alone and its parts, first name alone and the nicknames it
    starts ("Gwen" of "Gwendolyn"), "SURNAME, First", initials with dots (of each part)."""
    words = given + surname_words
    first, last = given[0], " ".join(surname_words)
    named = [w for w in words if len(w) > 1]
    parts = [p for w in named for p in _NAME_PART_SPLIT.split(w) if p]
    forms = [last, f"{last}, {first}", f"{first} {last}", first]
    forms += [part for part in _SURNAME_SPLIT.split(last) if len(part) > 3]
    forms += [part for part in first.split("-") if len(part) > 3]
    forms += [first[:n] for n in range(3, len(first)) if not is_vocabulary(first[:n])]
    for letters in ([w[0] for w in named], [p[0] for p in parts]):
        if len(letters) >= 2:
            forms += ["".join(f"{c.upper()}." for c in letters)]
            forms += [" ".join(f"{c.upper()}." for c in letters)]
        if len(letters) >= 3:
            forms += ["".join(c.upper() for c in letters)]
    capitals = [w[0].upper() for w in words if w.lower() not in _PARTICLES and len(w) > 1]
    if len(capitals) >= 2:
        forms += ["".join(f"{c}." for c in capitals)]
    every = [w[0] for w in _LETTER_RUN.findall(" ".join(words))]
    if len(every) >= 3:
        forms += ["".join(every).upper()]
    return forms


def _organization_forms(words: list[str]) -> list[str]:
    """An organization: without its trailing legal suffixes ("Company", "Inc."), and its
    acronyms ("PCGE", "PCG&E" of "Pacific Coast Gas and Electric Company")."""
    core = [_ABBREVIATIONS.get(w.lower().rstrip("."), w) for w in words]
    while len(core) > 1 and core[-1].lower() in LEGAL_SUFFIXES:
        core.pop()
    forms = [" ".join(core)]
    while len(core) > 2 and core[0].lower() in _STATE_WORDS:  # "CA Dept. of Corrections"
        core.pop(0)
        forms.append(" ".join(core))
    spelled = [w for w in words if w.lower().rstrip(".") not in _CORPORATE_FORMS]
    plain = "".join(w[0] for w in spelled if w.lower() not in _SMALL_WORDS).upper()
    ampersand = "".join(
        "&" if w.lower() == "and" else w[0] for w in core if w.lower() not in _SMALL_WORDS - {"and"}
    ).upper()
    parts = "".join(
        p[0] for w in spelled if w.lower() not in _SMALL_WORDS for p in w.split("-") if p
    )
    acronyms = [a for a in (plain, ampersand, parts.upper()) if len(a.replace("&", "")) >= 3]
    forms += [
        " ".join(core[:n])
        for n in range(2, len(core))
        if n >= 3 or "-" in core[0] or not any(_common_word(w) for w in core[:n])
    ]
    forms += acronyms + [".".join(plain) + "." for _ in acronyms[:1]]
    if len(core) >= 3 and core[0].lower() == "county" and core[1].lower() == "of":
        forms.append(f"{' '.join(core[2:])} County")  # "County of Fresno": "Fresno County"
    return forms


def _common_word(word: str) -> bool:
    """A small word, a legal suffix or English or medical vocabulary."""
    lowered = word.lower().rstrip(".")
    return lowered in _SMALL_WORDS or lowered in LEGAL_SUFFIXES or is_vocabulary(word)


def forms_of(items: Iterable[tuple[str, str]]) -> list[tuple[str, str, bool]]:
    """(form, kind, in capitals only) of every (text, kind) declared, each form once: initials
    and acronyms made from a declared text ("PCG&E", "JWVDB") count only in capitals, a word the
    text holds ("TRAN" of "TRAN, THI") in any case."""
    seen: dict[str, tuple[str, bool]] = {}
    for text, kind in items:
        written = {word.casefold() for word in _words(text)}  # "TRAN" of "TRAN, THI": any case
        for form in declared_forms(text, kind):
            made = form != text and form.casefold() not in written
            seen.setdefault(form, (kind, made and _ACRONYM.fullmatch(form) is not None))
    return [(form, kind, capitals) for form, (kind, capitals) in seen.items()]


_ABBREVIATIONS = {
    "dept": "Department", "univ": "University", "assn": "Association", "co": "Company",
    "corp": "Corporation", "ctr": "Center", "med": "Medical", "svcs": "Services",
    "hosp": "Hospital", "intl": "International", "natl": "National", "mgmt": "Management",
    "ins": "Insurance", "admin": "Administration", "dist": "District", "cty": "County",
}  # fmt: skip
"""Short forms an organization's declared name may use, written out as a letter may write them."""
_STATE_WORDS = frozenset({"ca", "california", "state", "of", "the"})
_SMALL_WORDS = frozenset({"of", "and", "the", "for", "at", "in", "on", "de", "la", "del"})

_COMMON = """
a about above across after again against all almost alone along already also although always am
among an and another any anyone anything are area around as ask asked at away back be became
because become been before began being below best better between both brief but by came can
cannot case certain clear come could current day days did do does done down during each early
either else end enough even ever every evidence fact far few find first five follow following for
four from full further gave general get give given go good great had has have he her here high him
his history how however i if important in including indeed into is it its itself just keep kind
know known last late later least left less let like likely little long made main make many may me
mean might more most much must my near need needed never new next no none nor not note noted
nothing now of off often on once one only open or order other others our out over own part past
per perhaps place plan point present prior provided put quite rather really reason recent regarding
report reported request requested required result results return right said same saw say see seen
several shall she should show shown side since six so some still such take taken ten than that the
their them then there these they thing third this those though three through thus time times to
today together too took toward two under unless until up upon us use used very was way we well
went were what when where whether which while who whom whose why will with within without work
would year years yes yet you your
also additionally overall per subsequently currently previously recently patient patients claimant
worker injured employee applicant doctor physician provider reviewer treating requesting primary
secondary care medical records record note notes progress visit visits follow-up report evaluation
re-evaluation exam examination office clinic center hospital group medicine surgery orthopedic
orthopaedic internal family practice pain management physical occupational therapy therapist
chiropractic chiropractor psychology psychiatry psychologist psychiatrist neurology neurologist
rheumatology podiatry podiatrist acupuncture acupuncturist nurse practitioner assistant independent
agreed qualified utilization review maximus federal services determination final decision
rationale guideline guidelines administrator claims claim upheld overturned appeal appeals board
state california labor code regulations division workers compensation
"""


@dataclass(frozen=True)
class Screen:
    """Looks for identifying text in the strings one record publishes: the detectors' spans and
    its own declared identifiers in every form (``declared_forms``)."""

    declared: re.Pattern[str] | None
    kinds: tuple[str, ...]
    """The kind of each alternative of ``declared``, by group number."""

    @classmethod
    def of(cls, declared: Iterable[tuple[str, str]], texts: Sequence[str] | None = None) -> Screen:
        """A screen for the (text, kind) pairs a record declares. With ``texts``, the strings it
        is to read, it leaves out the forms that can stand in none of them (``_Folded``): those
        could match nowhere there, and most of a record's never do (its text is scrubbed)."""
        forms = sorted(forms_of(declared), key=lambda pair: len(pair[0]), reverse=True)
        if texts is not None and forms:
            folded = _Folded(texts)
            forms = [form for form in forms if folded.may_hold(fold_accents(form[0]))]
        if not forms:
            return cls(None, ())
        alternatives = "|".join(
            f"({_flexible(fold_accents(f), capitals)})" for f, _, capitals in forms
        )
        pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
        return cls(pattern, tuple(kind for _, kind, _ in forms))

    def spans(self, text: str) -> list[Span]:
        """Every identifying span of ``text``: the detectors' and the declared identifiers'."""
        return sorted({*find_spans(text), *self.declared_spans(text)})

    def spans_of_record(self, texts: Sequence[str]) -> list[list[Span]]:
        """The spans of each of a record's strings; the names the detectors found (by a title,
        a relation, a nickname in quotes) are then looked for alone in every string, as declared
        ones are ("Seamus ("Shay")" and later "Shay's")."""
        found = [self.spans(text) for text in texts]
        found = [
            sorted({*spans, *_beside_names(text, spans)})
            for text, spans in zip(texts, found, strict=True)
        ]
        names = {
            word
            for text, spans in zip(texts, found, strict=True)
            for span in spans
            if span.kind == "name"
            for word in _NAME_PART.findall(text[span.start : span.end])
            if word[0].isupper() and not is_vocabulary(word)
        }
        if not names:
            return found
        harvested = Screen.of(((name, "name") for name in sorted(names)), texts)
        return [
            sorted({*spans, *harvested.declared_spans(text)})
            for text, spans in zip(texts, found, strict=True)
        ]

    def declared_spans(self, text: str) -> list[Span]:
        """Where the declared identifiers stand in ``text`` (accents aside: "Jose" is "José")."""
        if self.declared is None or not text:
            return []
        folded = fold_accents(text)
        return [
            Span(match.start(), match.end(), self.kinds[(match.lastindex or 1) - 1])
            for match in self.declared.finditer(folded)
        ]


_NAME_PART = re.compile(r"[^\W\d_]{3,}")
_TOKEN = re.compile(r"[^\W_]+")
_LIKE_ASCII = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
"""The only characters that are not ASCII but that ASCII letters match, case aside, in Python's
``re`` (İ, ı, ſ and the Kelvin sign): as those letters."""


class _Folded:
    """A record's strings as one text, accents folded and in lower case (İ, ı, ſ and the Kelvin
    sign as the ASCII letters they match): what may hold a declared form."""

    def __init__(self, texts: Iterable[str]) -> None:
        text = "\n".join(map(fold_accents, texts))
        self.text = (text if text.isascii() else text.translate(_LIKE_ASCII)).lower()

    def may_hold(self, form: str) -> bool:
        """False when a word of the form (a run of letters and digits, in ASCII) is nowhere in
        the text: the form's pattern (``_flexible``: its words, in any case, with any spacing
        between them) matches nowhere in it. Words not in ASCII are not looked for (their
        letters may match others, case aside)."""
        return all(word.lower() in self.text for word in _TOKEN.findall(form) if word.isascii())


_WORD_BEFORE = re.compile(r"(?<![\w'\u2019\-])([A-Z][\w'\u2019\-]*)[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+([A-Z][\w'\u2019\-]*)(?![\w'\u2019\-])")


def _beside_names(text: str, spans: Iterable[Span]) -> Iterator[Span]:
    """A capitalized word that is no English or medical word right before or after a name found
    is part of it: a given name the record does not declare ("Annie Pham", a nickname), a
    second surname."""
    for span in spans:
        if span.kind != "name":
            continue
        before = _WORD_BEFORE.search(text, max(0, span.start - 40), span.start)
        if before and not is_vocabulary(before[1]):
            yield Span(before.start(1), before.end(1), "name")
        after = _WORD_AFTER.match(text, span.end)
        if after and not is_vocabulary(after[1]):
            yield Span(after.start(1), after.end(1), "name")


def fold_accents(text: str) -> str:
    """``text`` without accents, character for character (its length unchanged)."""
    if text.isascii():
        return text
    return text.translate(_accent_table(frozenset(c for c in text if not c.isascii())))


@functools.lru_cache(maxsize=1024)
def _accent_table(characters: frozenset[str]) -> dict[int, str]:
    table = {}
    for char in characters:
        base = unicodedata.normalize("NFD", char)[0]
        if base != char and base.isascii():
            table[ord(char)] = base
    return table


_DOTTED_INITIALS = re.compile(r"(?:[^\W\d_]\.\s?)+")


def _flexible(form: str, capitals: bool) -> str:
    """A form as a pattern: its words in order, any punctuation or spacing between them; dotted
    initials as written, in capitals ("M.S." is not "MS" nor "ms")."""
    if _DOTTED_INITIALS.fullmatch(form):
        letters = _ALNUM_CHAR.findall(form)
        return "(?-i:" + r"\.\s?".join(letters) + r"\.)"
    if capitals:
        return f"(?-i:{re.escape(form)})"
    words = _TOKEN.findall(form)
    return r"[\W_]*".join(map(re.escape, words)) if words else re.escape(form)


_MONTH_RE2 = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_CANDIDATE = re2.compile(
    # Where a detector could match (a superset, in RE2: linear time): the detectors run only on
    # the text around these (``find_spans``), most of a page being none of them. Compiled for
    # UTF-8 bytes (``candidate_spans``): RE2's bindings count a text's characters at each match
    # of a str, most of the time this scan took.
    (
        r"\d\s*[/.\-\x{2010}-\x{2015}]\s*\d{1,2}\s*[/.\-\x{2010}-\x{2015}]\s*\d\d"
        r"|\d{3}\)?\s*[\s./\-\x{2010}-\x{2015}]?\s*\d{3}|\d{5}|\d\.\d+\.\d+\.\d"
        rf"|\b(?i:{_MONTH_RE2})[\s,/\-']*(?:the\s+|of\s+)?\d|\d(?:st|nd|rd|th)?[\s/\-]*(?:of\s+)?(?i:{_MONTH_RE2})"
        rf"|(?:19|20)\d\d,?\s+(?i:{_MONTH_RE2})|\d{{1,2}}\s*[/\-]\s*(?:19|20)\d\d"
        r"|(?i:\b(?:on|dated|date|since|until|through|thru|dos|doi|dob|seen|visits?|exam|from|of|to|by"
        r"|before|after|between|and|the)[\s:]+\d{1,2}\s*/\s*\d)"
        r"|@|(?i:https?://|www\.|\bat\s+\w+\s+dot\s|\b(?:ssn|ss#|social security)\b)"
        r"|(?i:\b(?:dl|id|mrn|npi|vin|member|policy|claim|licen[cs]e|plate|account|acct|chart|wcab"
        r"|subscriber|beneficiary|medi-cal|medicaid|medicare|cin|badge|employee|case|file|order|report"
        r"|provider|group|mbi|auth(?:orization)?|ur|rx|prescription|tracking|confirmation|ref(?:erence)?)\b"
        r"\s*(?:number|no\.?|num|#|id|identifier)?\s*[:#]?\s*(?:is\s+|was\s+|of\s+|reads\s+)?[A-Z]{0,4}[\s-]?\d)"
        r"|[A-HJ-NPR-Z0-9]{17}"
        r"|(?i:\bthe\s+\d{1,2}(?:st|nd|rd|th)\b)|[A-Z]\d{6,}"
        r"|\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Doctor)\b\.?\s+[A-Z]"
        r"|[A-Z][a-z]+,?[ \t]+(?:M\.?D|D\.?O|PA-C|N\.?P|R\.?N|D\.?C|Ph\.?D|LCSW|MFT|DPT|OTR|LVN|Esq|FNP)\b"
        r"|\b(?:patient|claimant|worker|employee|applicant|spouse|wife|husband|son|daughter|mother"
        r"|father|brother|sister|partner|adjuster|attorney|manager|nurse|supervisor|therapist|counsel"
        r"|by|named|examiner|coordinator|friend|neighbor|child|grandson|granddaughter|cousin|aunt"
        r"|uncle|niece|nephew|fianc\S*|boyfriend|girlfriend|foreman|forewoman|coworker|co-worker|boss"
        r"|owner|witness|landlord|roommate|practitioner)(?:s|ren)?(?:-in-law)?,?[ \t]*\(?[ \t]*[A-Z]"
        r"|[\"\x{201c}'][A-Z][a-z]+[\"\x{201d}']|(?i:\bcall(?:s|ed)?\s+(?:him|her|them)\b)"
        r"|(?i:\b(?:goes\s+by|known\b|nicknamed|a\.?k\.?a\b))"
        r"|(?i:christmas|new\s+year|valentine|thanksgiving|independence\s+day|fourth\s+of\s+july"
        r"|halloween|easter|memorial\s+day|labor\s+day|veterans|mother'?s\s+day|father'?s\s+day"
        r"|birthday)"
        r"|[A-Z]{4},\s+[A-Z]|\b(?:in|to|near|from|at)[ \t]+[A-Z][a-z]{3}"
        r"|[A-Z]\.\s?[A-Z]['\x{2019}]|[A-Z]\.-[A-Z]|\bSt\.?\s+[A-Z]"
        r"|[A-Z][\w'\x{2019}\-]*\s+(?:(?:&|and)\s+)?(?:Medical\s+(?:Cent|Group|Clinic|Plaza)"
        r"|Hospital\b|Clinic\b|Urgent\s+Care|Health\s+(?:Cent|System|Clinic)|Surg(?:ery|ical)\s+Cent"
        r"|Pain\s+(?:&|and)\s+Spine|Spine\s+(?:&|and)\s+Pain|Memorial\b|Sanitarium"
        r"|(?:Unified|Union|High)\s+School|School\s+District|Transit\s+Authority|Church\b|Parish\b"
        r"|Temple\b|Mosque|Synagogue)"
        r"|(?i:\b(?:at|to|by|from|of|with|for)\s+(?:the\s+)?)[A-Z][a-z][\w'\x{2019}\-]*\s+"
        r"(?:(?:&|and)\s+)?(?:[A-Z][\w'\x{2019}\-]*\s+(?:(?:&|and)\s+)?){0,2}(?:Medical|Health"
        r"|Associates|Partners|Group|Institute|Ergonomics|Orthop|Chiropractic|Rehabilitation|Pharmacy"
        r"|Laborator|Labs|Wellness|Diagnostics|Company|Corporation|Industries|Enterprises|Services"
        r"|Solutions|Logistics|Farm|Ranch|Construction|Manufacturing|Foods|Motors|Airlines|Bank|Hotel"
        r"|Casino|Resort|Market|Store)\w*(?:[ \t]*$|[ \t]*[^\w \t]|[ \t]+[^A-Z \t])"
        r"|(?i:\b(?:works?|worked|working|employed|employee|employer|job|position|hired|career"
        r"|year[- ]old)\b)"
    ).encode()
)
WINDOW = 300
"""Text on each side of a candidate the detectors read: more than any identifier is long, and
enough for the citation that may hold it (a window grows to the line it stands on, up to this)."""

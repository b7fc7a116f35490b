"""Identity: every identifier in an unredacted letter's preamble and footer, sorted into ``Private``.

Three preamble layouts are read: a DWC header with labelled fields ("Employee: DOE, JANE", two fields
to a line), a cover letter (recipient name and address block, "Dear Ms. Doe:"), and a form header of
``|``-separated "Label: value" fields. The footer is a "cc:" list or a signature. Labels decide the
kind of a value; unlabelled lines are read by shape (street and city lines, "LAST, FIRST", e-mail,
phone and SSN patterns anywhere). Known public header fields (case number, header dates, priority)
are left to the header parser. Nothing found here goes into a public field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.detectors import is_vocabulary
from generator.ingest.header import DATE_PATTERN, parse_date
from generator.schema import Private
from generator.scrub.keep import is_kept_word

_KNOWN_LABELS = (
    r"(?:IMR\s+)?Case\s+(?:Number|No\.?|#)|Date\s+Assigned|Date\s+of\s+Injury|Decision\s+Date"
    r"|Date\s+of\s+Decision|UR\s+Denial\s+Date|Priority|Application\s+Received|Received|Dated?"
    r"|(?:Injured\s+)?(?:Employee|Worker|Applicant|Claimant|Patient)(?:'s)?(?:\s+Name)?|Name"
    r"|Claims?\s+(?:Number|No\.?|#)|SSN|Social\s+Security(?:\s+Number|\s+No\.?)?"
    r"|Date\s+of\s+Birth|DOB|D\.O\.B\.?|Birth\s?Date|DOI|D\.O\.I\.?|D/I|IW|I/W|EE|AA|DA"
    r"|(?:Home\s+|Mailing\s+|Employer\s+|Provider\s+|Worker\s+)?Address"
    r"|(?:Home\s+|Cell\s+|Work\s+|Mobile\s+)?(?:Phone|Telephone|Tel\.?|Fax)(?:\s+Number|\s+No\.?)?"
    r"|E-?mail(?:\s+Address)?|Employer(?:\s+Name)?"
    r"|(?:Requesting\s+|Treating\s+|Referring\s+)?(?:Provider|Physician|Doctor)(?:\s+Name)?|NPI"
    r"|(?:Employee\s+|Applicant(?:'s)?\s+|Defense\s+)?Attorney|Claims\s+Administrator|Insurer"
    r"|(?:PTP|P?QME|AME|NCM|PA-C|NP)(?:\s+Name)?"
    r"|(?:Insurance\s+)?Carrier|(?:Claims\s+)?Adjuster|TPA|WCAB(?:\s+Case)?(?:\s+Number|\s+No\.?|\s+#)?"
    r"|ADJ(?:\s+Number|\s+No\.?)?|Hospital(?:\s+Name)?|Medical\s+Record(?:\s+Number|\s+No\.?)?|MRN"
    r"|Member\s+ID|Policy(?:\s+Number|\s+No\.?)?"
    r"|Treatments?(?:\(s\))?(?:\s+in\s+Dispute[\w ]*|\s+Requested)?|Re|Attn|To|From"
)
_LABEL = re.compile(rf"(?:(?<=^)|(?<=[\s|]))(?P<label>{_KNOWN_LABELS})\s*:(?=\s|$)", re.I)
_GENERIC_LABEL = re.compile(
    r"(?P<label>[A-Z][a-z][A-Za-z.'/()#&-]*(?:\s+[A-Za-z.'/()#&-]+){0,3}?)\s*:(?=\s)"
)
_PUBLIC_LABEL = re.compile(
    r"(?:IMR\s+)?case\s+(?:number|no\.?|#)|date\s+assigned|date\s+of\s+injury|decision\s+date"
    r"|date\s+of\s+decision|ur\s+denial\s+date|priority|(?:application\s+)?received|dated?"
    r"|doi|d\.o\.i\.?|d/i"
    r"|treatments?\b.*|re|attn|to|from",
    re.I,
)
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dates", re.compile(r"\b(?:dob|d\.o\.b\.|birth)", re.I)),
    ("emails", re.compile(r"e-?mail", re.I)),
    ("phones", re.compile(r"\b(?:phone|telephone|tel|fax|mobile|cell)\b", re.I)),
    ("addresses", re.compile(r"\baddress\b", re.I)),
    (
        "identifiers",
        re.compile(
            r"(?:\b(?:number|no\.?|ssn|social security|npi|wcab|adj|id|mrn|policy|claim|cin|bic|mbi"
            r"|medi-?cal|medicare|medicaid|member|beneficiary|subscriber|licen[cs]e|dl|plate|vin"
            r"|account|acct|edd|sdi|ihss|case)\b|#)",
            re.I,
        ),
    ),
    (
        "organizations",
        re.compile(
            r"\b(?:employer|insurer|carrier|company|administrator|tpa|hospital|facility|firm)\b",
            re.I,
        ),
    ),
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s*|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)")
_SSN = re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)")
_NPI = re.compile(r"\bNPI\s*(?:#|No\.?|number)?\s*:?\s*(?P<npi>\d{10})\b", re.I)
_DEAR = re.compile(r"Dear\s+(?P<name>[^:,]+?)\s*[:,]?$", re.I)
_STREET = re.compile(r"(?:\d+[A-Za-z]?\s+[A-Za-z0-9].*|P\.?\s*O\.?\s+Box\s+\d+.*)", re.I)
_CITY = re.compile(r"[A-Za-z][A-Za-z .'-]*,?\s+(?:[A-Z]{2}|California)\s+\d{5}(?:-\d{4})?")
_CITY_IN_TEXT = re.compile(
    r"[A-Z][A-Za-z.'-]*(?:\s[A-Z][A-Za-z.'-]*){0,2},\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?"
)
_STREET_IN_TEXT = re.compile(
    r"(?:\b\d+[A-Za-z]?(?:\s+[A-Z0-9][A-Za-z0-9.'-]*){1,4}\s+(?:Street|St|Avenue|Ave|Road|Rd"
    r"|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl|Parkway|Pkwy|Highway|Hwy|Circle|Cir)\b\.?"
    r"|\bP\.?\s*O\.?\s+Box\s+\d+)(?:,?\s+(?:Suite|Ste\.?|Unit|Apt\.?|#)\s*[\w-]+)?"
)
_LAST_FIRST = re.compile(r"[A-Z][A-Z'-]+(?:\s[A-Z][A-Z'-]+)*,\s[A-Z][A-Z'-]+(?:\s[A-Z]\.?)?")
_FIELD_LAST_FIRST = re.compile(
    r"[A-Z][A-Za-z'’-]+(?:\s[A-Z][A-Za-z'’-]+)*,\s[A-Z][A-Za-z'’-]+(?:\s[A-Z]\.?)?"
)
"""A LAST, FIRST name in a labelled field, in capitals or not ("Doe, Jane M."); an unlabelled
line is read as one only in capitals (``_LAST_FIRST``: "Regards, Maria" is no name)."""
_TITLE = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Dr|Mx)\.?\s+", re.I)
_CREDENTIAL = re.compile(
    r"^(?:M\.?D|D\.?O|D\.?C|Ph\.?D|Esq|R\.?N|N\.?P|P\.?A(?:-C)?|DPM)\.?$", re.I
)
_ORG_WORD = re.compile(
    r"\b(?:inc|llc|llp|ltd|corp|corporation|company|co|insurance|services|group|associates"
    r"|hospital|clinic|center|centre|medical|health|fund|district|county|city|university"
    r"|authority|partners|law|office|offices|administrators?|mutual|agency|department|dept)\b\.?",
    re.I,
)
_PERSON = re.compile(r"(?:[A-Z][a-zA-Z'’-]+\.?\s+){1,3}[A-Z][a-zA-Z'’-]+")
_ROLE = re.compile(
    r"(?:the\s+)?(?:injured\s+)?(?:worker|employee|applicant|claimant|patient|employer|insurer|carrier"
    r"|adjuster|claims\s+administrator|(?:requesting|treating|primary\s+treating|referring)?\s*"
    r"(?:provider|physician|doctor)|(?:applicant(?:'s)?\s+|defense\s+|employee\s+)?attorney)",
    re.I,
)
_PARENTHESES = re.compile(r"\([^)]*\)")
_DATE = re.compile(DATE_PATTERN)
_SPACES = re.compile(r"\s+")
_STREET_WORD = re.compile(
    r"\b(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct|place|pl"
    r"|suite|ste|parkway|pkwy|highway|hwy|circle|cir|box|floor|fl|unit|apt|plaza|square|sq)\b\.?",
    re.I,
)
_IGNORED = re.compile(
    r"maximus|division of workers'? compensation|department of industrial relations", re.I
)
_JOB = re.compile(
    r"\b(?:officer|director|manager|supervisor|coordinator|analyst|president|reviewer)\b", re.I
)
_LEGAL_SUFFIX = re.compile(
    r"(?:Inc|Incorporated|LLC|L\.L\.C|LLP|LP|Ltd|Corp|Co|PC|P\.C|APC|A\.P\.C)\.?", re.I
)
_GENERIC_TEXT = """human resources risk management safety office return to work unit department claims claim
    legal services division payroll benefits personnel compliance applicant applicant's defense
    attorney attorneys counsel adjuster administrator administrators examiner unit team desk
    accounts payable billing records custodian medical dept the and of for workers' workers
    compensation comp section branch bureau center program"""
_GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())
_CODE_LIKE = re.compile(r"(?=(?:\D*\d){4})[\w-]+(?:\s[\w-]+){0,2}")
_ADDRESSEE_LABEL = re.compile(r"re|attn|attention|to|from", re.I)
_CAPTION = re.compile(r"\s+v(?:s)?\.?\s+", re.I)
_CC = re.compile(r"^(?:cc|c\.c\.|copies to|copy to)\s*:\s*", re.I)


@dataclass
class _Found:
    """Identifiers collected so far, by kind, in the order first seen."""

    values: dict[str, list[str]] = field(default_factory=dict)
    dates: list[dt.date] = field(default_factory=list)

    def add(self, kind: str, value: str) -> None:
        value = value.strip(" ,;|")
        bucket = self.values.setdefault(kind, [])
        if value and value not in bucket:
            bucket.append(value)

    def add_date(self, text: str) -> None:
        for match in _DATE.finditer(text):
            date = parse_date(match[0])
            if date is not None and date not in self.dates:
                self.dates.append(date)

    def private(self) -> Private:
        get = self.values.get
        return Private(
            names=tuple(get("names", ())),
            organizations=tuple(get("organizations", ())),
            addresses=tuple(get("addresses", ())),
            phones=tuple(get("phones", ())),
            emails=tuple(get("emails", ())),
            identifiers=tuple(get("identifiers", ())),
            dates=tuple(self.dates),
        )


def find_identities(preamble: Sequence[str], footer: Sequence[str]) -> Private:
    """Every identifier in the preamble and the footer."""
    found = _Found()
    previous = ""
    for line in preamble:
        _read_line(found, line, previous)
        previous = line
    _read_footer(found, footer)
    return found.private()


def _read_line(found: _Found, line: str, previous: str) -> None:
    _read_patterns(found, line)
    for raw_segment in line.split("|"):
        segment = raw_segment.strip()
        fields = _labelled_fields(segment)
        if fields:
            for label, value in fields:
                if _ADDRESSEE_LABEL.fullmatch(label):
                    _add_addressee(found, value)
                elif not _PUBLIC_LABEL.fullmatch(label):
                    _add_labelled(found, label, value)
        elif segment:
            _read_unlabelled(found, segment, previous)


def _read_patterns(found: _Found, text: str) -> None:
    """E-mails, SSNs, NPIs and phone numbers wherever they stand."""
    for email in _EMAIL.findall(text):
        found.add("emails", email)
    for ssn in _SSN.findall(text):
        found.add("identifiers", ssn)
    for npi in _NPI.finditer(text):
        found.add("identifiers", npi["npi"])
    for phone in _PHONE.findall(_SSN.sub(" ", text)):
        found.add("phones", phone)


def _labelled_fields(segment: str) -> list[tuple[str, str]]:
    """("label", "value") pairs of a segment holding one or more "Label: value" fields."""
    marks = list(_LABEL.finditer(segment))
    if not marks:
        generic = _GENERIC_LABEL.match(segment)
        marks = [generic] if generic else []
    fields = []
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(segment)
        value = segment[mark.end() : end].strip()
        if value:
            fields.append((_SPACES.sub(" ", mark["label"]), value))
    return fields


def _add_labelled(found: _Found, label: str, value: str) -> None:
    kind = next((kind for kind, pattern in _KINDS if pattern.search(label)), "names")
    if kind == "names" and _CODE_LIKE.fullmatch(value.strip()):
        kind = "identifiers"  # an unknown label before a number: a member or program number
    elif kind == "identifiers" and not any(char.isdigit() for char in value):
        kind = "names"  # "Member: Jane Doe", "Nurse Case Manager: Jane Doe, RN": a party
    if kind == "dates":
        found.add_date(value)
    elif kind in {"emails", "phones"}:
        if not (_EMAIL.search(value) or _PHONE.search(value)):
            found.add(kind, value)
    elif kind == "addresses":
        found.add(kind, value)
        _take_addresses(found, value)
    elif kind == "identifiers":
        found.add(kind, value)
    else:
        parts = _parts(_strip_patterns(value), person=kind == "names")
        for part in parts:
            _add_party(found, part, organization=kind == "organizations")
        if kind == "names" and len(parts) == 1:  # (whose nickname it is is plain only then)
            for nickname in _nicknames(value):  # quoted in the name, as the scrubber reads one
                found.add("names", f'{parts[0]} "{nickname}"')


def _add_addressee(found: _Found, value: str) -> None:
    """A "Re:", "Attn:", "To:" or "From:" line: the people and organisations it names (a case
    caption "Doe v. Acme Corp." is two parties), never its generic words ("Independent Medical
    Review Final Determination")."""
    for piece in _CAPTION.split(_strip_patterns(value)):
        for part in _parts(piece):
            words = re.findall(r"[A-Za-z][\w'’-]*", part)
            if not words or all(is_kept_word(w) or w.lower() in _GENERIC_WORDS for w in words):
                continue
            if _PERSON.fullmatch(_TITLE.sub("", part)) or _ORG_WORD.search(part):
                _add_party(found, part)


def _strip_patterns(text: str) -> str:
    for pattern in (_NPI, _EMAIL, _SSN, _PHONE):
        text = pattern.sub(" ", text)
    return text


def _parts(text: str, *, person: bool = False) -> list[str]:
    """Comma-separated parts, with credentials, role descriptions and a department's generic name
    dropped ("Human Resources", "Claims Department"); a legal suffix stays with the name before it
    ("Acme Tools, Inc."), and a LAST, FIRST stays whole: in capitals, or in any case in a field
    that names a ``person`` ("Employee: Doe, Jane"; not "Claims Administrator: Sedgwick,
    Sacramento", two names, each scrubbed alone)."""
    text = _PARENTHESES.sub(" ", _SPACES.sub(" ", text)).strip(" ,;")
    last_first = _FIELD_LAST_FIRST if person else _LAST_FIRST
    if last_first.fullmatch(text) and not _CREDENTIAL.fullmatch(text.rsplit(", ", 1)[1]):
        return [text]
    parts: list[str] = []
    for part in (piece.strip() for piece in re.split(r"[,;]", text)):
        if parts and _LEGAL_SUFFIX.fullmatch(part):
            parts[-1] = f"{parts[-1]}, {part}"
        elif part:
            parts.append(part)
    return [
        p
        for p in parts
        if not _CREDENTIAL.fullmatch(p) and not _ROLE.fullmatch(p) and not _generic(p)
    ]


_BRACKETED = re.compile(
    r"[(\[]\s*(?:(?P<cue>a/?k/?a|a\.k\.a\.?|aka|nicknamed|nickname|goes\s+by|known\s+as|called"
    r"|prefers)\s*[:\s]\s*)?[\"“']?(?P<name>[A-Za-z][A-Za-z'’-]+)[\"”']?\s*[)\]]",
    re.I,
)
_NAME_SHAPE = re.compile(r"(?:Mc|Mac|De|La|Le|Di|O')?[A-Z][a-z'’-]+|[A-Z]{5,}")
"""A word written as a name: in Title case (also "McAnnie"), or in capitals; capitals of four
letters or fewer only with a cue (they are most often acronyms: "IW", "TPA", "WCAB")."""

_NOTES_TEXT = """
deceased decedent retired ret minor jr sr ii iii iv estate guardian conservator trustee widow
widower spouse dependent interpreter translator represented unrepresented self unknown none
confidential alternate pending inactive reopened stipulated stip awarded settled litigated lit
petitioner defendant plaintiff lien lienholder insured examiner supervisor foreman driver teacher
janitor cashier laborer cell mobile fax phone home work deaf hispanic latino latina english
spanish cantonese mandarin tagalog punjabi armenian farsi hmong russian korean vietnamese arabic
portuguese french italian japanese chinese hindi urdu khmer thai german polish
"""
_NOTES = frozenset(_NOTES_TEXT.split())
"""Words a person's field puts in brackets that are notes, not nicknames (statuses, roles, legal
words, occupations, contact labels, languages)."""


def _nicknames(value: str) -> list[str]:
    """The nicknames a person's field gives in brackets ("DOE, JANE (ANNIE)", "(aka: Red)"): one
    word after a cue, or one word written as a name (``_NAME_SHAPE``) that is no common, medical
    or note word ("(deceased)", "(Minor)", "(Spanish)"). Declared within the name, quoted, as
    the scrubber reads a nickname: a wrong one costs a word scrubbed in its own letter, and the
    audit never looks for it alone."""
    return [
        match["name"]
        for match in _BRACKETED.finditer(value)
        if match["cue"]
        or (
            _NAME_SHAPE.fullmatch(match["name"])
            and match["name"].lower() not in _NOTES
            and not is_kept_word(match["name"])
            and not is_vocabulary(match["name"])
        )
    ]


def _generic(part: str) -> bool:
    """A name made only of generic office and department words: it identifies no one."""
    words = [word.strip(".'’").lower() for word in part.split()]
    return all(word in _GENERIC_WORDS for word in words)


def _take_addresses(found: _Found, text: str) -> str:
    """Record the street and city lines inside ``text``; return the text without them."""
    for pattern in (_CITY_IN_TEXT, _STREET_IN_TEXT):
        for match in pattern.finditer(text):
            found.add("addresses", match[0])
        text = pattern.sub(" ", text)
    return text


def _add_party(found: _Found, text: str, *, organization: bool = False) -> None:
    """A person's or organisation's name; a LAST, FIRST name also as FIRST LAST.

    A surname alone is not added: common-word surnames would flag every page that uses the word.
    """
    text = text.strip(" ,;.") if not text.endswith(("Inc.", "Co.")) else text.strip(" ,;")
    if not text or _IGNORED.search(text) or _JOB.search(text):
        return
    if (_STREET_WORD.search(text) and _STREET.fullmatch(text)) or _CITY.fullmatch(text):
        found.add("addresses", text)
        return
    if organization or _ORG_WORD.search(text):
        found.add("organizations", text)
        return
    name = _TITLE.sub("", text)
    found.add("names", name)
    if _FIELD_LAST_FIRST.fullmatch(name):
        last, first = (piece.strip() for piece in name.split(",", 1))
        found.add("names", f"{first} {last}")


def _read_unlabelled(found: _Found, line: str, previous: str) -> None:
    """A line without labels: a salutation, an address line, a LAST, FIRST line, or prose to skip."""
    dear = _DEAR.match(line)
    if dear:
        _add_party(found, dear["name"])
    elif _CITY.fullmatch(line) or (_STREET.fullmatch(line) and _STREET_WORD.search(line)):
        found.add("addresses", line)
        if previous and not _is_address(previous) and not _labelled_fields(previous):
            _add_party(found, previous)
    elif _LAST_FIRST.fullmatch(line):
        _add_party(found, line)


def _is_address(line: str) -> bool:
    return bool(_CITY.fullmatch(line) or (_STREET.fullmatch(line) and _STREET_WORD.search(line)))


def _read_footer(found: _Found, footer: Sequence[str]) -> None:
    """Every party of a "cc:" list or signature: one per line or per ";", parts split at commas."""
    for line in footer:
        _read_patterns(found, line)
        entry = _CC.sub("", line)
        if re.fullmatch(r"sincerely,?", entry, re.I):
            continue
        for piece in _take_addresses(found, _strip_patterns(entry)).split(";"):
            for part in _parts(piece):
                if (
                    _PERSON.fullmatch(_TITLE.sub("", part))
                    or _ORG_WORD.search(part)
                    or _is_address(part)
                ):
                    _add_party(found, part)

"""Numbers: SSNs (real or sample-looking), case, claim, WCAB, NPI and other labelled numbers, ZIP codes,
and any other long number or code, replaced by their kind. Years, doses and codes on the must-keep
list never match: a long number has at least six digits and no decimal point."""

from __future__ import annotations

import re

SSN = "[ssn]"
CASE_NUMBER = "[case number]"
NUMBER = "[number]"
ZIP = "[zip]"

_SSN = re.compile(
    r"[\dXx*#](?<![\w-][\dXx*#])(?:\d{2}|[Xx*#]{2})(?P<sep>[\s.-]?)(?:\d{2}|[Xx*#]{2})(?P=sep)\d{4}(?![\w-])"
    r"|[\dXx*](?<![\w-][\dXx*])(?:\d{2}|[Xx*]{2})(?:\s*[.\-–/]\s*|\s)(?:\d{2}|[Xx*]{2})"
    r"(?:\s*[.\-–/]\s*|\s)(?:\d{4}|[Xx*]{4})(?![\w-])"
)
_SSN_LABELLED = re.compile(
    r"\b(?P<label>(?:(?:last\s+(?:4|four)\s+(?:digits\s+)?(?:of\s+)?(?:(?:the|his|her|their)\s+)?)?"
    r"(?:SSN|SS#|S\.S\.N\.|Soc\.?\s+Sec\.?|Social\s+Security|(?<=of\s)(?:his\s+|her\s+|the\s+)?social"
    r"|(?<=of\shis\s)social|(?<=of\sher\s)social|(?<=of\sthe\s)social)"
    r"(?:\s+(?:number|no\.?|#))?(?:\s+(?:ending|ends)\s+(?:in|with)|\s+(?:is|are|was|were))?)"
    r"\s*:?\s*#?\s*)"
    r"[\dXx*][\dXx*\s.-]{2,10}[\dXx*](?![\w-])",
    re.IGNORECASE,
)
_CASE = re.compile(r"\b(?:CM|IMR)\s?\d{2}[\s-]?\d{4,8}\b|\bADJ\s?\d{5,10}\b", re.IGNORECASE)
_STRONG_LABEL = (
    r"plate|license\s+plate|claim|wcab(?:\s+case)?|adj|npi|dea|mrn|medical\s+record|chart|account|acct\.?|policy"
    r"|member\s+id|subscriber(?:\s+id)?|license|licence|lic\.?|certificate|vin|serial"
    r"|employee(?:\s+id)?|badge|health\s+plan(?:\s+id)?|insurance\s+id"
    r"|cin|bic|mbi|dl|driver'?s?\s+licen[cs]e|medi-?cal(?:\s+id)?|medicare|medicaid|beneficiary"
    r"|ihss|edd|sdi|calworks|calfresh|client\s+index|member"
    r"|ur|imr|auth(?:orization)?|rx|prescription|confirmation|tracking|control|invoice|bill(?:ing)?"
)
_WEAK_LABEL = r"case|file|reference|ref\.?|device|vehicle|group|id|report"
_LABELLED = re.compile(
    rf"\b(?P<label>(?:(?P<strong>{_STRONG_LABEL})|{_WEAK_LABEL})"
    r"\s*(?:number|no\.?|num\.?|#)?\s*[:#]?\s*(?:(?:is|was)\s+)?)"
    r"(?P<value>(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{3,}"
    r"(?:\s\d{2,}(?=\s|$|[.,;)]))?)(?![\w/.]\w)",
    re.IGNORECASE,
)
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ"
    "|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC"
)
_ZIP = re.compile(
    rf"\b(?P<state>(?-i:{_STATES})|Calif\.?|California)(?P<gap>\.?,?\s+)"
    r"\d{5}(?:-\d{4})?(?![\w-])"
    r"|\b(?P<label>zip(?:\s*code)?\s*:?\s*)\d{5}(?:-\d{4})?\b"
    r"|(?<![\w-])\d{5}-\d{4}(?![\w-])",
    re.IGNORECASE,
)
_LONG = re.compile(
    r"(?<![\w.,/:;-])(?<!/[\w-])[A-Z]{0,6}[-#]?\d[\d\s-]{4,}\d[A-Z]{0,3}(?![\w/-]|[.,]\d)"
)
_CODE = re.compile(
    r"[A-Z0-9](?<![\w/.-][A-Z0-9])(?=[A-Z0-9-]*(?:\d[A-Z0-9-]*){3})(?=[A-Z0-9-]*(?:[A-Z][A-Z0-9-]*){2})"
    r"[A-Z0-9-]{5,}(?![\w-])"
)
"""A code of letters and digits (a licence plate, a member id): six characters or more, three digits."""
_LETTER_AND_DIGITS = re.compile(r"(?<![\w/.-])[A-Z]\d{6,8}(?![\w/-]|[.,]\d)")
"""A letter and seven digits or so: a California driver licence, a Medi-Cal or program number."""
_FIVE_DIGITS = re.compile(r"\d{5}")
_YEAR = re.compile(r"(?:19|20)\d\d")
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s?-\s?(?:19|20)\d\d")
_CODE_RANGE = re.compile(r"\d{5}\s?-\s?\d{5}")
_SHORT_RANGE = re.compile(r"\d{1,4}\s?-\s?\d{1,4}")
_SSN_HINT = re.compile(r"ssn|ss#|s\.s\.n|social|soc\.? sec")
_CASE_HINT = re.compile(r"cm|imr|adj")
_LABEL_HINT = re.compile(
    r"claim|wcab|adj|npi|dea|mrn|record|chart|acc|policy|member|subscriber|licen|lic\.|certif|vin"
    r"|serial|employee|badge|plan|insurance id|case|file|ref|device|plate|vehicle|group|id"
    r"|cin|bic|mbi|dl|medi|medicare|medicaid|beneficiary|ihss|edd|sdi|calworks|calfresh|client"
    r"|ur|imr|auth|rx|prescription|confirmation|tracking|control|invoice|bill|report"
)
MIN_LONG_DIGITS = 6
MIN_LABELLED_DIGITS = 4
MIN_WEAK_LABELLED_DIGITS = 5


def scrub_labelled_numbers(text: str) -> str:
    """SSNs, case numbers and numbers under an identifying label ("Claim #", "NPI") first."""
    lowered = text.lower()
    if _SSN_HINT.search(lowered):
        text = _SSN_LABELLED.sub(lambda m: m["label"] + SSN, text)
    text = _SSN.sub(SSN, text)
    if _CASE_HINT.search(lowered):
        text = _CASE.sub(CASE_NUMBER, text)
    if _LABEL_HINT.search(lowered):
        text = _LABELLED.sub(_labelled, text)
    return text


def scrub_numbers(text: str) -> str:
    """ZIP codes and any remaining long number or code."""
    if _FIVE_DIGITS.search(text):  # every ZIP code has five digits in a row
        text = _ZIP.sub(_zip, text)
    text = _LONG.sub(_long, text)
    text = _LETTER_AND_DIGITS.sub(NUMBER, text)
    return _CODE.sub(NUMBER, text)


def _labelled(match: re.Match[str]) -> str:
    value = match["value"]
    digits = sum(char.isdigit() for char in value)
    least = MIN_LABELLED_DIGITS if match["strong"] else MIN_WEAK_LABELLED_DIGITS
    if digits < least or _YEAR.fullmatch(value):
        return match[0]
    return match["label"] + NUMBER


def _zip(match: re.Match[str]) -> str:
    if match["state"]:
        return f"{match['state']}{match['gap']}{ZIP}"
    return f"{match['label'] or ''}{ZIP}"


def _long(match: re.Match[str]) -> str:
    text = match[0]
    digits = sum(char.isdigit() for char in text)
    if digits < MIN_LONG_DIGITS or _YEAR_RANGE.fullmatch(text) or _CODE_RANGE.fullmatch(text):
        return text
    if _SHORT_RANGE.fullmatch(text):
        return text  # "114-116": a page or visit range
    if " " in text.strip() and all(len(part) <= 4 for part in text.split()):
        return text  # "120 60 30": quantities in a list, not a number
    return NUMBER

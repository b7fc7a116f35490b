"""Contacts: e-mail addresses, URLs, IP addresses, and phone and fax numbers in any common format."""

from __future__ import annotations

import re

EMAIL = "[e-mail]"
URL = "[url]"
IP_ADDRESS = "[ip address]"
PHONE = "[phone]"

_EMAIL = re.compile(
    r"(?<![\w.+'-])[\w.+'-]++\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b"
)
_SPELLED_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+-]+\s*(?:\bat\b|\[at\]|\(at\))\s*[\w-]+"
    r"(?:\s*(?:\bdot\b|\[dot\]|\(dot\))\s*[\w-]+)+",
    re.IGNORECASE,
)
"""An e-mail address spelt out to fool harvesters: "jdoe at gmail dot com"."""
_URL = re.compile(
    r"(?<![\w.-])(?:https?://|ftp://|www\.)[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:]|"
    r"(?<![\w.-])(?:[a-z0-9-]++\.)+(?:com|org|net|gov|edu|info|biz|us|io|law|health|care)"
    r"(?:/[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:])?\b",
    re.IGNORECASE,
)
_TOP_LEVEL_DOMAIN = re.compile(
    r"\.(?:com|org|net|gov|edu|info|biz|us|io|law|health|care)", re.IGNORECASE
)
"""In every URL ``_URL`` finds that has no scheme and no "www."."""
_IPV4 = re.compile(
    r"\d(?<![\w.]\d)\d{0,2}\.(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){2}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?!\w|\.\d)"
)
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f]{1,4}(?![\w:])")
_PHONE = re.compile(
    r"(?=[\d(+])(?<![\w/.-])(?:\+?1[\s.-]?)?"
    r"(?:\(\s?\d{3}\s?\)\s*(?:[.\-–/]\s*)?|\d{3}(?:\s*[.\-–/]\s*|\s+)|\d{3}(?=\d{7}(?!\d)))"
    r"\d{3}(?:\s*[.\-–]\s*|\s?)\d{4}(?![\w/-]|\.\d)(?:\s*(?:x|ext\.?|extension)\s*\d{1,6})?",
    re.IGNORECASE,
)
_LABELLED_SHORT_PHONE = re.compile(
    r"(?=[ptfcm])\b(?P<label>(?:phone|telephone|tel|fax|facsimile|cell|mobile|pager)\.?\s*(?:number|no\.?|#)?"
    r"\s*:?\s*)\d{3}[\s.-]\d{4}\b",
    re.IGNORECASE,
)


_LOCAL_PHONE = re.compile(r"(?=[2-9])(?<![\w/.\-–#])[2-9]\d{2}-\d{4}(?![\w/\-–]|[.,]\d)")
"""A local number without an area code ("555-0142"): no page, dose or code range has this shape."""


def scrub_contacts(text: str) -> str:
    """E-mail addresses, URLs, IP addresses and phone/fax numbers replaced by their kind."""
    if "@" in text or "(at)" in text or "[at]" in text:
        text = _EMAIL.sub(EMAIL, text)
    if "dot" in text.lower():
        text = _SPELLED_EMAIL.sub(EMAIL, text)
    if "://" in text or "www." in text.lower() or _TOP_LEVEL_DOMAIN.search(text):
        text = _URL.sub(_url, text)
    text = _IPV4.sub(_ip, text)
    text = _IPV6.sub(IP_ADDRESS, text)
    text = _PHONE.sub(PHONE, text)
    text = _LABELLED_SHORT_PHONE.sub(lambda m: m["label"] + PHONE, text)
    return _LOCAL_PHONE.sub(PHONE, text)


_PUBLIC_TOP_LEVEL = frozenset({"gov", "edu"})
_PUBLIC_HOSTS = frozenset(
    {
        "drugs.com",
        "uptodate.com",
        "mdguidelines.com",
        "aetna.com",
        "odg-twc.com",
        "acoem.org",
        "guideline.gov",
        "medscape.com",
        "webmd.com",
        "mayoclinic.org",
        "aafp.org",
        "aaos.org",
        "cochrane.org",
        "who.int",
        "medicare.gov",
        "dir.ca.gov",
        "ncbi.nlm.nih.gov",
        "nih.gov",
        "ahrq.gov",
        "cdc.gov",
        "fda.gov",
        "guidelinecentral.com",
        "worklossdata.com",
        "mdcalc.com",
        "spine.org",
        "asipp.org",
        "painmed.org",
        "asahq.org",
        "ama-assn.org",
        "nice.org.uk",
        "cochranelibrary.com",
        "pubmed.gov",
        "doi.org",
        "jamanetwork.com",
        "nejm.org",
    }
)
"""Publishers of medical and guideline references: a URL on one of them (or a subdomain) is kept."""


def _is_public_host(host: str) -> bool:
    """A government or university host, or one of the reference publishers (linear in its length)."""
    labels = host.lower().split(":")[0].strip(".").split(".")
    if len(labels) >= 2 and labels[-1] in _PUBLIC_TOP_LEVEL:
        return True
    return any(".".join(labels[-n:]) in _PUBLIC_HOSTS for n in (2, 3, 4) if len(labels) >= n)


_CITATION_CUE = re.compile(
    r"citation|available\s+(?:at|from|online)|accessed|retrieved\s+from|reference[sd]?\b|source:",
    re.IGNORECASE,
)
_CUE_WINDOW = 200
"""How far before a URL a citation cue ("Non-MTUS Citation", "Available at") may stand."""


def _url(match: re.Match[str]) -> str:
    """Public references are kept: a government, university or guideline publisher's page, or any
    page a citation cites ("Non-MTUS Citation http://…", "Available at http://…")."""
    host = re.sub(r"^(?:https?|ftp)://", "", match[0], flags=re.IGNORECASE).split("/")[0]
    if _is_public_host(host):
        return match[0]
    before = match.string[max(0, match.start() - _CUE_WINDOW) : match.start()]
    before = before.rsplit("\n", 1)[-1]
    return match[0] if _CITATION_CUE.search(before) else URL


def _ip(match: re.Match[str]) -> str:
    """Four numbers with dots are an IP address unless they read as a section number (3.3.1.1)."""
    return IP_ADDRESS if any(len(part) > 1 for part in match[0].split(".")) else match[0]

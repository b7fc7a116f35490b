"""Names no record declared: titled and credentialed names, names in capitals, common given names,
names after a cue ("patient ...", "cc: ...", "Dear ...", "seen by ..."), and organisation names with a
legal or trade suffix. Candidate words on the must-keep vocabulary (medical terms, drugs, eponyms,
guideline names, states, months, specialties, sentence words) are never taken for a name.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from generator.scrub.keep import is_kept_word
from generator.scrub.lexicon import GIVEN_NAMES, SURNAMES

NAME = "[name]"
ORGANIZATION = "[organization]"

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zß-öø-ÿ"
_PART = rf"(?:Mc|Mac|O['’]|D['’]|De|Di|Du|La|Le|Van|Von)?[{_UP}][{_LOW}'’]++|[{_UP}][{_UP}'’]++"
_WORD_START = r"(?<![\w'’])"
"""Name patterns start where a word starts: tried inside a run of letters, each start would scan to
the run's end again (quadratic on a long run such as "O'O'O'…")."""
NAME_WORD = rf"(?:{_PART})(?:-(?:{_PART}))?"
_PARTICLE = r"(?:de la|de los|del|de|da|dos|das|van der|van den|van|von der|von|der|den|ter|du|di|le|la|bin|al)"
_INITIAL = rf"[{_UP}]\."
_SEQUENCE = rf"(?:{_INITIAL}\s?){{0,3}}{NAME_WORD}(?:\s+(?:{_INITIAL}|[{_UP}](?=\s)|{_PARTICLE}\s+{NAME_WORD}|{NAME_WORD})){{0,3}}"
_TITLED = re.compile(
    rf"(?=[DMPSNAJRLM])\b(?P<title>(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Sr|Sra)\.?|(?:DR|MR|MRS|MS)\.|Doctor|Nurse|Attorney|Judge"
    r"|Professor"
    r"|(?-i:NP|RN|LVN|PA-C|DPT|LCSW|MFT|NCM))"
    rf"(?P<gap>\s+)(?P<name>{_SEQUENCE})"
)
_DEGREE = (
    r"M\.?D\.?|D\.?O\.?|D\.?C\.?|PA-C|P\.?A\.?|N\.?P\.?|FNP(?:-[BC]{1,2})?|R\.?N\.?|L\.?V\.?N\.?"
    r"|Ph\.?D\.?|Psy\.?D\.?|Esq\.?|DPM|D\.?P\.?T\.?|P\.?T\.?|OTR(?:/L)?|LCSW|LMFT|MFT|L\.?Ac\.?"
    r"|DDS|DMD|MPH|MS|MA|FACS|FAAOS|QME|AME|CRNA|ANP|DNP|MSN|BSN|ATC|CCM|RNCM|CNS|OD"
)
# A look-ahead for the first character a match can start with lets the regex engine pass every
# other position at once (the patterns below start with a name word: a capital).
_CREDENTIALED = re.compile(
    rf"(?=[{_UP}]){_WORD_START}(?P<name>{_SEQUENCE})(?P<sep>,?\s+)(?P<degree>(?:{_DEGREE})(?:,?\s+(?:{_DEGREE}))*)"
    r"(?![\w-])"
)
_WEAK_DEGREES = frozenset({"PT", "P.T.", "MS", "MA", "PA", "P.A.", "DC", "D.C.", "NP", "OD", "DO"})
_LAST_FIRST = re.compile(
    rf"(?=[{_UP}]){_WORD_START}(?P<last>{NAME_WORD}(?:\s{NAME_WORD})?),\s?(?P<first>{NAME_WORD})"
    rf"(?:\s(?P<middle>[{_UP}]\.?|{NAME_WORD}))?(?![\w-])"
)
_GIVEN_FIRST = re.compile(
    rf"(?=[{_UP}]){_WORD_START}(?P<first>{NAME_WORD})(?:\s+(?:{_INITIAL}|[{_UP}](?=\s)))?\s+(?P<last>{NAME_WORD}(?:\s+{NAME_WORD})?)"
)
_CUE_WORDS = (
    r"injured\s+(?:patient|claimant|applicant|employee|worker)(?:'s\s+name)?",
    r"patient(?:'s\s+name)?", r"claimant(?:'s\s+name)?", r"applicant(?:'s\s+name)?",
    r"employee(?:'s\s+name)?", r"worker(?:'s\s+name)?", r"name", r"named", r"Dear", r"cc",
    r"c\.c\.", r"copy\s+to", r"Attn\.?", r"Attention", r"seen\s+by", r"evaluated\s+by",
    r"examined\s+by", r"treated\s+by", r"referred\s+by", r"signed\s+by", r"prepared\s+by",
    r"reviewed\s+by", r"dictated\s+by", r"authored\s+by", r"per\s+Dr", r"performed\s+by",
    r"his\s+(?:wife|son|daughter|brother|father|mother)",
    r"her\s+(?:husband|son|daughter|sister|father|mother)", r"case\s+manager", r"nurse\s+manager",
    r"adjuster", r"attorney", r"counsel", r"interpreter", r"supervisor", r"spouse", r"therapist",
    r"chiropractor", r"surgeon", r"physician", r"provider", r"examiner", r"coordinator",
    r"representative", r"specialist", r"investigator", r"foreman", r"manager", r"agent",
    r"goes\s+by", r"known\s+as", r"called", r"nicknamed", r"a\.?k\.?a\.?", r"evaluation\s+by",
    r"assessment\s+by", r"report\s+by", r"review\s+by", r"study\s+by", r"examination\s+by",
    r"exam\s+by", r"analysis\s+by", r"consultation\s+by",
)  # fmt: skip
"""Words before a name, each starting with a letter (matched in any case), tried in this order."""


def _by_first_letter(alternatives: tuple[str, ...]) -> str:
    """One alternation of ``alternatives``, grouped by their first letter ("p(?:atient|er\\s+Dr)"),
    each group in the given order: the same matches, but at a word only the alternatives that
    start with its letter are tried (twice as fast as trying all of them, on letters' text)."""
    groups: dict[str, list[str]] = {}
    for alternative in alternatives:
        groups.setdefault(alternative[0].lower(), []).append(alternative[1:])
    return "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items())


_CUE = _by_first_letter(_CUE_WORDS)
_CUED = re.compile(
    # Every cue starts with one of these letters: the look-ahead passes every other word at once.
    r"(?=[ipcawendsthrfgkmIPCAWENDSTHRFGKM])(?<![\w'’])"
    rf"(?P<cue>(?i:{_CUE}))(?P<gap>\s*[:,]?\s+\(?|\s*\()(?P<name>{_SEQUENCE})"
)
_RELATIVE = (
    r"(?:(?:step|grand|great-grand|god)?(?:son|daughter|child|mother|father|parent)s?"
    r"|(?:step)?(?:wife|husband|spouse|partner|brother|sister|sibling)s?|wives|children|kids|twins?"
    r"|niece|nephew|aunt|uncle|cousin|fianc[ée]e?|boyfriend|girlfriend|in-laws?)"
    r"(?:[\s-]in[\s-]law)?"
)
_RELATIVES = re.compile(
    r"(?=[sgdcmfpwhbktnaui])(?<![\w'’])"
    rf"(?P<cue>{_RELATIVE})(?P<gap>\s*,?\s+\(?|\s*\()"
    rf"(?P<names>{_WORD_START}{NAME_WORD}(?:\s+{NAME_WORD})?(?:\s*\(\d{{1,2}}\))?"
    rf"(?:(?:\s*,\s*|\s+and\s+|\s*&\s*){NAME_WORD}(?:\s+{NAME_WORD})?(?:\s*\(\d{{1,2}}\))?){{0,3}})"
)
"""A relative's name after the relation ("her son Tobiah", "his partner, Yolotzin", "her sons
Anatole and Benedikt"): capitalised words there are names whatever the lexicon says."""
_RELATIVE_HINT = re.compile(
    r"son|daughter|child|mother|father|parent|wife|wives|husband|spouse|partner|brother|sister"
    r"|sibling|kids|twin|niece|nephew|aunt|uncle|cousin|fianc|friend|in-law"
)
_QUOTED_NICKNAME = re.compile(
    rf"(?=[(\s])(?P<open>\(\s*[\"“']|(?<=[{_LOW}])\s+[\"“])(?P<name>[{_UP}][{_LOW}]{{1,15}})(?=[\"”'])"
)
"""A nickname in quotes after a name or opening a parenthesis: 'Seamus ("Shay")', '("Del" to her
coworkers)', 'Bartholomew "Bart" Lee'."""
_NICKNAME_CUES = frozenset({"by", "as", "called", "nicknamed", "aka", "a.k.a."})
_QUOTED_BETWEEN = re.compile(
    rf"(?=[{_UP}]){_WORD_START}(?P<first>{NAME_WORD})\s+[\"“](?P<nick>[{_UP}][{_LOW}]{{1,15}})[\"”]"
    rf"\s+(?P<last>{NAME_WORD})"
)
"""A nickname in quotes between a first name and a surname: 'Radoslaw "Radek" Ostrowski'."""
_CALLED = re.compile(
    rf"(?=[{_UP}]){_WORD_START}(?P<name>{NAME_WORD})(?=,?\s+as\s+(?:[\w']+\s+){{0,3}}calls?\s+(?:him|her|them)\b)"
)
"""A name the letter says others call someone: "Wojo, as the crew calls her"."""
_QUOTE_HINT = re.compile('["“]')
_ROLE_AFTER = re.compile(
    rf"(?=[{_UP}]){_WORD_START}(?P<name>{NAME_WORD}(?:\s+{NAME_WORD})?)(?P<role>\s*\((?i:the\s+)?"
    r"(?i:adjuster|claims\s+(?:adjuster|examiner)|examiner|(?:nurse\s+)?case\s+manager|NCM|attorney"
    r"|applicant'?s?\s+attorney|defense\s+attorney|interpreter|supervisor|employer|spouse|wife"
    r"|husband|son|daughter|mother|father|brother|sister|PTP|QME|AME|PA-C|NP|RN)\))"
)
"""A name followed by its role in parentheses: "Kathy Soto (adjuster)", "Ray (NCM)"."""
_ROLE_HINT = re.compile(r"\(\s*(?:the\s+)?[A-Za-z]")
_POSSESSIVE = re.compile(r"['’]s?$")
_BEFORE_AGE = re.compile(
    rf"(?=[{_UP}]){_WORD_START}(?P<name>{NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{NAME_WORD}){{0,3}})"
    r"(?=,?\s+(?:is\s+|was\s+)?an?\s+\d{1,3}[\s-]*(?:years?|yrs?|y/?o)\b)"
)
"""A name right before the person's age: "Teo Quispe-Alvarenga, a 37-year-old", "Jane Roe is a 45
year old"."""
_AGE_HINT = re.compile(r"\d[\s-]*(?:years?|yrs?|y/?o)\b")
_SAINT_PLACE = re.compile(
    rf"(?=S)\b(?:St\.?|Saint)\s+{NAME_WORD}(?:\s+(?:of\s+)?{NAME_WORD}){{0,3}}"
    r"(?=['’]?s?\s+(?i:church|parish|cathedral|mission|school|academy|hospital|medical|health|clinic"
    r"|catholic|episcopal|lutheran|methodist|elementary|high\s+school))"
)
"""A saint's name before a church, a school or a hospital: "St. Anthony of Padua church"."""
_NAME_RUN = re.compile(r"\[name\](?:\s+\[name\])+")
_TITLED_INITIAL = re.compile(
    r"\b(?P<title>(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+)[A-Z]\.?(?:\s?-\s?[A-Z]\.?)*(?![\w.-])(?!\s+[A-Z][a-z])"
)
"""A title before an initial alone ("Ms. O.", "Mr. S. returned", "Ms. A.-B."): it stands for a name."""
_ORG_SUFFIX = (
    r"Inc\.?|Incorporated|LLC|L\.L\.C\.|LLP|LP|Ltd\.?|Corp\.?|Corporation|Co\.|Company|PC|P\.C\."
    r"|APC|A\.P\.C\.|Insurance(?:\s+(?:Company|Services|Group|Exchange))?|Law\s+(?:Group|Offices?"
    r"|Firm|Corporation|Center)|Attorneys(?:\s+at\s+Law)?|Associates|Partners|Group|Clinic"
    r"|Hospital|Services|Administrators|Mutual|Logistics|Foods|Farms|Construction|Industries"
    r"|Enterprises|Holdings|Transport|Trucking|Manufacturing|Markets?|Stores?|Restaurants?"
    r"|Center|Centre|Institute|Dairy|Packing|Staffing|Solutions|(?:Unified\s+)?School\s+District"
    r"|Medical\s+(?:Group|Center|Clinic|Associates)|Medical|Healthcare|Health\s+System|Health"
    r"|Pain\s+(?:&|and)\s+Spine|Spine\s+(?:&|and)\s+(?:Pain|Wellness|Sports)|Wellness"
    r"|Surgery\s+Center|Urgent\s+Care|Occupational\s+(?:Health|Medicine|Medical)"
    r"|Risk\s+Management|Claims\s+Services"
)
_LEGAL = r"Inc\.?|LLC|L\.L\.C\.|LLP|LP|Ltd\.?|Corp\.?|PC|P\.C\.|APC|A\.P\.C\."
_ORGANIZATION = re.compile(
    rf"(?=[{_UP}&aot]){_WORD_START}(?P<name>(?:(?:{NAME_WORD}|&|and|of|the)\s+){{1,5}})(?P<suffix>(?:{_ORG_SUFFIX}))(?:,?\s+(?:{_LEGAL}))?(?![\w])"
    rf"|(?=[{_UP}]){_WORD_START}(?P<left>{NAME_WORD})\s*&\s*(?P<right>{NAME_WORD})"
)
_ORG_HINT = re.compile(rf"(?=[A-Z])(?:{_ORG_SUFFIX})")  # every suffix starts with a capital
_TITLE_HINT = re.compile(
    r"(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof|Sr|Sra|Doctor|Nurse|Attorney|Judge|NP|RN|LVN|PA-C|DPT|LCSW|MFT|NCM"
    r"|DR|MR|MRS|MS)[.\s]"
)
_DEGREE_HINT = re.compile(rf"(?:{_DEGREE})(?![\w-])")
_CUE_HINT = re.compile(
    r"patient|claimant|applicant|employee|worker|name|dear|cc|c\.c\.|copy|att|by|manager|adjuster"
    r"|attorney|counsel|interpreter|supervisor|spouse|therapist|chiropractor|surgeon|physician"
    r"|provider|wife|husband|son|daughter|brother|sister|father|mother|per dr|examiner|coordinator"
    r"|representative|specialist|investigator|foreman|agent|goes by|known as|called|nicknamed|aka"
    r"|a\.k\.a"
)
_CONNECTORS = frozenset({"&", "and", "of", "the"})


def harvest_names(text: str) -> set[str]:
    """The names the person detectors would replace in ``text`` (to find them again elsewhere)."""
    found: set[str] = set()
    for hint, pattern, decide in _PERSON_RULES:
        if hint is None or hint.search(text if hint is not _CUE_HINT else text.lower()):
            for match in pattern.finditer(text):
                replaced = decide(match)
                if NAME in replaced:
                    kept = set(replaced.split())
                    words = [w.strip(",.") for w in match[0].split() if w not in kept]
                    found.update(w for w in words if len(w) > 2 and not is_kept_word(w))
    return found


def scrub_names(text: str) -> str:
    """Every undeclared name the detectors recognise, replaced by ``[name]`` or ``[organization]``."""
    if "&" in text or _ORG_HINT.search(text):
        text = _ORGANIZATION.sub(_organization, text)
    if _TITLE_HINT.search(text):
        text = _TITLED.sub(_titled, text)
    if _DEGREE_HINT.search(text):
        text = _CREDENTIALED.sub(_credentialed, text)
    if "," in text:
        text = _LAST_FIRST.sub(_last_first, text)
    lowered = text.lower()
    if _CUE_HINT.search(lowered):
        text = _CUED.sub(_cued, text)
    if _RELATIVE_HINT.search(lowered):
        text = _RELATIVES.sub(_relatives, text)
    if _TITLE_HINT.search(text):
        text = _TITLED_INITIAL.sub(lambda m: m["title"] + NAME, text)
    if _QUOTE_HINT.search(text):
        text = _QUOTED_BETWEEN.sub(_quoted_between, text)
        text = _QUOTED_NICKNAME.sub(_nickname, text)
    if " call" in text:
        text = _CALLED.sub(lambda m: m[0] if is_kept_word(m["name"]) else NAME, text)
    if _ROLE_HINT.search(text):
        text = _ROLE_AFTER.sub(_role_after, text)
    if _AGE_HINT.search(text):
        text = _BEFORE_AGE.sub(_before_age, text)
    if "St" in text:
        text = _SAINT_PLACE.sub(ORGANIZATION, text)
    return _GIVEN_FIRST.sub(_given_first, text)


def _role_after(match: re.Match[str]) -> str:
    words = _name_words(match["name"])
    if len(words) != len(match["name"].split()):
        return match[0]  # "Utilization Review (UR)", "Physical Therapy (PT)": not a name
    return NAME + match["role"]


def _before_age(match: re.Match[str]) -> str:
    """The name's words from the first that is not a kept word ("The patient Jane Roe" keeps
    "The patient"); nothing if every word is kept ("The Injured Worker is a 45 year old")."""
    words = match["name"].split()
    start = 0
    while start < len(words) and is_kept_word(words[start]):
        start += 1
    if start == len(words) or any(is_kept_word(word) for word in words[start:]):
        return match[0]
    kept = " ".join(words[:start])
    return f"{kept} {NAME}" if kept else NAME


def _quoted_between(match: re.Match[str]) -> str:
    if any(is_kept_word(match[group]) for group in ("first", "nick", "last")):
        return match[0]
    return NAME


def _nickname(match: re.Match[str]) -> str:
    if is_kept_word(match["name"]):
        return match[0]
    if not match["open"].lstrip().startswith("("):
        before = match.string[: match.start()].split()
        if not (before and (before[-1][:1].isupper() or before[-1].lower() in _NICKNAME_CUES)):
            return match[0]  # 'felt "Better"': a word quoted, not a name's nickname
    return match["open"] + NAME


def _relatives(match: re.Match[str]) -> str:
    """Each capitalised word after the relation that is not on the must-keep vocabulary."""
    names = re.sub(
        rf"{NAME_WORD}",
        lambda word: word[0] if is_kept_word(word[0]) else NAME,
        match["names"],
    )
    if NAME not in names:
        return match[0]
    return f"{match['cue']}{match['gap']}{_NAME_RUN.sub(NAME, names)}"


def _name_words(sequence: str) -> list[str]:
    """The words of a candidate name up to the first word on the must-keep vocabulary."""
    words: list[str] = []
    for word in sequence.split():
        if is_kept_word(word) and not (len(word) == 2 and word.endswith(".")):
            break
        words.append(word)
    return words


def _replace_prefix(sequence: str, words: list[str]) -> str:
    """``sequence`` with its first ``len(words)`` words replaced by ``[name]`` (a possessive stays:
    "Dr. Xu's report" reads "Dr. [name]'s report")."""
    if not words:
        return sequence
    taken = re.match(r"\s*" + r"\s+".join(re.escape(word) for word in words), sequence)
    if not taken:
        return sequence
    possessive = _POSSESSIVE.search(words[-1])
    return NAME + (possessive[0] if possessive else "") + sequence[taken.end() :]


def _titled(match: re.Match[str]) -> str:
    words = _name_words(match["name"])
    if not words:
        return match[0]
    return f"{match['title']}{match['gap']}{_replace_prefix(match['name'], words)}"


def _credentialed(match: re.Match[str]) -> str:
    words = match["name"].split()
    while words and is_kept_word(words[0]):
        words.pop(0)
    if not words or any(is_kept_word(word) for word in words):
        return match[0]
    degree = match["degree"].split(",")[0].split()[0]
    if degree in _WEAK_DEGREES and len(words) < 2 and "," not in match["sep"]:
        return match[0]
    prefix = match["name"][: len(match["name"]) - len(" ".join(words))]
    if " ".join(words) not in match["name"]:
        return match[0]
    return f"{prefix}{NAME}{match['sep']}{match['degree']}"


def _last_first(match: re.Match[str]) -> str:
    last, first = match["last"], match["first"]
    if any(is_kept_word(word) for word in (*last.split(), first)):
        return match[0]
    known = first.lower() in GIVEN_NAMES or last.split()[-1].lower() in SURNAMES
    capitals = (
        last.isupper()
        and first.isupper()
        and min(len(last), len(first)) > 3
        and all(re.search("[AEIOUYÀ-Ý]", word) for word in (last, first))
    )
    if not (capitals or (known and first.lower() in GIVEN_NAMES)):
        return match[0]
    middle = match["middle"] or ""
    if middle and len(middle.rstrip(".")) > 1 and is_kept_word(middle):
        return f"{NAME} {middle}"
    return NAME


def _cued(match: re.Match[str]) -> str:
    words = _name_words(match["name"])
    if not words or (len(words) == 1 and not _known_single(words[0])):
        return match[0]
    return f"{match['cue']}{match['gap']}{_replace_prefix(match['name'], words)}"


def _known_single(word: str) -> bool:
    """One word after a cue is a name if it is a known given name or surname, or in capitals."""
    bare = word.strip(".,;:'’").removesuffix("'s").lower()
    return bare in GIVEN_NAMES or bare in SURNAMES or (word.isupper() and len(word) > 3)


def _given_first(match: re.Match[str]) -> str:
    first = match["first"]
    if first.lower() not in GIVEN_NAMES or is_kept_word(first):
        return match[0]
    last_words = match["last"].split()
    if is_kept_word(last_words[0]):
        return match[0]
    if len(last_words) > 1 and is_kept_word(last_words[1]):
        return f"{NAME} {last_words[1]}"
    return NAME


def _organization(match: re.Match[str]) -> str:
    if match["left"]:
        left, right = match["left"], match["right"]
        if is_kept_word(left) or is_kept_word(right):
            return match[0]
        return ORGANIZATION
    words = match["name"].split()
    while words and (is_kept_word(words[0]) or words[0] in _CONNECTORS):
        words.pop(0)
    if "of" in words[:-1] and words[-1] not in _CONNECTORS:
        # "Fontanesi of Solano Pain & Spine": the organisation is what follows the last "of"
        words = words[len(words) - words[::-1].index("of") :]
    distinctive = [w for w in words if w not in _CONNECTORS and not is_kept_word(w)]
    if not distinctive:
        return match[0]
    prefix = match["name"][: len(match["name"]) - len(" ".join(words)) - 1].rstrip()
    return f"{prefix}{' ' if prefix else ''}{ORGANIZATION}"


_PERSON_RULES: tuple[
    tuple[re.Pattern[str] | None, re.Pattern[str], Callable[[re.Match[str]], str]], ...
] = (
    (_TITLE_HINT, _TITLED, _titled),
    (_DEGREE_HINT, _CREDENTIALED, _credentialed),
    (None, _LAST_FIRST, _last_first),
    (_CUE_HINT, _CUED, _cued),
    (None, _GIVEN_FIRST, _given_first),
    (_RELATIVE_HINT, _RELATIVES, _relatives),
    (_QUOTE_HINT, _QUOTED_BETWEEN, _quoted_between),
    (_QUOTE_HINT, _QUOTED_NICKNAME, _nickname),
    (_ROLE_HINT, _ROLE_AFTER, _role_after),
    (_AGE_HINT, _BEFORE_AGE, _before_age),
)

"""Declared identifiers: what a record's ``private`` section and header name, found again in any text in
every variant ("LAST, First", "First M. Last", "Ms. Last", first name alone, initials, any case, with
or without accents, hyphens or apostrophes; phone digits in any grouping; numbers with or without
separators). One combined pattern per record, built once; matched on accent-folded text.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from generator.scrub.keep import KEEP_WORDS, is_kept_word

_TOKEN = re.compile(r"[^\W_]+|&")
_JOIN = r"[\W_]{0,3}"
_TITLE = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Doctor)\.?\s+", re.IGNORECASE)
_CREDENTIALS = re.compile(
    r",?\s+(?:M\.?D|D\.?O|D\.?C|PA-C|N\.?P|R\.?N|Ph\.?D|Psy\.?D|Esq|DPM|FNP|LCSW|QME|AME)\.?"
    r"(?=$|[\s,])",
    re.IGNORECASE,
)
_ROLE = re.compile(r"\([^)]*\)")
_LEGAL = re.compile(
    r"[,\s]+(?:Inc|Incorporated|LLC|L\.L\.C|LLP|LP|Ltd|Corp|Corporation|Co|Company|PC|P\.C|APC)\.?$",
    re.IGNORECASE,
)
_ZIP = re.compile(r"\b\d{5}(?:-\d{4})?\b")
_STREET_LINE = re.compile(r"\d.*[A-Za-z]{3}|[A-Za-z]{3}.*\d{2}")
"""A street line or a box: a number and a word (a unit alone, "#3" or "Apt 4", is not matched)."""
_STREET_SYNONYMS = (
    ("street", "st"),
    ("avenue", "ave", "av"),
    ("road", "rd"),
    ("boulevard", "blvd"),
    ("drive", "dr"),
    ("lane", "ln"),
    ("court", "ct"),
    ("place", "pl"),
    ("parkway", "pkwy"),
    ("highway", "hwy"),
    ("suite", "ste"),
    ("apartment", "apt"),
    ("north", "n"),
    ("south", "s"),
    ("east", "e"),
    ("west", "w"),
)
_SYNONYM_OF = {word: group for group in _STREET_SYNONYMS for word in group}
_COMMON_NAME_WORDS = (
    "will mark grace hope faith joy june may april rose long young white brown green black king"
    " bill art guy jack frank gene ray dawn summer chase price rich hall wood hill lane park day"
    " house page bell cross little love rice hunt walker baker cook fisher miller mason turner"
    " parker porter hunter dean penny sky star storm earl major rusty sunny golden strong"
)
_NAME_WORDS = frozenset(_COMMON_NAME_WORDS.split())
MIN_TOKEN = 3
_QUOTED = re.compile(r"\"([^\"]+)\"|“([^”]+)”|\(([A-Z][a-z]+)\)")
_NICKNAMES = {
    "robert": ("bob", "rob", "bobby"),
    "william": ("bill", "will", "billy"),
    "richard": ("rick", "dick"),
    "margaret": ("peggy", "maggie", "meg"),
    "elizabeth": ("liz", "beth", "betty"),
    "jose": ("pepe",),
    "francisco": ("paco", "pancho"),
    "guadalupe": ("lupe",),
    "ignacio": ("nacho",),
    "enrique": ("kike",),
    "jesus": ("chuy",),
    "alejandro": ("alex",),
    "katherine": ("kate", "kathy"),
    "catherine": ("cathy", "kate"),
    "jennifer": ("jen", "jenny"),
    "michael": ("mike",),
    "christopher": ("chris",),
    "anthony": ("tony",),
    "joseph": ("joe",),
    "thomas": ("tom", "tommy"),
    "james": ("jim", "jimmy"),
    "charles": ("chuck", "charlie"),
    "edward": ("ed", "eddie", "ted"),
    "patricia": ("pat", "patty"),
    "rebecca": ("becky",),
    "deborah": ("debbie", "deb"),
    "susan": ("sue",),
    "theodore": ("ted", "teddy"),
    "bartholomew": ("bart",),
    "gwendolyn": ("gwen",),
    "alexander": ("alex",),
    "samuel": ("sam",),
    "alberto": ("beto",),
    "roberto": ("beto",),
    "guillermo": ("memo",),
    "antonio": ("tono", "tony"),
    "salvador": ("chava",),
    "eduardo": ("lalo",),
    "leticia": ("lety",),
    "consuelo": ("chelo",),
    "concepcion": ("concha", "conchita"),
    "rosario": ("chayo",),
    "graciela": ("chela",),
    "refugio": ("cuca", "cuco"),
    "dolores": ("lola",),
    "mercedes": ("meche",),
    "ramon": ("moncho",),
    "rodolfo": ("rudy", "fito"),
    "adolfo": ("fito",),
    "gustavo": ("tavo",),
    "rigoberto": ("rigo",),
    "heriberto": ("beto",),
    "gilberto": ("beto",),
    "humberto": ("beto",),
    "isabel": ("chabela",),
    "sandra": ("sandy",),
    "david": ("dave",),
    "daniel": ("dan", "danny"),
    "donald": ("don",),
    "ronald": ("ron",),
    "kenneth": ("ken",),
    "steven": ("steve",),
    "stephen": ("steve",),
    "timothy": ("tim",),
    "gregory": ("greg",),
    "jeffrey": ("jeff",),
    "matthew": ("matt",),
    "nicholas": ("nick",),
    "benjamin": ("ben",),
    "douglas": ("doug",),
    "lawrence": ("larry",),
    "gerald": ("jerry",),
    "raymond": ("ray",),
    "frederick": ("fred",),
    "victoria": ("vicky",),
    "christine": ("chris",),
    "christina": ("chris", "tina"),
    "jacqueline": ("jackie",),
    "cynthia": ("cindy",),
    "pamela": ("pam",),
    "kimberly": ("kim",),
    "jessica": ("jess",),
    "nathaniel": ("nate",),
    "zachary": ("zach",),
    "abigail": ("abby",),
}
"""The usual nicknames of common first names (a name's first letters are tried as well)."""
_NOT_SHORT_FORMS_TEXT = (
    "car cart can man art don will mark bar her his rose bill ray sale term mel tim even ever eve"
    " lead lean made mall hall ken lord more min mile mill norm part race robe rod sand star step"
    " stem sum tan ter tin tom tray van way west wild win yes the and ann per pen col con core des"
    " dev dial mic nat pat pet san sen son sta ste sub sup val ver vin war wan cole dent mass lab"
    " labs lin lou may all anti alb alt chr ale one two three four five six seven eight nine ten"
    " twel elev ace pre pos neg"
)
_NOT_SHORT_FORMS = frozenset(_NOT_SHORT_FORMS_TEXT.split())
"""First letters of a first name that are also words a sentence may start with ("Car" of Carlos)."""
_ABBREVIATIONS = {
    "ca": "California",
    "calif": "California",
    "dept": "Department",
    "dep't": "Department",
    "corp": "Corporation",
    "co": "Company",
    "univ": "University",
    "assn": "Association",
    "natl": "National",
    "intl": "International",
    "svcs": "Services",
    "mfg": "Manufacturing",
    "hosp": "Hospital",
    "med": "Medical",
    "ctr": "Center",
    "dist": "District",
}
_PLACES = frozenset({"california", "state", "county", "city", "of", "the", "ca"})
_COMMON_ORG_WORDS_TEXT = (
    "central western eastern northern southern pacific golden united american national premier"
    " valley coastal general global first superior quality advanced modern elite prime total allied"
    " royal sierra sunrise summit pinnacle liberty heritage regional county state city community"
    " family valley mission"
)
_COMMON_ORG_WORDS = frozenset(_COMMON_ORG_WORDS_TEXT.split())
"""Words that begin many organisations' names: never one's short form alone."""
_CONNECTOR_WORDS = frozenset({"of", "the", "and", "&", "for", "at", "in"})
_ORG_GENERIC_TEXT = (
    "packing company corporation cooperative dairy farms farm group district services inc llc"
    " industries enterprises holdings transport trucking manufacturing market markets stores"
    " construction logistics foods unified school department hospital clinic center associates"
    " partners insurance mutual fund authority agency wholesale retail distribution distributors"
    " supply supplies systems technologies technology hospitals contractors growers packers produce"
    " nursery landscaping restaurant restaurants hotel hotels resort casino trucking freight"
)
_ORG_GENERIC = frozenset(_ORG_GENERIC_TEXT.split())


@dataclass(frozen=True)
class Variant:
    """One way an identifier can be written, the replacement for it, and whether case matters."""

    pattern: str
    replacement: str
    cased: bool = False


_NOT_DIGIT = re.compile(r"\D+")


@dataclass(frozen=True)
class DeclaredPattern:
    """The combined patterns of one record's declared identifiers, compiled on first need.

    ``digits``, when set, says every declared identifier is a number whose matches contain these
    digits with only punctuation between them: a text whose digits do not contain one of them
    cannot match, and is passed over without compiling anything (most records declare only their
    case number, which their text seldom repeats).
    """

    folded_source: str | None
    cased_source: str | None
    replacements: tuple[str, ...]
    digits: tuple[str, ...] | None = None

    def cannot_match(self, text: str) -> bool:
        """True when no declared identifier can be in ``text`` (nothing declared, or the digits
        of every declared number are missing from it)."""
        if self.folded_source is None and self.cased_source is None:
            return True
        if self.digits is None:
            return False
        projection = _NOT_DIGIT.sub("", text)
        return not any(digits in projection for digits in self.digits)

    def scrub(self, text: str) -> str:
        """Every declared identifier in ``text`` replaced by its kind."""
        if self.cannot_match(text):
            return text
        if self.folded_source is not None:
            folded = _compiled(self.folded_source, re.IGNORECASE)
            text = _splice(text, folded.finditer(fold(text)), self.replacements)
        if self.cased_source is not None:
            text = _splice(text, _compiled(self.cased_source, 0).finditer(text), self.replacements)
        return text


@functools.lru_cache(maxsize=64)
def _compiled(source: str, flags: int) -> re.Pattern[str]:
    return re.compile(source, flags)


def build_declared(
    variants: Iterable[Variant], digits: tuple[str, ...] | None = None
) -> DeclaredPattern:
    """One alternation per case mode, longest variants first; group ``gN`` replaces with ``N``."""
    unique = {(v.pattern, v.cased): v for v in variants}
    ordered = sorted(unique.values(), key=lambda v: len(v.pattern), reverse=True)
    replacements = tuple(dict.fromkeys(v.replacement for v in ordered))
    index = {replacement: n for n, replacement in enumerate(replacements)}
    return DeclaredPattern(
        folded_source=_combined([v for v in ordered if not v.cased], index),
        cased_source=_combined([v for v in ordered if v.cased], index),
        replacements=replacements,
        digits=digits if ordered else None,
    )


def _combined(variants: list[Variant], index: dict[str, int]) -> str | None:
    if not variants:
        return None
    groups: dict[int, list[str]] = {}
    for variant in variants:
        groups.setdefault(index[variant.replacement], []).append(variant.pattern)
    # Longest first across kinds: a group holds one kind, its alternatives longest first.
    parts = [f"(?P<g{n}>{'|'.join(p)})" for n, p in sorted(groups.items(), key=_longest)]
    return rf"(?<![^\W_])(?:{'|'.join(parts)})(?![^\W_])"


def _longest(item: tuple[int, list[str]]) -> int:
    return -max(len(pattern) for pattern in item[1])


def _splice(text: str, matches: Iterable[re.Match[str]], replacements: tuple[str, ...]) -> str:
    pieces: list[str] = []
    last = 0
    for match in matches:
        group = match.lastgroup or "g0"
        pieces.append(text[last : match.start()])
        pieces.append(replacements[int(group[1:])])
        last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFKD", char)[:1]
    return base if base and len(base.encode("utf-16-le")) == 2 else char


def fold(text: str) -> str:
    """``text`` without accents, one character for one (so positions are kept)."""
    if text.isascii():
        return text
    return "".join(_fold_char(char) for char in text)


def _flex(text: str) -> str:
    """A pattern for ``text``'s words with any short run of spaces or punctuation between them."""
    tokens = _TOKEN.findall(fold(text).lower())
    return _JOIN.join(_token_pattern(token) for token in tokens)


def _token_pattern(word: str) -> str:
    if word == "&":
        return "(?:&|and)"
    group = _SYNONYM_OF.get(word)
    return f"(?:{'|'.join(group)})" if group else re.escape(word)


def name_variants(raw: str, replacement: str) -> list[Variant]:
    """A person's name in every variant: full, reordered, with initials, each part alone, and the
    nicknames it gives ("Bartholomew "Bart" Lee", a first name's short form: "Del" for Delphine)."""
    nicknames = [n for quoted in _QUOTED.findall(raw) for n in quoted if n]
    name = _CREDENTIALS.sub("", _TITLE.sub("", _ROLE.sub(" ", _QUOTED.sub(" ", raw)))).strip(" ,;.")
    variants = _name_forms(name, replacement)
    first = _first_name(name)
    for nickname in (*nicknames, *_short_forms(first)):
        if _usable(nickname) and not is_kept_word(nickname):
            variants.append(_cased_word(nickname, replacement))
    return variants


def _first_name(name: str) -> str:
    if "," in name:
        given = name.partition(",")[2].split()
        return given[0] if given else ""
    words = name.split()
    return words[0] if len(words) > 1 else ""


def _short_forms(first: str) -> list[str]:
    """Short forms of a first name a letter may use: its first three and four letters ("Del",
    "Gwen", "Bart", "Teo") and the usual nicknames of common names ("Bob" for Robert)."""
    if len(first) < 5 or not first.isalpha():
        return []
    prefixes = [p for p in (first[:3], first[:4]) if p.lower() not in _NOT_SHORT_FORMS]
    forms = [*prefixes, *_NICKNAMES.get(fold(first).lower(), ())]
    return list(dict.fromkeys(form[:1].upper() + form[1:].lower() for form in forms))


def _cased_word(word: str, replacement: str) -> Variant:
    """A word as a name only in Title case or capitals (a nickname may be a word in lower case)."""
    folded = fold(word)
    title = re.escape(folded[:1].upper() + folded[1:].lower())
    return Variant(f"(?:{title}|{re.escape(folded.upper())})", replacement, cased=True)


def _name_forms(name: str, replacement: str) -> list[Variant]:
    """The name full, reordered, by initials and by each part."""
    if "," in name:
        last, _, given_text = name.partition(",")
        given = given_text.split()
    else:
        *given, last = name.split() or [""]
    last = last.strip()
    first = given[0] if given else ""
    forms = {name, f"{first} {last}", f"{last} {first}", f"{last}, {' '.join(given)}"}
    if len(given) > 1:
        forms.add(f"{first} {given[1][0]}. {last}")
    variants = [Variant(_flex(form), replacement) for form in forms if len(_flex(form)) > 0]
    variants += _initials(first, given, last, replacement)
    parts = {first, last, *re.split(r"[-\s]", last), *given[1:]}
    long_name = len(name.split()) >= 3  # then a common or medical word in it is no name alone
    variants += [
        _single(part, replacement)
        for part in parts
        if _usable(part) and not (long_name and is_kept_word(part))
    ]
    return [v for v in variants if v.pattern]


def _initials(first: str, given: list[str], last: str, replacement: str) -> list[Variant]:
    """Initials with and without dots, with or without the middle names, a hyphenated surname by
    one letter or by each of its parts ("D.O.R.", "DAO", "G.M.D."), and the surname's parts alone
    ("M-D" for MacAllister-DuBois)."""
    if not (first and last and first[0].isalpha() and last[0].isalpha()):
        return []
    middles = [g[0] for g in given[1:] if g[:1].isupper()]  # not "de", "la", "van"
    surname_parts = [part[0] for part in re.split(r"[-\s]", last) if part[:1].isupper()]
    first_parts = [part[0] for part in first.split("-") if part[:1].isalpha()]
    found: list[Variant] = []
    for given_letters in {tuple(first_parts), (first[0],)}:
        for middle in {tuple(middles), ()}:
            for surname in {tuple(surname_parts), (last[0],)}:
                found += _initials_of([*given_letters, *middle, *surname], replacement)
    if len(surname_parts) > 1:
        hyphenated = "-".join(fold(c).upper() for c in surname_parts)
        found.append(Variant(re.escape(hyphenated), replacement, cased=True))
        # "R.A.-P.", "S. O'S.-K.": the first initial, then the surname's parts dotted and hyphenated
        parts = [_surname_initial(part) for part in last.split("-") if part[:1].isupper()]
        dotted = r"\.\s?-\s?".join(parts) + r"\."
        found.append(
            Variant(rf"{re.escape(fold(first[0]).upper())}\.\s?{dotted}", replacement, cased=True)
        )
    return found


def _surname_initial(part: str) -> str:
    """A surname part's initial as a pattern: "O'S" for O'Shaughnessy (or "O"), "K" for Kline."""
    folded = fold(part)
    if re.match(r"O['’][A-Z]", folded):
        return f"O['’]?{re.escape(folded[2])}?"
    return re.escape(folded[0].upper())


def _initials_of(letters: list[str], replacement: str) -> list[Variant]:
    dotted = r"\.\s?".join(re.escape(fold(c).upper()) for c in letters) + r"\."
    bare = "".join(fold(c).upper() for c in letters)
    found = [Variant(dotted, replacement, cased=True)]
    if len(bare) >= MIN_TOKEN and bare.lower() not in KEEP_WORDS:
        found.append(Variant(re.escape(bare), replacement, cased=True))
    return found


def _usable(part: str) -> bool:
    return len(part.strip(".'’")) >= MIN_TOKEN


def _single(word: str, replacement: str) -> Variant:
    """A lone word: any case, unless it is also a common or medical word (then Title or UPPER)."""
    folded = fold(word)
    if is_kept_word(folded) or folded.lower() in _NAME_WORDS:
        title = re.escape(folded[:1].upper() + folded[1:].lower())
        return Variant(f"(?:{title}|{re.escape(folded.upper())})", replacement, cased=True)
    return Variant(_flex(word), replacement)


def organization_variants(raw: str, replacement: str) -> list[Variant]:
    """An organisation's name as written, without its legal suffix or a leading "The", with its
    abbreviations written out ("CA Dept. of" -> "California Department of"), without the place
    before it ("Department of Corrections"), by its leading distinctive words ("Golden Poppy" of
    "Golden Poppy Packing") and by its acronyms ("SVUSD", "PCG&E", "CDCR" for a declared "CA Dept.
    of Corrections": an acronym that starts with the name's own and adds at most two letters)."""
    bare = re.sub(r"^the\s+", "", _LEGAL.sub("", raw), flags=re.I).strip(" ,")
    if not any(_distinctive(word) for word in bare.split()):
        # "Inc.", "Medical Group": nothing in it names one organisation; a longer generic name
        # ("State Compensation Insurance Fund") only as written.
        forms = {raw, bare} if len(bare.split()) > 2 else set()
        return [Variant(_flex(form), replacement) for form in forms]
    expanded = " ".join(_ABBREVIATIONS.get(w.lower().rstrip("."), w) for w in bare.split())
    words = expanded.split()
    forms = {raw, _LEGAL.sub("", raw), bare, expanded}
    while words and words[0].lower() in _PLACES:
        words = words[1:]
    if len(words) >= 2 and words[0].lower() not in _CONNECTOR_WORDS:
        forms.add(" ".join(words))
    lead = _leading_distinctive(expanded.split())
    if lead and " " in lead:
        forms.add(lead)
    variants = [_cased_word(lead, replacement)] if lead and " " not in lead else []
    variants += [
        Variant(_flex(form), replacement) for form in forms if len(form.strip()) >= MIN_TOKEN
    ]
    return variants + _acronyms(expanded.split(), replacement)


def _distinctive(word: str) -> bool:
    lowered = word.lower().strip(".,")
    return not (
        is_kept_word(word)
        or lowered in _ORG_GENERIC
        or lowered in _CONNECTOR_WORDS
        or _LEGAL.fullmatch(f" {word}")
    )


def _leading_distinctive(words: list[str]) -> str | None:
    """The name's first two words when both are distinctive ("Sequoia Ridge" of "Sequoia Ridge
    Nursing & Rehabilitation Center"), or its first word alone when the next is generic and the
    first is no common adjective of names ("Kaiser" of "Kaiser Foundation Hospitals")."""
    if len(words) < 3 and not (len(words) == 2 and not _distinctive(words[1])):
        return None
    lead = list(itertools.takewhile(_distinctive, words[:2]))
    if len(lead) == 2 and all(len(w) >= MIN_TOKEN for w in lead):
        return " ".join(lead)
    if len(lead) == 1 and len(lead[0]) > 4 and lead[0].lower() not in _COMMON_ORG_WORDS:
        return lead[0]
    return None


def _acronyms(whole_words: list[str], replacement: str) -> list[Variant]:
    """Acronyms of the name's words, a hyphenated word by each part ("Tri-County Harvest Labor
    Contractors": TCHLC and THLC), "and" as "&" or left out."""
    found: list[Variant] = []
    split = [part for word in whole_words for part in word.split("-") if part]
    for words in dict.fromkeys((tuple(whole_words), tuple(split))):
        found += _acronyms_of(list(words), replacement)
    return found


def _acronyms_of(words: list[str], replacement: str) -> list[Variant]:
    letters = [w[0].upper() for w in words if w[:1].isalpha() and w.lower() not in _CONNECTOR_WORDS]
    with_amp = [
        "&" if w.lower() == "and" else w[0].upper()
        for w in words
        if (w[:1].isalpha() and w.lower() not in _CONNECTOR_WORDS) or w.lower() == "and"
    ]
    found: list[Variant] = []
    for acronym in dict.fromkeys(("".join(letters), "".join(with_amp))):
        plain = acronym.replace("&", "")
        if len(plain) < MIN_TOKEN:
            continue
        # An acronym that is also a public one ("CDC") only with letters added ("CDCR").
        least = 1 if plain.lower() in KEEP_WORDS else 0
        pattern = rf"{re.escape(acronym)}[A-Z]{{{least},2}}"
        dotted = r"\.\s?".join(re.escape(letter) for letter in acronym) + r"\."
        found += [
            Variant(pattern, replacement, cased=True),
            Variant(dotted, replacement, cased=True),
        ]
    return found


def address_variants(raw: str, address: str, city: str, zip_code: str) -> list[Variant]:
    """An address whole, each comma-separated part (street line, city), and its ZIP code alone."""
    variants = [Variant(_flex(raw), address)]
    for part in (p.strip() for p in raw.split(",")):
        without_zip = _ZIP.sub("", part).strip()
        if any(char.isdigit() for char in without_zip):
            if _STREET_LINE.search(
                without_zip
            ):  # not a unit alone ("#3", "Apt 4"): "3" is a number
                variants.append(Variant(_flex(without_zip), address))
        elif len(without_zip) > 2 and not is_kept_word(without_zip):
            variants.append(Variant(_flex(without_zip), city))
    variants += [Variant(re.escape(z), zip_code) for z in _ZIP.findall(raw)]
    return [v for v in variants if v.pattern]


def phone_variants(raw: str, replacement: str) -> list[Variant]:
    """A phone number's digits in any grouping, with or without its area code."""
    digits = re.sub(r"\D", "", raw)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return [Variant(_flex(raw), replacement)] if len(digits) >= 7 else []
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    full = rf"(?:\+?1{_JOIN})?\(?{area}\)?{_JOIN}{exchange}{_JOIN}{line}"
    return [Variant(full, replacement), Variant(f"{exchange}{_JOIN}{line}", replacement)]


def number_variants(raw: str, replacement: str) -> list[Variant]:
    """A number or code with or without its separators; its digits alone if it has six or more."""
    pattern = _flex(raw)
    if len(re.sub(r"\W", "", raw)) < MIN_TOKEN + 1:
        return []
    variants = [Variant(pattern, replacement)]
    digits = re.sub(r"\D", "", raw)
    if len(digits) >= 6 and digits != re.sub(r"\W", "", raw):
        variants.append(Variant(_JOIN.join(digits), replacement))
    return variants


def email_variants(raw: str, replacement: str) -> list[Variant]:
    """An e-mail address as written (any case)."""
    return [Variant(re.escape(fold(raw)), replacement)] if "@" in raw else []

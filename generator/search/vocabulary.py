"""The field's vocabulary for search: the concepts an item is indexed under and the phrases that
name them.

An item is indexed under concept terms (besides its words): its canonical treatment (``c:<slug>``,
and the entry it was derived from: ``c:mri`` for ``c:mri-lumbar-spine``), its category
(``k:<slug>``), each body part (``b:<slug>``), the drug a topical form holds (``i:<slug>``: a
generic name finds the creams that hold it, a brand of the tablets does not), and what the reviewer
cited, by the catalog's
resolved ids: each guideline (``g:<id>``), its family (``f:mtus``) and each section
(``s:<id>/<section>``). Concept terms hold a colon, so no word of a text is one.

The phrases that name a concept come from the data files: the lexicon's names and simple patterns
(``data/treatments.yaml``: brand and generic names, abbreviations such as PT, ESI, UDS), category
titles, body parts, the catalog's titles, names and page ranges (``data/guidelines.yaml``), and
``data/synonyms.yaml``, where a domain expert adds what the others lack ("neck" means cervical,
"PPI" means the proton pump inhibitors). ``search_vocabulary`` keeps the phrases whose concepts the
site holds; the search script reads it from the manifest to expand a query (``docs/search.md``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, model_validator

from generator.classify import ItemFacts
from generator.normalize import Guideline, Section, load_catalog
from generator.normalize.data import DataFileError, StrictModel, data_file, load_data
from generator.normalize.treatments import LexiconFile, load_lexicon
from generator.search.aliases import aliases
from generator.search.terms import TREATMENT_FIELD, terms

SYNONYMS_FILE = "synonyms.yaml"
TREATMENT, CATEGORY, BODY_PART, INGREDIENT = "c:", "k:", "b:", "i:"
GUIDELINE, FAMILY, SECTION = "g:", "f:", "s:"
MAX_PHRASE_TERMS = 6
TYPO_MIN_LENGTH = 5
TYPO_WORDS = 3000
"""At most this many words of the items' treatments are offered for typo correction."""
_SIDES = re.compile(r"^(?:left|right|bilateral|both)\s+")
_PARENTHESIS = re.compile(r"\(([^)]*)\)")
_YEAR = re.compile(r"\(\s*(?:\d{4}|MTUS \d{4})\s*\)")
_PAGES = re.compile(r"(\d+)(?:-(\d+))?")
PAGE_WORDS = ("page", "pages", "p", "pg")


class SynonymEntry(StrictModel):
    """One line of ``synonyms.yaml``: what readers say, and what it means."""

    say: tuple[str, ...] = Field(min_length=1)
    means: tuple[str, ...] = ()
    """Phrases the vocabulary already knows (a treatment's name, a body part, a brand)."""
    treatments: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    body_parts: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _means_something(self) -> SynonymEntry:
        if not (self.means or self.treatments or self.categories or self.body_parts):
            raise ValueError(f"{self.say[0]!r}: give means, treatments, categories or body_parts")
        return self


class SynonymsFile(StrictModel):
    version: int = Field(ge=1, le=1)
    synonyms: tuple[SynonymEntry, ...] = Field(min_length=1)


def load_synonyms(path: Path | None = None) -> SynonymsFile:
    return load_data(path or data_file(SYNONYMS_FILE), SynonymsFile)


def phrase_key(text: str) -> str:
    """A phrase as the search script looks it up: its terms, joined by spaces."""
    return " ".join(terms(text))


@dataclass(frozen=True)
class Lexicon:
    """What the item concepts are made from: derived treatment slugs and body parts."""

    base_of: Mapping[str, str]
    """A treatment slug made for a body part ('mri-lumbar-spine') to its entry's ('mri')."""
    ingredient_of: Mapping[str, str]
    """A topical form's slug ('diclofenac-topical', 'cyclobenzaprine-topical') to the drug's."""
    body_part_slugs: Mapping[str, str]
    """A body part's title to its slug."""


@functools.cache
def _lexicon() -> Lexicon:
    lexicon = load_lexicon()
    base: dict[str, str] = {}
    ingredient: dict[str, str] = {}
    for entry in lexicon.treatments:
        if entry.by_body_part:
            for part in lexicon.body_parts:
                base.setdefault(f"{entry.slug}-{part.slug}", entry.slug)
        if entry.topical:
            ingredient[f"{entry.slug}-topical"] = entry.slug
    parts = {part.title: part.slug for part in lexicon.body_parts}
    return Lexicon(base, ingredient, parts)


def item_concepts(item: ItemFacts) -> list[str]:
    """The concept terms of one item (``c:``, ``k:``, ``b:``, ``g:``, ``f:``, ``s:``)."""
    lexicon, catalog = _lexicon(), load_catalog()
    found: list[str] = []
    if item.treatment_slug:
        found.append(TREATMENT + item.treatment_slug)
        base = lexicon.base_of.get(item.treatment_slug)
        if base:
            found.append(TREATMENT + base)
        drug = lexicon.ingredient_of.get(item.treatment_slug)
        if drug:
            found.append(INGREDIENT + drug)
    if item.category_slug:
        found.append(CATEGORY + item.category_slug)
    for part in (item.body_part or "").split(", "):
        slug = lexicon.body_part_slugs.get(_SIDES.sub("", part))
        if slug:
            found.append(BODY_PART + slug)
    for guideline_id in item.reviewer.guideline_ids:
        found.append(GUIDELINE + guideline_id)
        if guideline_id in catalog:
            found.append(FAMILY + catalog.get(guideline_id).family)
    found += [f"{SECTION}{gid}/{slug}" for gid, slug in item.section_refs]
    return list(dict.fromkeys(found))


# --- phrases ---------------------------------------------------------------------------------


class Phrases:
    """Phrase key -> concept terms, gathered from every source."""

    def __init__(self) -> None:
        self.concepts: dict[str, list[str]] = {}
        self.labels: dict[str, str] = {}

    def add(self, text: str, concept: str, label: str | None = None) -> None:
        key = phrase_key(text)
        if not key or len(key.split()) > MAX_PHRASE_TERMS:
            return
        self.concepts.setdefault(key, [])
        if concept not in self.concepts[key]:
            self.concepts[key].append(concept)
        if label:
            self.labels.setdefault(concept, label)


def _name_parts(name: str) -> Iterator[str]:
    """A name and its parts: 'Hydrocodone/acetaminophen' -> itself, hydrocodone, acetaminophen;
    'Anticonvulsants (antiepilepsy drugs)' -> itself, anticonvulsants, antiepilepsy drugs (a
    parenthesis is taken whole)."""
    yield name
    inner = _PARENTHESIS.findall(name)
    outer = _PARENTHESIS.sub(" ", name)
    for piece in [*re.split(r"/|,| and ", outer), *inner]:
        if piece.strip():
            yield piece


def _treatment_phrases(lexicon: LexiconFile, phrases: Phrases) -> None:
    for entry in lexicon.treatments:
        concept = TREATMENT + entry.slug
        phrases.labels.setdefault(concept, entry.name)
        for text in _name_parts(entry.name):
            phrases.add(text, concept)
            if entry.topical:  # the generic name: its topical forms too
                phrases.add(text, INGREDIENT + entry.slug)
        for pattern in entry.match:
            for alias in aliases(pattern):
                phrases.add(alias, concept)
    for category in lexicon.categories:
        concept = CATEGORY + category.slug
        phrases.labels.setdefault(concept, category.title)
        for text in _name_parts(category.title):
            phrases.add(text, concept)
    for part in lexicon.body_parts:
        concept = BODY_PART + part.slug
        phrases.add(part.title, concept, part.title)
        for pattern in part.match:
            for alias in aliases(pattern):
                phrases.add(alias, concept)


def _broader_names(lexicon: LexiconFile, phrases: Phrases) -> None:
    """A treatment's name holding another treatment's name is found by it too: 'Lidocaine patch'
    by lidocaine (a part of 'Lidocaine, topical'), 'Postoperative physical therapy' by physical
    therapy. Names only, not abbreviations: 'Coagulation tests (PT/PTT/INR)' is not found by PT."""
    names = {
        phrase_key(part): TREATMENT + entry.slug
        for entry in lexicon.treatments
        for part in _name_parts(entry.name)
    }
    for entry in lexicon.treatments:
        words = phrase_key(_PARENTHESIS.sub(" ", entry.name)).split()
        for length in range(1, len(words)):
            for start in range(len(words) - length + 1):
                key = " ".join(words[start : start + length])
                if key in names:
                    phrases.add(key, TREATMENT + entry.slug)


def _guideline_phrases(phrases: Phrases) -> None:
    families: set[str] = set()
    for guideline in load_catalog():
        concept = GUIDELINE + guideline.id
        family = guideline.family
        phrases.labels.setdefault(concept, guideline_label(guideline))
        short = _YEAR.sub("", guideline.short_title).strip()
        for text in (guideline.title, *_name_parts(short), *guideline.names):
            phrases.add(text, concept)
            if family != "other":
                phrases.add(f"{family} {text}", concept)
        if family != "other":
            families.add(family)
        for section in guideline.sections:
            _section_phrases(phrases, f"{SECTION}{guideline.id}/{section.slug}", section)
    for name in sorted(families):
        phrases.add(name, FAMILY + name, name.upper())


def guideline_label(guideline: Guideline) -> str:
    """'MTUS Chronic Pain (2009)', 'ODG Pain', 'ACOEM Low Back (2004)'."""
    family = guideline.family.upper()
    if guideline.family == "other" or guideline.short_title.startswith(family):
        return guideline.short_title
    return f"{family} {guideline.short_title}"


def _section_phrases(phrases: Phrases, concept: str, section: Section) -> None:
    """A section by its title, names and abbreviation, and by each page it spans ('page 46')."""
    phrases.labels.setdefault(concept, section.title)
    bare = _PARENTHESIS.sub(" ", section.title)
    # A one-word parenthesis is the section's abbreviation or brand ('ESIs', 'Neurontin'); a longer
    # one qualifies it ('for pain') and names nothing alone.
    short = [text for text in _PARENTHESIS.findall(section.title) if len(text.split()) == 1]
    for text in (section.title, bare, *section.names, *short):
        phrases.add(text, concept)
    for first, last in _PAGES.findall(section.pages or ""):
        for page in range(int(first), int(last or first) + 1):
            for word in PAGE_WORDS:
                phrases.add(f"{word} {page}", concept)


def _synonym_phrases(synonyms: SynonymsFile, phrases: Phrases) -> None:
    """The synonyms file's phrases, each meaning the concepts of what it names; a name the
    vocabulary does not know is an error naming the entry."""
    lexicon = load_lexicon()
    known = {
        TREATMENT: {entry.slug for entry in lexicon.treatments},
        CATEGORY: {category.slug for category in lexicon.categories},
        BODY_PART: {part.slug for part in lexicon.body_parts},
    }
    for number, entry in enumerate(synonyms.synonyms):
        concepts: list[str] = []
        for meant in entry.means:
            found = phrases.concepts.get(phrase_key(meant))
            if not found:
                raise DataFileError(
                    f"{SYNONYMS_FILE}: synonyms.{number}.means: {meant!r} is not a phrase the "
                    "vocabulary knows (a treatment's name or pattern, a category, a body part or "
                    "a guideline); name a treatment, category or body part by its slug instead"
                )
            concepts += found
        named = ((TREATMENT, entry.treatments), (CATEGORY, entry.categories))
        for prefix, slugs in (*named, (BODY_PART, entry.body_parts)):
            for slug in slugs:
                if slug not in known[prefix]:
                    raise DataFileError(
                        f"{SYNONYMS_FILE}: synonyms.{number}: {slug!r} is not a slug of "
                        f"{SYNONYMS_FILE.replace('synonyms', 'treatments')}"
                    )
                concepts.append(prefix + slug)
        for said in entry.say:
            for concept in concepts:
                phrases.add(said, concept)


@functools.cache
def all_phrases() -> Phrases:
    """Every phrase of the data files, with the synonyms file's."""
    phrases = Phrases()
    _treatment_phrases(load_lexicon(), phrases)
    _broader_names(load_lexicon(), phrases)
    _guideline_phrases(phrases)
    _synonym_phrases(load_synonyms(), phrases)
    return phrases


# --- the vocabulary a site's search reads ----------------------------------------------------


def search_vocabulary(counts: Mapping[str, int]) -> dict[str, object]:
    """The vocabulary of a site whose terms are held by ``counts`` documents each: the phrases
    whose concepts it holds, the concepts (term, label, items), the words offered for typo
    correction, and the treatments to suggest when nothing matches."""
    phrases = all_phrases()
    present = sorted({c for found in phrases.concepts.values() for c in found if counts.get(c)})
    number = {concept: n for n, concept in enumerate(present)}
    concepts = [[c, phrases.labels.get(c, c.split(":", 1)[1]), counts[c]] for c in present]
    kept = {
        key: [number[c] for c in found if c in number]
        for key, found in sorted(phrases.concepts.items())
    }
    return {
        "concepts": concepts,
        "phrases": {key: found for key, found in kept.items() if found},
        "longest": max((len(key.split()) for key in kept), default=1),
        "typo": _typo_words(kept, counts),
    }


def _typo_words(phrases: Mapping[str, list[int]], counts: Mapping[str, int]) -> list[str]:
    """Words a misspelt query word may be corrected to, besides the vocabulary's one-word phrases
    (the script takes those from the phrases): the words most often found in the items'
    treatments, at least TYPO_MIN_LENGTH letters."""
    in_treatments = sorted(
        (-count, term[len(TREATMENT_FIELD) :])
        for term, count in counts.items()
        if term.startswith(TREATMENT_FIELD) and count > 1
    )
    words = {
        word
        for _count, word in in_treatments[:TYPO_WORDS]
        if word.isalpha() and len(word) >= TYPO_MIN_LENGTH and word not in phrases
    }
    return sorted(words)

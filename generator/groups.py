"""The registry of group kinds: every kind of listing the site has (years, guidelines and their
sections, treatments and their categories, diagnosis groups, reviewer specialties, outcomes), and
of the folder pages that list them. Cross-linking, rendering, navigation and the cache keys all
follow from ``KINDS`` and ``FOLDERS``: a new kind of listing is one entry here and a test.

A kind says which groups an item belongs to (``keys``: a key and its ``Naming`` a group), how its
groups are named (from the newest or the oldest item), ordered and headed, and which have pages.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from generator.cards import Card
from generator.classify import ItemFacts
from generator.normalize import load_catalog
from generator.normalize.text import slugify
from generator.settings import SECTION_PAGE_MIN_ITEMS

UNDATED = "undated"


class Naming(NamedTuple):
    """How a group is named: its title, description and parent group's page key."""

    title: str
    description: str = ""
    parent_key: str | None = None


Keys = Callable[[Card, ItemFacts], Iterable[tuple[str, Naming]]]


@dataclass(frozen=True)
class GroupKind:
    """One kind of group and its pages."""

    name: str
    """The kind, as the store's memberships and the templates name it."""
    folder: str
    """Where its pages go: ``<folder>/<key>`` unless ``page_prefix`` says otherwise."""
    heading: str
    """A group page's heading, its title at ``{}``."""
    keys: Keys
    """The groups an item belongs to (on the reviewer's side, for guidelines)."""
    order: Callable[[str, Naming], Any]
    """How the kind's groups are ordered, by key and naming."""
    claims_keys: Keys | None = None
    """For guidelines: the groups an item belongs to on the claims administrator's side."""
    named_by: Literal["newest", "oldest"] = "newest"
    """Whose naming a group takes: its newest item's, or its oldest's."""
    min_items: int = 1
    """A group has pages once this many items belong to it."""
    page_prefix: str = ""
    """Before the key in a page key (``treatments/category-<key>``)."""
    per_determination: bool = False
    """Groups of a whole determination's value (its year, diagnosis, specialty): every item of a
    determination belongs to them, and listings say so."""

    def page_key(self, key: str) -> str:
        return f"{self.folder}/{self.page_prefix}{key}"


def _year(card: Card, _item: ItemFacts) -> list[tuple[str, Naming]]:
    if card.year:
        return [(str(card.year), Naming(str(card.year)))]
    return [(UNDATED, Naming("Year not stated"))]


def _guidelines(_card: Card, item: ItemFacts) -> list[tuple[str, Naming]]:
    return [(g, _guideline_naming(g)) for g in item.reviewer.guideline_ids]


def _claims_guidelines(_card: Card, item: ItemFacts) -> list[tuple[str, Naming]]:
    return [(g, _guideline_naming(g)) for g in item.claims.guideline_ids]


@functools.cache
def _guideline_naming(guideline_id: str) -> Naming:
    guideline = load_catalog().get(guideline_id)
    return Naming(guideline.title, guideline.issuer)


def _sections(_card: Card, item: ItemFacts) -> list[tuple[str, Naming]]:
    found = []
    for guideline_id, section_slug in item.section_refs:
        section = load_catalog().get(guideline_id).section(section_slug)
        title = section.title if section else section_slug
        found.append(
            (f"{guideline_id}/{section_slug}", Naming(title, "", f"guidelines/{guideline_id}"))
        )
    return found


def _treatment(_card: Card, item: ItemFacts) -> list[tuple[str, Naming]]:
    if not item.treatment_slug:
        return []
    category = item.category_slug
    parent = f"treatments/category-{category}" if category else None
    return [(item.treatment_slug, Naming(item.treatment_label, item.category_label, parent))]


def _category(_card: Card, item: ItemFacts) -> list[tuple[str, Naming]]:
    return [(item.category_slug, Naming(item.category_label))] if item.category_slug else []


def _diagnoses(card: Card, _item: ItemFacts) -> list[tuple[str, Naming]]:
    return [(key, Naming(label)) for key, label in card.diagnoses]


def _specialty(card: Card, _item: ItemFacts) -> list[tuple[str, Naming]]:
    return [(name_key(card.specialty), Naming(card.specialty))] if card.specialty else []


@functools.cache
def name_key(specialty: str) -> str:
    """The key of a group named as written (a reviewer specialty, a licensure state): its page,
    its search filter."""
    return slugify(specialty) or "unnamed"


def _licensure(card: Card, _item: ItemFacts) -> list[tuple[str, Naming]]:
    return [(name_key(state), Naming(state)) for state in card.licensure]


OUTCOME_TITLES = {"upheld": "Upheld", "overturned": "Overturned"}


def _outcome(_card: Card, item: ItemFacts) -> list[tuple[str, Naming]]:
    title = OUTCOME_TITLES.get(item.decision)
    return [(item.decision, Naming(title))] if title else []


def _by_title(_key: str, naming: Naming) -> str:
    return naming.title.lower()


def _by_key(key: str, _naming: Naming) -> str:
    return key


def _catalog_order(key: str, _naming: Naming) -> int:
    return [guideline.id for guideline in load_catalog()].index(key)


def _newest_year_first(key: str, _naming: Naming) -> tuple[bool, int]:
    return (key == UNDATED, -int(key) if key != UNDATED else 0)


KINDS: tuple[GroupKind, ...] = (
    GroupKind("year", "years", "Determinations of {}", _year, _newest_year_first,
              per_determination=True),
    GroupKind("guideline", "guidelines", "{}", _guidelines, _catalog_order,
              claims_keys=_claims_guidelines),
    GroupKind("section", "guidelines", "{}", _sections, _by_key,
              min_items=SECTION_PAGE_MIN_ITEMS),
    GroupKind("treatment", "treatments", "{}", _treatment, _by_key),
    GroupKind("category", "treatments", "Treatment category: {}", _category, _by_key,
              page_prefix="category-"),
    GroupKind("diagnosis", "diagnoses", "Diagnosis group: {}", _diagnoses, _by_title,
              named_by="oldest", per_determination=True),
    GroupKind("specialty", "specialties", "Reviewer specialty: {}", _specialty, _by_title,
              named_by="oldest", per_determination=True),
    GroupKind("outcome", "outcomes", "{} items", _outcome, lambda key, _: list(OUTCOME_TITLES).index(key)),
    GroupKind("licensure", "licensure", "Reviewers licensed in {}", _licensure, _by_title,
              named_by="oldest", per_determination=True),
)  # fmt: skip
KIND = {kind.name: kind for kind in KINDS}

ItemKeys = dict[str, dict[str, Naming]]
"""The keys of an item's groups and their namings, by kind (on the reviewer's side)."""


def item_keys(card: Card) -> list[tuple[ItemKeys, ItemKeys]]:
    """For each item of ``card``: the keys of its groups by kind, on the reviewer's side and on
    the claims administrator's (each key once; the kinds of a whole determination's value worked
    out once for the card)."""
    if not card.items:
        return []
    whole = {
        kind.name: dict(kind.keys(card, card.items[0])) for kind in KINDS if kind.per_determination
    }
    found = []
    for item in card.items:
        reviewer = {
            kind.name: whole[kind.name] if kind.per_determination else dict(kind.keys(card, item))
            for kind in KINDS
        }
        claims = {
            kind.name: dict(kind.claims_keys(card, item))
            for kind in KINDS
            if kind.claims_keys is not None
        }
        found.append((reviewer, claims))
    return found


@dataclass(frozen=True)
class FolderPage:
    """A folder's own page: the list of its groups, in sections (title, kinds or a function of
    the index that makes them)."""

    folder: str
    heading: str
    column: str
    intro: str = ""


FOLDERS: tuple[FolderPage, ...] = (
    FolderPage(
        "guidelines", "Guidelines", "Guideline",
        "Every guideline cited by claims administrators or IMR reviewers, with how the items "
        "decided under it came out. Figures count the items whose reviewer cited the guideline, "
        "and the determinations they are in.",
    ),
    FolderPage(
        "treatments", "Treatments", "Treatment",
        "Every disputed treatment, by category, with how its items came out.",
    ),
    FolderPage("years", "Determinations by year", "Year"),
    FolderPage("diagnoses", "Diagnosis groups", "Diagnosis group"),
    FolderPage("specialties", "Reviewer specialties", "Specialty"),
    FolderPage("outcomes", "Outcomes", "Outcome"),
    FolderPage("licensure", "Reviewer licensure", "State"),
)  # fmt: skip
GROUP_FOLDERS = tuple(folder.folder for folder in FOLDERS)

"""Group determination cards into the pages the site links between: years, guidelines and their
sections, treatments and categories, diagnosis groups, reviewer specialties and outcomes; plus the
related determinations shown on each determination page.

Statistics are per disputed item (a guideline page counts the items decided under it); listings show
each determination once, newest first. Every order is total, so builds are byte-identical.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import groupby
from typing import NamedTuple

from generator.cards import Card
from generator.classify import ItemFacts
from generator.columns import CardColumns
from generator.normalize import Catalog, load_catalog
from generator.search.index import FacetValues, facet_values

LATEST_COUNT = 20
UNDATED = "undated"
RELATED_COUNT = 5
RELATED_KEPT = 4096
"""Lists of related determinations kept once worked out: a page asks for its own twice (for its
cache key, then to render), so a few suffice, and a worker does not keep one for every page."""
SECTION_PAGE_MIN_ITEMS = 3
"""A guideline section gets its own page once reviewers cited it for this many items."""


@dataclass(frozen=True)
class Outcomes:
    """Item counts by decision."""

    upheld: int
    overturned: int

    @property
    def total(self) -> int:
        return self.upheld + self.overturned

    @property
    def overturned_percent(self) -> float:
        return 100.0 * self.overturned / self.total if self.total else 0.0

    @classmethod
    def of_items(cls, items: Iterable[ItemFacts]) -> Outcomes:
        decisions = [item.decision for item in items]
        return cls(upheld=decisions.count("upheld"), overturned=decisions.count("overturned"))

    @classmethod
    def of(cls, cards: Sequence[Card]) -> Outcomes:
        return cls.of_items(item for card in cards for item in card.items)


class ItemRef(NamedTuple):
    """One item of one determination (a tuple: a build makes one per item of the site)."""

    card: Card
    item: ItemFacts


@dataclass(frozen=True)
class Group:
    """The items (and so the determinations) that share a guideline, treatment, year, ..."""

    kind: str
    slug: str
    page_key: str
    title: str
    items: tuple[ItemRef, ...]
    """Newest first."""
    description: str = ""
    claims_items: tuple[ItemRef, ...] = ()
    """For guidelines: items whose claims administrator cited it (kept apart from the reviewer's)."""
    parent_key: str | None = None

    @cached_property
    def cards(self) -> tuple[Card, ...]:
        """Each determination once, newest first (computed once: listings of large groups run
        to hundreds of pages)."""
        cited = (ref.card for ref in (*self.items, *self.claims_items))
        unique = {card.public_id: card for card in cited}
        if not self.claims_items:  # items are newest first already
            return tuple(unique.values())
        return tuple(sorted(unique.values(), key=_newest_first))

    @cached_property
    def outcomes(self) -> Outcomes:
        return Outcomes.of_items(ref.item for ref in self.items)


@dataclass(frozen=True)
class SiteIndex:
    """Everything the renderer needs, in the order pages show it."""

    cards: tuple[Card, ...]
    """Newest first, ties broken by public id."""
    years: tuple[Group, ...]
    guidelines: tuple[Group, ...]
    sections: tuple[Group, ...]
    treatments: tuple[Group, ...]
    categories: tuple[Group, ...]
    diagnoses: tuple[Group, ...]
    specialties: tuple[Group, ...]
    outcome_groups: tuple[Group, ...]
    related: Related = field(repr=False)
    columns: CardColumns = field(repr=False)
    """What a determination page shows of the others, for the render workers."""
    catalog: Catalog = field(repr=False)

    @cached_property
    def outcomes(self) -> Outcomes:
        return Outcomes.of(self.cards)

    @property
    def synthetic_count(self) -> int:
        return sum(card.synthetic for card in self.cards)

    @property
    def latest(self) -> tuple[Card, ...]:
        return self.cards[:LATEST_COUNT]

    def groups(self) -> tuple[Group, ...]:
        """Every group that has pages of its own."""
        return (
            *self.years, *self.guidelines, *self.sections, *self.treatments, *self.categories,
            *self.diagnoses, *self.specialties, *self.outcome_groups,
        )  # fmt: skip

    def year_of(self, card: Card) -> Group:
        return self.year_group(card.year)

    def year_group(self, year: int | None) -> Group:
        return self._years_by_slug[str(year) if year is not None else UNDATED]

    @cached_property
    def _years_by_slug(self) -> dict[str, Group]:
        return {group.slug: group for group in self.years}

    def has_page(self, page_key: str) -> bool:
        return page_key in self.page_keys

    @cached_property
    def page_keys(self) -> frozenset[str]:
        return frozenset(group.page_key for group in self.groups())

    @cached_property
    def groups_by_key(self) -> dict[str, Group]:
        return {group.page_key: group for group in self.groups()}

    @cached_property
    def search_facets(self) -> list[FacetValues]:
        """The search page's filters, their values numbered as search documents (oldest first);
        both the search page and the search index show them."""
        return facet_values(self.cards[::-1])


def _newest_first(card: Card) -> tuple[int, str]:
    return (-card.recency, card.public_id)


def build_index(cards: Sequence[Card]) -> SiteIndex:
    """Sort and group cards; every listing is in a deterministic order."""
    ordered = tuple(sorted(cards, key=_newest_first))
    refs = [ItemRef(card, item) for card in ordered for item in card.items]
    catalog = load_catalog()
    groups = {
        "years": tuple(_years(refs)),
        "guidelines": tuple(_guidelines(refs, catalog)),
        "sections": tuple(_sections(refs, catalog)),
        "treatments": tuple(_treatments(refs)),
        "categories": tuple(_categories(refs)),
        "diagnoses": tuple(_by_card_value(refs, "diagnosis", "diagnoses", lambda c: c.diagnoses)),
        "specialties": tuple(_by_card_value(refs, "specialty", "specialties", _specialty)),
        "outcome_groups": tuple(_outcomes(refs)),
    }
    page_keys = {group.page_key for kind in groups.values() for group in kind}
    return SiteIndex(
        cards=ordered,
        **groups,
        related=Related(ordered),
        columns=CardColumns.of(ordered, page_keys.__contains__),
        catalog=catalog,
    )


@cache
def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-").replace("--", "-")


def _grouped(
    refs: Iterable[ItemRef], keys: Callable[[ItemRef], Sequence[str]]
) -> dict[str, list[ItemRef]]:
    groups: dict[str, list[ItemRef]] = defaultdict(list)
    for ref in refs:
        found = keys(ref)
        if len(found) == 1:
            groups[found[0]].append(ref)
        else:
            for key in dict.fromkeys(found):
                groups[key].append(ref)
    return groups


def _years(refs: list[ItemRef]) -> Iterable[Group]:
    by_year = _grouped(refs, lambda ref: [str(ref.card.year) if ref.card.year else UNDATED])
    for slug in sorted(by_year, key=lambda s: (s == UNDATED, -int(s) if s != UNDATED else 0)):
        label = "Year not stated" if slug == UNDATED else slug
        yield Group("year", slug, f"years/{slug}", label, tuple(by_year[slug]))


def _guidelines(refs: list[ItemRef], catalog: Catalog) -> Iterable[Group]:
    by_reviewer = _grouped(refs, lambda ref: ref.item.reviewer.guideline_ids)
    by_claims = _grouped(refs, lambda ref: ref.item.claims.guideline_ids)
    for guideline in catalog:
        if guideline.id in by_reviewer or guideline.id in by_claims:
            yield Group(
                "guideline", guideline.id, f"guidelines/{guideline.id}", guideline.title,
                tuple(by_reviewer.get(guideline.id, ())), description=guideline.issuer,
                claims_items=tuple(by_claims.get(guideline.id, ())),
            )  # fmt: skip


def _sections(refs: list[ItemRef], catalog: Catalog) -> Iterable[Group]:
    by_section = _grouped(refs, lambda ref: [f"{g}/{s}" for g, s in ref.item.section_refs])
    for key in sorted(by_section):
        members = by_section[key]
        if len(members) < SECTION_PAGE_MIN_ITEMS:
            continue
        guideline_id, section_slug = key.split("/", 1)
        section = catalog.get(guideline_id).section(section_slug)
        title = section.title if section else section_slug
        yield Group(
            "section", key, f"guidelines/{key}", title, tuple(members),
            parent_key=f"guidelines/{guideline_id}",
        )  # fmt: skip


def _treatments(refs: list[ItemRef]) -> Iterable[Group]:
    by_treatment = _grouped(
        refs, lambda ref: [ref.item.treatment_slug] if ref.item.treatment_slug else []
    )
    for slug in sorted(by_treatment):
        members = by_treatment[slug]
        category = members[0].item.category_slug
        yield Group(
            "treatment", slug, f"treatments/{slug}", members[0].item.treatment_label, tuple(members),
            description=members[0].item.category_label,
            parent_key=f"treatments/category-{category}" if category else None,
        )  # fmt: skip


def _categories(refs: list[ItemRef]) -> Iterable[Group]:
    by_category = _grouped(
        refs, lambda ref: [ref.item.category_slug] if ref.item.category_slug else []
    )
    for slug in sorted(by_category):
        members = by_category[slug]
        label = members[0].item.category_label
        yield Group("category", slug, f"treatments/category-{slug}", label, tuple(members))


def _specialty(card: Card) -> list[tuple[str, str]]:
    return [(_slug(card.specialty), card.specialty)] if card.specialty else []


def _by_card_value(
    refs: list[ItemRef], kind: str, folder: str, values: Callable[[Card], Iterable[tuple[str, str]]]
) -> Iterable[Group]:
    labels: dict[str, str] = {}
    grouped: dict[str, list[ItemRef]] = defaultdict(list)
    for _card_id, of_card in groupby(refs, key=lambda ref: ref.card.public_id):  # items together
        card_refs = list(of_card)
        pairs = tuple(values(card_refs[0].card))
        if not pairs:
            continue
        labels.update(pairs)
        for slug in dict.fromkeys(slug for slug, _label in pairs):
            grouped[slug].extend(card_refs)
    for slug in sorted(grouped, key=lambda s: labels[s].lower()):
        yield Group(kind, slug, f"{folder}/{slug}", labels[slug], tuple(grouped[slug]))


def _outcomes(refs: list[ItemRef]) -> Iterable[Group]:
    for decision, title in (("upheld", "Upheld"), ("overturned", "Overturned")):
        members = tuple(ref for ref in refs if ref.item.decision == decision)
        if members:
            yield Group("outcome", decision, f"outcomes/{decision}", title, members)


class Related:
    """Up to RELATED_COUNT determinations sharing a treatment and a reviewer guideline with each
    one, newest first: the nearest earlier ones (its precedents), and for the first few of a
    group, the nearest later ones. A new determination, newer than those published, is nobody's
    precedent yet, so it changes no existing page's list unless its group had fewer than
    RELATED_COUNT + 1 members.

    Cards are named by their place in the site's newest-first order (``SiteIndex.cards``), so a
    group's members are an array of integers in that order, and nearness is counted in it. A
    card's list is worked out when first asked for, in the render workers, which read only these
    arrays (``columns.py`` says why)."""

    def __init__(self, ordered: Sequence[Card]) -> None:
        numbers: dict[tuple[str, str], int] = {}
        self._members: list[array[int]] = []
        """The places of each relation group's cards, in order."""
        self._groups, self._ends = array("I"), array("Q")
        """The relation groups of each card, and where each card's groups end in ``_groups``."""
        for place, card in enumerate(ordered):
            for key in dict.fromkeys(_relation_keys(card)):
                number = numbers.setdefault(key, len(numbers))
                if number == len(self._members):
                    self._members.append(array("I"))
                self._members[number].append(place)
                self._groups.append(number)
            self._ends.append(len(self._groups))
        self._found: dict[int, tuple[int, ...]] = {}

    def of(self, place: int) -> tuple[int, ...]:
        """The places of the related determinations of the card at ``place``, newest first."""
        found = self._found.get(place)
        if found is None:
            if len(self._found) >= RELATED_KEPT:
                self._found.clear()
            found = self._found[place] = self._worked_out(place)
        return found

    def _worked_out(self, place: int) -> tuple[int, ...]:
        start = self._ends[place - 1] if place else 0
        groups = [self._members[number] for number in self._groups[start : self._ends[place]]]
        places = [(members, bisect_left(members, place)) for members in groups]
        if len(places) == 1:  # in one group: its nearest, with no ranking between groups
            earlier, later = _nearest(*places[0])
            return (*later, *earlier)
        ranks: dict[int, int] = {}
        for members, position in places:
            earlier, later = _nearest(members, position)
            for rank, other in enumerate((*earlier, *later[::-1])):
                if rank < ranks.get(other, rank + 1):
                    ranks[other] = rank
        # Nearest first, ties by place (the newer first); then shown newest first.
        chosen = sorted(ranks, key=lambda other: (ranks[other], other))[:RELATED_COUNT]
        return tuple(sorted(chosen))


def _nearest(members: array[int], position: int) -> tuple[array[int], array[int]]:
    """Around the member at ``position`` (members newest first): the RELATED_COUNT nearest
    earlier members, nearest first, and as many later ones as it takes to make up the count,
    newest first (so farthest first)."""
    earlier = members[position + 1 : position + 1 + RELATED_COUNT]
    later = members[max(0, position - (RELATED_COUNT - len(earlier))) : position]
    return earlier, later


def _relation_keys(card: Card) -> Iterable[tuple[str, str]]:
    for item in card.items:
        if item.treatment_slug:
            for guideline_id in item.reviewer.guideline_ids[:1]:
                yield (item.treatment_slug, guideline_id)

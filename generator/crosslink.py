"""Group determination cards into the pages the site links between: years, guidelines and their
sections, treatments and categories, diagnosis groups, reviewer specialties and outcomes; plus the
related determinations shown on each determination page.

Statistics are per disputed item (a guideline page counts the items decided under it); listings show
each determination once, newest first. Every order is total, so builds are byte-identical.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, partial
from itertools import groupby
from typing import NamedTuple, TypeAlias, overload

from generator.cards import Card
from generator.cardstore import CardStore, CardStoreWriter
from generator.classify import ItemFacts
from generator.columns import (
    CardColumns,
    CardColumnsBuilder,
    CountedItem,
    ItemColumns,
    ListingRow,
    RowMatch,
)
from generator.normalize import Catalog, load_catalog
from generator.schema import Decision
from generator.scratch import ScratchBlobs
from generator.search.index import FacetBuilder, FacetValues

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
    """One item of one determination."""

    card: Card
    item: ItemFacts


ITEM_BITS = 16
"""A group holds its items as integers: the card's place in the site's order, shifted left by
ITEM_BITS, then the item's index in the card, shifted left by one, then 1 if the item was
overturned (``ItemRefs``): so a group's outcomes are counted without reading its cards. The
record schema allows no more items than the 15 bits of the index can number (``MOST_ITEMS``)."""
ITEM_MASK = (1 << ITEM_BITS) - 1
OVERTURNED = 1
DECISIONS: tuple[Decision, Decision] = ("upheld", "overturned")
"""By the item's last bit."""


def packed_item(place: int, number: int, item: ItemFacts) -> int:
    """Item ``number`` (its index) of the card at ``place``, as a group holds it."""
    return place << ITEM_BITS | number << 1 | (item.decision == "overturned")


SPILLED_ITEMS = 256
"""A group of more items than this keeps them in a scratch file (``StoredItems``)."""
SPILLED_PIECE = 65536
"""While the cards are read, a group's items are moved to the scratch file in pieces of at
least this many (``_ReadOnce.spill_pieces``), so the largest groups are not held whole."""
SPILL_CHECK_CARDS = 4096
"""The groups are looked through for pieces to move every this many cards."""


@dataclass(frozen=True)
class StoredItems:
    """A group's packed items in a scratch file, read when the group is gone through: the
    groups' items are the largest part of the index (some ten entries a determination), and
    only the group's own pages read them."""

    blobs: ScratchBlobs
    numbers: tuple[int, ...]
    """The pieces, in order."""
    count: int

    def __len__(self) -> int:
        return self.count

    def load(self) -> array[int]:
        packed = array("Q")
        for number in self.numbers:
            packed.frombytes(self.blobs[number])
        return packed


class ItemRefs(Sequence[ItemRef]):
    """Items of the site's cards, each as one integer (``ITEM_BITS``): 8 bytes an item, where an
    ItemRef tuple took 56 and its card stayed in memory; a large group's in a scratch file until
    it is gone through (``StoredItems``). Cards are read from the store when an item is asked
    for."""

    def __init__(
        self, cards: CardStore, counted: ItemColumns, packed: array[int] | StoredItems
    ) -> None:
        self.store = cards
        self.counted = counted
        self._source = packed

    @property
    def _packed(self) -> array[int]:
        source = self._source
        return source.load() if isinstance(source, StoredItems) else source

    def packed(self) -> array[int]:
        """The items as integers (``ITEM_BITS``), in the site's order: read once from the scratch
        file if kept there."""
        return self._packed

    def __len__(self) -> int:
        return len(self._source)

    @overload
    def __getitem__(self, index: int) -> ItemRef: ...

    @overload
    def __getitem__(self, index: slice) -> ItemRefs: ...

    def __getitem__(self, index: int | slice) -> ItemRef | ItemRefs:
        if isinstance(index, slice):
            return ItemRefs(self.store, self.counted, self._packed[index])
        return self._ref(self._packed[index])

    def __iter__(self) -> Iterator[ItemRef]:
        return map(self._ref, self._packed)

    def _ref(self, packed: int) -> ItemRef:
        card = self.store[packed >> ITEM_BITS]
        return ItemRef(card, card.items[(packed & ITEM_MASK) >> 1])

    def places(self) -> Iterator[int]:
        """The place of each item's card in the site's order."""
        return (packed >> ITEM_BITS for packed in self._packed)

    def places_oldest_first(self) -> Iterator[int]:
        """``places``, in the opposite order."""
        return (packed >> ITEM_BITS for packed in reversed(self._packed))

    def outcomes(self) -> Outcomes:
        items = self._packed
        overturned = sum(packed & OVERTURNED for packed in items)
        return Outcomes(upheld=len(items) - overturned, overturned=overturned)

    def decisions(self) -> Iterator[Decision]:
        return (DECISIONS[packed & OVERTURNED] for packed in self._packed)

    def counted_items(self) -> Iterator[tuple[int | None, Decision, CountedItem]]:
        """(year, decision, what figures count) of each item, from the columns alone."""
        counted = self.counted
        for packed in self._packed:
            place = packed >> ITEM_BITS
            facts = counted.of(place, (packed & ITEM_MASK) >> 1)
            yield counted.year(place), DECISIONS[packed & OVERTURNED], facts


@dataclass(frozen=True)
class Group:
    """The items (and so the determinations) that share a guideline, treatment, year, ..."""

    kind: str
    slug: str
    page_key: str
    title: str
    items: ItemRefs
    """Newest first."""
    description: str = ""
    claims: ItemRefs | None = None
    """For guidelines: items whose claims administrator cited it (kept apart from the reviewer's)."""
    parent_key: str | None = None

    @property
    def claims_items(self) -> ItemRefs:
        """``claims``, empty for groups other than guidelines."""
        return self.items[:0] if self.claims is None else self.claims

    @cached_property
    def places(self) -> array[int]:
        """The place of each determination in the site's order, once, newest first (worked out
        once: listings of large groups run to hundreds of pages). Items are in the site's order
        already, a card's next to each other: the places are merged and told apart from the one
        before, with no object kept a place (a dict of them took about 70 bytes one)."""
        places = self.items.places()
        if self.claims:
            places = heapq.merge(places, self.claims.places())
        return array("I", (place for place, _ in groupby(places)))

    @property
    def cards(self) -> CardStore:
        """Each determination once, newest first."""
        return self.items.store.picked(self.places)

    @cached_property
    def outcomes(self) -> Outcomes:
        return self.items.outcomes()

    @cached_property
    def determination_count(self) -> int:
        """The determinations with an item in ``items``: for a guideline, those whose reviewer
        cited it (``places`` counts those where either side did)."""
        return sum(1 for _place in groupby(self.items.places()))

    @cached_property
    def claims_determination_count(self) -> int:
        """The determinations whose claims administrator cited the guideline for an item."""
        return sum(1 for _place in groupby(self.claims_items.places()))

    def item_matches(self) -> ItemMatches:
        """The group's items, read once, to find each listed determination's own."""
        if self.claims is None:
            return ItemMatches(self.items.packed(), None)
        return ItemMatches(self.items.packed(), self.claims.packed())


@dataclass(frozen=True)
class ItemMatches:
    """A group's items by card: a listing row shows the items that put its determination in the
    group, not only the determination."""

    items: array[int]
    claims: array[int] | None
    """For a guideline: the items whose claims administrator cited it (``items``: the reviewer)."""

    def of(self, places: Sequence[int]) -> list[RowMatch]:
        """The matching items, (index, sides) each, of the cards at ``places`` (ascending, as a
        listing's are); sides (``columns.CITED_BY``) only on a guideline's listing."""
        if not places:
            return []
        found: dict[int, dict[int, int]] = {place: {} for place in places}
        reviewer_side = 0 if self.claims is None else 1
        for packed_items, side in ((self.items, reviewer_side), (self.claims, 2)):
            if packed_items is None:
                continue
            start = bisect_left(packed_items, places[0] << ITEM_BITS)
            end = bisect_left(packed_items, (places[-1] + 1) << ITEM_BITS)
            for packed in packed_items[start:end]:
                matched = found.get(packed >> ITEM_BITS)
                if matched is not None:
                    number = (packed & ITEM_MASK) >> 1
                    matched[number] = matched.get(number, 0) | side
        return [(place, sorted(found[place].items())) for place in places]


@dataclass(frozen=True)
class SiteIndex:
    """Everything the renderer needs, in the order pages show it."""

    cards: CardStore
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
    item_columns: ItemColumns = field(repr=False)
    """What a group's figures count of each item (``ItemRefs.counted_items``)."""
    catalog: Catalog = field(repr=False)
    outcomes: Outcomes = Outcomes(0, 0)
    """Of every item of the site."""
    synthetic_count: int = 0
    search_facets: list[FacetValues] = field(default_factory=list, repr=False)
    """The search page's filters, their values numbered as search documents (oldest first);
    both the search page and the search index show them."""

    @property
    def latest(self) -> CardStore:
        return self.cards[:LATEST_COUNT]

    def latest_rows(self) -> list[ListingRow]:
        """The newest determinations as listing rows, with all their items."""
        latest = range(min(LATEST_COUNT, len(self.cards)))
        return self.columns.rows(self.item_columns, [(place, None) for place in latest])

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


def _newest_first(card: Card) -> tuple[int, str]:
    return (-card.recency, card.public_id)


def build_index(cards: Sequence[Card], spill: ScratchBlobs | None = None) -> SiteIndex:
    """Sort and group cards; every listing is in a deterministic order. A CardStore is taken to
    be in the site's order already (``prepare_site`` sorts as it writes it); other cards are
    sorted and written to a store. With ``spill``, large groups keep their items there."""
    if isinstance(cards, CardStore):
        ordered = cards
    else:
        writer = CardStoreWriter()
        for card in sorted(cards, key=_newest_first):
            writer.add(card)
        ordered = writer.store(range(len(cards)))
    catalog = load_catalog()
    read = _read_once(ordered, spill)
    refs = partial(_item_refs, ordered, read.counted, spill)
    grouped, labels = read.members(), read.labels
    groups = {
        "years": tuple(_years(grouped["year"], refs)),
        "guidelines": tuple(_guidelines(grouped["guideline"], grouped["claims"], catalog, refs)),
        "sections": tuple(_sections(grouped["section"], catalog, refs)),
        "treatments": tuple(_treatments(grouped["treatment"], refs)),
        "categories": tuple(_categories(grouped["category"], refs)),
        "diagnoses": tuple(_by_card_value(grouped, labels, "diagnosis", "diagnoses", refs)),
        "specialties": tuple(_by_card_value(grouped, labels, "specialty", "specialties", refs)),
        "outcome_groups": tuple(_outcomes(grouped["outcome"], refs)),
    }
    page_keys = {group.page_key for kind in groups.values() for group in kind}
    return SiteIndex(
        cards=ordered,
        **groups,
        related=read.related,
        columns=read.columns.columns(page_keys.__contains__),
        item_columns=read.counted,
        catalog=catalog,
        outcomes=Outcomes(read.items - read.overturned, read.overturned),
        synthetic_count=read.synthetic,
        search_facets=read.facets.values(),
    )


def _item_refs(
    cards: CardStore,
    counted: ItemColumns,
    spill: ScratchBlobs | None,
    packed: array[int] | StoredItems,
) -> ItemRefs:
    """A group's items: kept in ``spill`` if there are more than SPILLED_ITEMS (already there,
    in pieces, for the largest groups)."""
    if spill is None or isinstance(packed, StoredItems) or len(packed) <= SPILLED_ITEMS:
        return ItemRefs(cards, counted, packed)
    stored = StoredItems(spill, (spill.append(packed.tobytes()),), len(packed))
    return ItemRefs(cards, counted, stored)


@cache
def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-").replace("--", "-")


Members: TypeAlias = "dict[str, array[int] | StoredItems]"
"""Packed items (``ItemRefs``) by the key they share, in the site's order: the largest groups'
in a scratch file already (``_ReadOnce.spill_pieces``)."""


Labels: TypeAlias = dict[str, dict[str, str]]
"""By kind of group drawn from a whole card's values: the label of each key (slug)."""


@dataclass
class _ReadOnce:
    """All that the index needs of the cards, gathered in one pass over them: each pass decodes
    every card from the store (``_read_once``)."""

    grouped: dict[str, dict[str, array[int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: array("Q")))
    )
    """Each item, packed, under every key of every kind of group (but those moved in pieces)."""
    pieces: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    """By (kind, key): the pieces of the group's items moved to the scratch file, in order."""
    moved: dict[tuple[str, str], int] = field(default_factory=dict)
    """By (kind, key): how many of the group's items were moved."""
    spill: ScratchBlobs | None = None
    """Where large groups' items go in pieces (``spill_pieces``); None: nowhere."""
    labels: Labels = field(default_factory=lambda: {"diagnosis": {}, "specialty": {}})
    """The labels of the keys drawn from whole cards (the last card's, in the site's order)."""
    columns: CardColumnsBuilder = field(default_factory=CardColumnsBuilder)
    counted: ItemColumns = field(init=False)
    related: Related = field(default_factory=lambda: Related(()))
    facets: FacetBuilder = field(default_factory=FacetBuilder)
    items: int = 0
    overturned: int = 0
    synthetic: int = 0

    def __post_init__(self) -> None:
        self.counted = ItemColumns(self.columns.years)

    def spill_pieces(self) -> None:
        """Move to ``spill`` the items held of every group that holds SPILLED_PIECE or more."""
        spill = self.spill
        if spill is None:
            return
        for kind, members in self.grouped.items():
            for key, packed in members.items():
                if len(packed) >= SPILLED_PIECE:
                    self.pieces.setdefault((kind, key), []).append(spill.append(packed.tobytes()))
                    self.moved[kind, key] = self.moved.get((kind, key), 0) + len(packed)
                    members[key] = array("Q")

    def members(self) -> dict[str, Members]:
        """Each kind's groups' items; of those moved in pieces, a ``StoredItems`` of every piece
        (the rest moved now)."""
        grouped: dict[str, Members] = defaultdict(dict)
        for kind, members in self.grouped.items():
            grouped[kind].update(members)
        spill = self.spill
        if spill is None:  # nothing was moved
            return grouped
        for (kind, key), numbers in self.pieces.items():
            rest = self.grouped[kind][key]
            if rest:
                numbers.append(spill.append(rest.tobytes()))
            count = self.moved[kind, key] + len(rest)
            grouped[kind][key] = StoredItems(spill, tuple(numbers), count)
        return grouped

    def add(self, place: int, card: Card) -> None:
        self.columns.add(card)
        self.counted.append(card)
        self.related.add(place, card)
        self.facets.add(card)
        self.synthetic += card.synthetic
        by_card = {"diagnosis": card.diagnoses, "specialty": _specialty(card)}
        for kind, pairs in by_card.items():
            self.labels[kind].update(pairs)
        for number, item in enumerate(card.items):
            packed = packed_item(place, number, item)
            self.overturned += packed & OVERTURNED
            for kind, keys in _item_keys(card, item):
                for key in keys:
                    self.grouped[kind][key].append(packed)
            for kind, pairs in by_card.items():
                for slug in dict.fromkeys(slug for slug, _label in pairs):
                    self.grouped[kind][slug].append(packed)
        self.items += len(card.items)


def _read_once(cards: CardStore, spill: ScratchBlobs | None = None) -> _ReadOnce:
    """One pass over the cards (newest first) for everything the index is made of; with
    ``spill``, the largest groups' items go there in pieces as they come."""
    read = _ReadOnce(spill=spill)
    for place, card in enumerate(cards):
        read.add(place, card)
        if place % SPILL_CHECK_CARDS == SPILL_CHECK_CARDS - 1:
            read.spill_pieces()
    return read


def _item_keys(card: Card, item: ItemFacts) -> Iterator[tuple[str, Iterable[str]]]:
    """The keys of an item's groups, each once, by kind (those that depend on the item)."""
    yield "year", [str(card.year) if card.year else UNDATED]
    yield "guideline", dict.fromkeys(item.reviewer.guideline_ids)
    yield "claims", dict.fromkeys(item.claims.guideline_ids)
    yield "section", dict.fromkeys(f"{g}/{s}" for g, s in item.section_refs)
    yield "treatment", [item.treatment_slug] if item.treatment_slug else []
    yield "category", [item.category_slug] if item.category_slug else []
    yield "outcome", [item.decision] if item.decision in OUTCOME_TITLES else []


MakeRefs: TypeAlias = "Callable[[array[int] | StoredItems], ItemRefs]"


def _years(by_year: Members, refs: MakeRefs) -> Iterable[Group]:
    for slug in sorted(by_year, key=lambda s: (s == UNDATED, -int(s) if s != UNDATED else 0)):
        label = "Year not stated" if slug == UNDATED else slug
        yield Group("year", slug, f"years/{slug}", label, refs(by_year[slug]))


def _guidelines(
    by_reviewer: Members, by_claims: Members, catalog: Catalog, refs: MakeRefs
) -> Iterable[Group]:
    for guideline in catalog:
        if guideline.id in by_reviewer or guideline.id in by_claims:
            yield Group(
                "guideline", guideline.id, f"guidelines/{guideline.id}", guideline.title,
                refs(by_reviewer.get(guideline.id, array("Q"))), description=guideline.issuer,
                claims=refs(by_claims.get(guideline.id, array("Q"))),
            )  # fmt: skip


def _sections(by_section: Members, catalog: Catalog, refs: MakeRefs) -> Iterable[Group]:
    for key in sorted(by_section):
        members = by_section[key]
        if len(members) < SECTION_PAGE_MIN_ITEMS:
            continue
        guideline_id, section_slug = key.split("/", 1)
        section = catalog.get(guideline_id).section(section_slug)
        title = section.title if section else section_slug
        yield Group(
            "section", key, f"guidelines/{key}", title, refs(members),
            parent_key=f"guidelines/{guideline_id}",
        )  # fmt: skip


def _treatments(by_treatment: Members, refs: MakeRefs) -> Iterable[Group]:
    for slug in sorted(by_treatment):
        members = refs(by_treatment[slug])
        first = members[0].item
        category = first.category_slug
        yield Group(
            "treatment", slug, f"treatments/{slug}", first.treatment_label, members,
            description=first.category_label,
            parent_key=f"treatments/category-{category}" if category else None,
        )  # fmt: skip


def _categories(by_category: Members, refs: MakeRefs) -> Iterable[Group]:
    for slug in sorted(by_category):
        members = refs(by_category[slug])
        yield Group(
            "category", slug, f"treatments/category-{slug}", members[0].item.category_label, members
        )


def _specialty(card: Card) -> list[tuple[str, str]]:
    return [(_slug(card.specialty), card.specialty)] if card.specialty else []


def _by_card_value(
    grouped: dict[str, Members], labels: Labels, kind: str, folder: str, refs: MakeRefs
) -> Iterable[Group]:
    """Groups of a value a whole card has (diagnosis groups, specialty): every item of a card
    that has it."""
    members, label = grouped[kind], labels[kind]
    for slug in sorted(members, key=lambda s: label[s].lower()):
        yield Group(kind, slug, f"{folder}/{slug}", label[slug], refs(members[slug]))


OUTCOME_TITLES = {"upheld": "Upheld", "overturned": "Overturned"}


def _outcomes(by_decision: Members, refs: MakeRefs) -> Iterable[Group]:
    for decision, title in OUTCOME_TITLES.items():
        if by_decision.get(decision):
            yield Group(
                "outcome", decision, f"outcomes/{decision}", title, refs(by_decision[decision])
            )


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

    def __init__(self, ordered: Iterable[Card]) -> None:
        self._numbers: dict[tuple[str, str], int] = {}
        self._members: list[array[int]] = []
        """The places of each relation group's cards, in order."""
        self._groups, self._ends = array("I"), array("Q")
        """The relation groups of each card, and where each card's groups end in ``_groups``."""
        for place, card in enumerate(ordered):
            self.add(place, card)
        self._found: dict[int, tuple[int, ...]] = {}

    def add(self, place: int, card: Card) -> None:
        """Add the card at ``place`` (cards are added in the site's order)."""
        for key in dict.fromkeys(_relation_keys(card)):
            number = self._numbers.setdefault(key, len(self._numbers))
            if number == len(self._members):
                self._members.append(array("I"))
            self._members[number].append(place)
            self._groups.append(number)
        self._ends.append(len(self._groups))

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

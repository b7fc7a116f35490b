"""Cross-linking: the groups every listing page shows (the kinds of ``groups.KINDS``), their items
and the related determinations of each determination page, as tables of the build's store
(``store.py``) filled in one pass over the published cards.

Statistics are per disputed item (a guideline page counts the items decided under it); listings show
each determination once, newest first. Every order is total, so builds are byte-identical.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NamedTuple, overload

from generator.cards import Card, determination_key, shortened_treatment
from generator.groups import KIND, KINDS, UNDATED, GroupKind, Naming, item_keys
from generator.normalize import Catalog, load_catalog
from generator.search.index import FacetBuilder, FacetValues
from generator.settings import LATEST_COUNT, RELATED_COUNT, TITLE_TREATMENT_LENGTH
from generator.store import CLAIMS, INDEXES, REVIEWER, Store, pickled

CARDS_AT_ONCE = 2000
"""Cards whose rows are inserted in one go while the tables are filled."""
CITED_BY = {
    1: "IMR reviewer",
    2: "claims administrator",
    3: "IMR reviewer and claims administrator",
}
"""Who cited a guideline for an item, by the sides' bits (``store.REVIEWER``, ``store.CLAIMS``)."""


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


class ListedItem(NamedTuple):
    """An item as a listing row shows it: the item as written, linked to its anchor."""

    number: int
    """Its position in the letter, from 1 (the anchor ``item-N`` of its determination's page)."""
    text: str
    decision: str
    cited_by: str = ""
    """On a guideline's listing: who cited the guideline for this item (``CITED_BY``)."""


class ListingRow(NamedTuple):
    """A determination as a listing shows it (``partials/listing.html.j2``): the items that put it
    in the listing, and how many it has in all."""

    place: int
    page_key: str
    year: int | None
    items: tuple[ListedItem, ...]
    item_count: int
    outcome: str
    specialty: str | None

    @property
    def other_items(self) -> int:
        """The determination's items not listed in the row."""
        return self.item_count - len(self.items)


class RelatedCard(NamedTuple):
    """Another determination as a determination page links to it."""

    place: int
    page_key: str
    year: int | None
    source: bytes = b""
    """Its record's cache key (shortened): what the page's cache key holds of it."""


@dataclass(frozen=True)
class Group:
    """The items (and so the determinations) that share a guideline, treatment, year, ..."""

    kind: str
    slug: str
    page_key: str
    title: str
    store: Store = field(repr=False, compare=False)
    description: str = ""
    parent_key: str | None = None
    outcomes: Outcomes = Outcomes(0, 0)
    """Of the items on the reviewer's side."""
    determination_count: int = 0
    """The determinations with an item on the reviewer's side."""
    claims_determination_count: int = 0
    """For a guideline: the determinations whose claims administrator cited it for an item."""

    @cached_property
    def places(self) -> array[int]:
        """The place of each determination listed (either side), newest first: four bytes a
        place, as the groups keep them to the end of rendering."""
        return array("I", self.store.column(
            "SELECT DISTINCT place FROM members WHERE kind = ? AND key = ? ORDER BY place",
            self.kind, self.slug,
        ))  # fmt: skip

    def rows(self, places: Sequence[int]) -> list[ListingRow]:
        """The listing rows of the determinations at ``places``, each with the items that put it
        in the group (and, on a guideline's listing, who cited it)."""
        if not places:
            return []
        matched: dict[int, list[tuple[int, int]]] = {place: [] for place in places}
        two_sided = KIND[self.kind].claims_keys is not None
        for place, number, sides in self.store.query(
            "SELECT place, number, SUM(side) FROM members WHERE kind = ? AND key = ?"
            " AND place BETWEEN ? AND ? GROUP BY place, number ORDER BY place, number",
            self.kind, self.slug, places[0], places[-1],
        ):  # fmt: skip
            if place in matched:
                matched[place].append((number, sides if two_sided else 0))
        return listing_rows(self.store, [(place, matched[place]) for place in places])


RELATED_ITEMS = (
    "SELECT place, number, text, overturned, treatment, guideline FROM items WHERE place IN"
)
LISTED = (
    "SELECT s.place, s.public_id, s.year, s.item_count, s.outcome, s.specialty, i.number, i.text,"
    " i.overturned FROM site s JOIN items i ON i.place = s.place WHERE s.place IN"
)
"""What a listing row shows of its determinations and their items."""


def listing_rows(
    store: Store, matches: Sequence[tuple[int, Sequence[tuple[int, int]] | None]]
) -> list[ListingRow]:
    """Listing rows of the places of ``matches``, each with its matching items ((index, sides)
    each), or all of its items where a match names none."""
    places = [place for place, _ in matches]
    marks = ", ".join("?" * len(places))
    determinations: dict[int, tuple[str, int | None, int, str, str | None]] = {}
    items: dict[tuple[int, int], tuple[str, int]] = {}
    for place, public_id, year, count, outcome, specialty, number, text, overturned in store.query(
        f"{LISTED} ({marks})", *places
    ):
        determinations[place] = (public_id, year, count, outcome, specialty)
        items[place, number] = (text, overturned)
    rows = []
    for place, matched in matches:
        public_id, year, count, outcome, specialty = determinations[place]
        chosen = [(number, 0) for number in range(count)] if matched is None else matched
        listed = tuple(
            ListedItem(number + 1, items[place, number][0],
                       "overturned" if items[place, number][1] else "upheld", CITED_BY.get(sides, ""))
            for number, sides in chosen
        )  # fmt: skip
        rows.append(
            ListingRow(place, determination_key(public_id), year, listed, count, outcome, specialty)
        )
    return rows


class Cards(Sequence[Card]):
    """The published cards, newest first, read from the store when asked for."""

    def __init__(self, store: Store, size: int) -> None:
        self.store = store
        self.size = size

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> Card: ...

    @overload
    def __getitem__(self, index: slice) -> list[Card]: ...

    def __getitem__(self, index: int | slice) -> Card | list[Card]:
        if isinstance(index, slice):
            return list(self.store.cards(range(self.size)[index]))
        if not -self.size <= index < self.size:
            raise IndexError(index)
        return self.store.card(index % self.size)

    def __iter__(self) -> Iterator[Card]:
        return self.store.cards()


@dataclass(frozen=True)
class SiteIndex:
    """Everything the renderer needs, in the order pages show it."""

    store: Store = field(repr=False)
    kinds: dict[str, tuple[Group, ...]]
    """Each kind's groups with pages, in the kind's order (``groups.KINDS``)."""
    catalog: Catalog = field(repr=False)
    years_column: array[int] = field(repr=False)
    """Each determination's year (0: not stated), newest first."""
    item_counts: array[int] = field(repr=False)
    """Each determination's number of items, newest first."""
    outcomes: Outcomes = Outcomes(0, 0)
    """Of every item of the site."""
    synthetic_count: int = 0
    search_facets: list[FacetValues] = field(default_factory=list, repr=False)
    """The search page's filters, their values numbered as search documents (oldest first)."""

    @cached_property
    def cards(self) -> Cards:
        """Newest first, ties broken by public id."""
        return Cards(self.store, len(self.item_counts))

    def of_kind(self, name: str) -> tuple[Group, ...]:
        return self.kinds.get(name, ())

    @property
    def years(self) -> tuple[Group, ...]:
        return self.of_kind("year")

    @property
    def guidelines(self) -> tuple[Group, ...]:
        return self.of_kind("guideline")

    @property
    def treatments(self) -> tuple[Group, ...]:
        return self.of_kind("treatment")

    @property
    def categories(self) -> tuple[Group, ...]:
        return self.of_kind("category")

    @property
    def latest(self) -> list[Card]:
        return self.cards[:LATEST_COUNT]

    def latest_rows(self) -> list[ListingRow]:
        """The newest determinations as listing rows, with all their items."""
        latest = range(min(LATEST_COUNT, len(self.item_counts)))
        return listing_rows(self.store, [(place, None) for place in latest])

    def groups(self) -> tuple[Group, ...]:
        """Every group that has pages of its own, kind by kind."""
        return tuple(group for kind in KINDS for group in self.of_kind(kind.name))

    def year_group(self, year: int | None) -> Group:
        return self.groups_by_key[KIND["year"].page_key(str(year) if year else UNDATED)]

    def has_page(self, page_key: str) -> bool:
        return page_key in self.groups_by_key

    @cached_property
    def groups_by_key(self) -> dict[str, Group]:
        return {group.page_key: group for group in self.groups()}

    def year(self, place: int) -> int | None:
        return self.years_column[place] or None

    def related_cards(self, places: Sequence[int]) -> list[RelatedCard]:
        """The determinations at ``places`` as a determination page links to them, in order."""
        marks = ", ".join("?" * len(places))
        found = {
            place: RelatedCard(place, determination_key(public_id), year, bytes(source))
            for place, public_id, year, source in self.store.query(
                f"SELECT place, public_id, year, source FROM site WHERE place IN ({marks})",  # noqa: S608 - only question marks
                *places,
            )
        }
        return [found[place] for place in places]

    def sections(self, card: Card) -> list[str]:
        """The page keys of the guideline sections a card's items cite (either side) that have
        pages, sorted, a key as often as it is cited."""
        return sorted(
            key
            for facts in card.items
            for ref in (*facts.claims.refs, *facts.reviewer.refs)
            if ref.section_slug
            and self.has_page(key := f"guidelines/{ref.guideline_id}/{ref.section_slug}")
        )

    def related_items(self, places: Sequence[int]) -> dict[int, list[tuple[ListedItem, str, str]]]:
        """Each item of the determinations at ``places`` as listed, with its treatment and the
        reviewer's first guideline (empty strings where none), by place."""
        found: dict[int, list[tuple[ListedItem, str, str]]] = {place: [] for place in places}
        marks = ", ".join("?" * len(places))
        sql = f"{RELATED_ITEMS} ({marks}) ORDER BY place, number"
        for place, number, text, overturned, treatment, guideline in self.store.query(sql, *places):
            listed = ListedItem(number + 1, text, "overturned" if overturned else "upheld")
            found[place].append((listed, treatment or "", guideline or ""))
        return found


def build_index(store: Store) -> SiteIndex:
    """Fill the store's cross-linking tables from the published cards (in one pass) and make the
    groups of every kind from them."""
    catalog = load_catalog()
    filled = _fill_tables(store)
    store.db.executescript(INDEXES)
    kinds = {kind.name: tuple(_groups(store, kind, filled)) for kind in KINDS}
    return SiteIndex(
        store=store,
        kinds=kinds,
        catalog=catalog,
        years_column=filled.years,
        item_counts=filled.item_counts,
        outcomes=Outcomes(filled.items - filled.overturned, filled.overturned),
        synthetic_count=filled.synthetic,
        search_facets=filled.facets.values(),
    )


def index_of_cards(cards: Iterable[Card], folder: Path) -> SiteIndex:
    """The index of ``cards`` alone, in a new store in ``folder`` (no records stage: for tests
    and tools that make cards themselves)."""
    store = Store.create(folder)
    store.insert(
        "records",
        (
            (0, seq, "", card.public_id, card.public_id, b"", card.recency, card.year,
             len(card.items), card.outcome, card.specialty, pickled(card))
            for seq, card in enumerate(cards)
        ),
    )  # fmt: skip
    store.publish(())
    return build_index(store)


@dataclass
class _Filled:
    """What one pass over the cards gathers besides the tables."""

    namings: dict[tuple[str, str], Naming] = field(default_factory=dict)
    tallies: dict[tuple[str, str], _Tally] = field(default_factory=dict)
    years: array[int] = field(default_factory=lambda: array("H"))
    item_counts: array[int] = field(default_factory=lambda: array("H"))
    facets: FacetBuilder = field(default_factory=FacetBuilder)
    items: int = 0
    overturned: int = 0
    synthetic: int = 0


def _fill_tables(store: Store) -> _Filled:
    filled = _Filled()
    rows: dict[str, list[tuple[object, ...]]] = {"items": [], "members": [], "relations": []}
    with store.transaction():
        for place, card in enumerate(store.cards()):
            _add_card(filled, rows, place, card)
            if place % CARDS_AT_ONCE == CARDS_AT_ONCE - 1:
                _flush(store, rows)
        _flush(store, rows)
    return filled


def _flush(store: Store, rows: dict[str, list[tuple[object, ...]]]) -> None:
    for table, found in rows.items():
        store.insert(table, found)
        found.clear()


def _add_card(
    filled: _Filled, rows: dict[str, list[tuple[object, ...]]], place: int, card: Card
) -> None:
    filled.years.append(card.year or 0)
    filled.item_counts.append(len(card.items))
    filled.synthetic += card.synthetic
    keys = item_keys(card)
    filled.facets.add([reviewer for reviewer, _claims in keys])
    for number, (item, (reviewer, claims)) in enumerate(zip(card.items, keys, strict=True)):
        overturned = item.decision == "overturned"
        filled.items += 1
        filled.overturned += overturned
        text = shortened_treatment(item.treatment_text, TITLE_TREATMENT_LENGTH)
        first_guideline = item.reviewer.guideline_ids[0] if item.reviewer.guideline_ids else None
        sections = " ".join(f"{g}/{s}" for g, s in item.section_refs)
        rows["items"].append(
            (place, number, overturned, text, item.treatment_slug, first_guideline,
             " ".join(item.reviewer.guideline_ids), sections, " ".join(item.claims.guideline_ids))
        )  # fmt: skip
        for side, by_kind in ((REVIEWER, reviewer), (CLAIMS, claims)):
            for kind, named in by_kind.items():
                for key, naming in named.items():
                    rows["members"].append((kind, key, place, number, side))
                    tally = filled.tallies.get((kind, key))
                    if tally is None:
                        tally = filled.tallies[kind, key] = _Tally()
                    tally.add(place, side, overturned)
                    if KIND[kind].named_by == "oldest":
                        filled.namings[kind, key] = naming
                    else:
                        filled.namings.setdefault((kind, key), naming)
    for ordinal, key in enumerate(dict.fromkeys(_relation_keys(card))):
        rows["relations"].append((key, place, ordinal))


def _relation_keys(card: Card) -> Iterable[str]:
    for item in card.items:
        if item.treatment_slug:
            for guideline_id in item.reviewer.guideline_ids[:1]:
                yield f"{item.treatment_slug}\t{guideline_id}"


def _groups(store: Store, kind: GroupKind, filled: _Filled) -> list[Group]:
    """A kind's groups with pages, in the kind's order, with their counts."""
    found = {key: tally for (name, key), tally in filled.tallies.items() if name == kind.name}
    keys = [
        key
        for key, tally in found.items()
        if tally.items >= kind.min_items or (tally.claims_determinations and kind.min_items <= 1)
    ]
    keys.sort(key=lambda key: kind.order(key, filled.namings[kind.name, key]))
    groups = []
    for key in keys:
        naming, tally = filled.namings[kind.name, key], found[key]
        outcomes = Outcomes(tally.items - tally.overturned, tally.overturned)
        groups.append(
            Group(
                kind.name, key, kind.page_key(key), naming.title, store, naming.description,
                naming.parent_key, outcomes, tally.determinations, tally.claims_determinations,
            )
        )  # fmt: skip
    return groups


@dataclass
class _Tally:
    """A group's counts, made as the cards go by (in the site's order)."""

    items: int = 0
    """On the reviewer's side."""
    overturned: int = 0
    determinations: int = 0
    claims_determinations: int = 0
    last: int = -1
    """The place of the last determination counted on the reviewer's side."""
    last_claims: int = -1

    def add(self, place: int, side: int, overturned: bool) -> None:
        if side == CLAIMS:
            if place != self.last_claims:
                self.claims_determinations += 1
                self.last_claims = place
            return
        self.items += 1
        self.overturned += overturned
        if place != self.last:
            self.determinations += 1
            self.last = place


def related_places(store: Store, place: int) -> tuple[int, ...]:
    """Up to RELATED_COUNT determinations sharing a treatment and a reviewer guideline with the
    one at ``place``, newest first: the nearest earlier ones (its precedents), and for the first
    few of a group the nearest later ones. A new determination, newer than those published, is
    nobody's precedent yet, so it changes no existing page's list unless its group had fewer than
    RELATED_COUNT + 1 members. Nearness is counted in the site's order."""
    keys = store.column("SELECT key FROM relations WHERE place = ? ORDER BY ordinal", place)
    nearest = [_nearest(store, key, place) for key in keys]
    if len(nearest) == 1:  # in one group: its nearest, with no ranking between groups
        earlier, later = nearest[0]
        return (*later, *earlier)
    ranks: dict[int, int] = {}
    for earlier, later in nearest:
        for rank, other in enumerate((*earlier, *later[::-1])):
            if rank < ranks.get(other, rank + 1):
                ranks[other] = rank
    # Nearest first, ties by place (the newer first); then shown newest first.
    chosen = sorted(ranks, key=lambda other: (ranks[other], other))[:RELATED_COUNT]
    return tuple(sorted(chosen))


def _nearest(store: Store, key: str, place: int) -> tuple[list[int], list[int]]:
    """Around ``place`` in a relation group: the RELATED_COUNT nearest earlier members, nearest
    first, and as many later ones as it takes to make up the count, newest first (so farthest
    first)."""
    earlier = store.column(
        "SELECT place FROM relations WHERE key = ? AND place > ? ORDER BY place LIMIT ?",
        key, place, RELATED_COUNT,
    )  # fmt: skip
    later = store.column(
        "SELECT place FROM relations WHERE key = ? AND place < ? ORDER BY place DESC LIMIT ?",
        key, place, RELATED_COUNT - len(earlier),
    )  # fmt: skip
    return earlier, later[::-1]

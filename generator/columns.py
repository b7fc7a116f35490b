"""What listings and determination pages need of the site's cards, as columns that forked workers
read without copying them: each card's id, year and outcome, the guideline sections with pages it
links to, and each item's text and decision, one ``bytes`` or ``array`` object per column, cards by their place in the site's
newest-first order.

A process that reads a Python object writes to it (its reference count), so a render worker that
read the cards made its own copy of every memory page they were on: at 100,000 determinations each
of the two workers came to hold about 250 MB, most of it copies of the main process's cards. A
column is one object: reading any card's value from it writes to one page.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeAlias

from generator.cards import TITLE_TREATMENT_LENGTH, Card, determination_key, shortened_treatment

NO_YEAR = 0
"""In ``CardColumns.years``: the determination states no year."""


class TextColumn:
    """Texts, joined in one UTF-8 ``bytes`` object, each found by where it ends."""

    def __init__(self, texts: Iterable[str] = ()) -> None:
        self.data, self.ends = bytearray(), array("Q")
        for text in texts:
            self.append(text)

    def append(self, text: str) -> None:
        self.data += text.encode("utf-8", errors="surrogatepass")
        self.ends.append(len(self.data))

    def __getitem__(self, number: int) -> str:
        start = self.ends[number - 1] if number else 0
        return self.data[start : self.ends[number]].decode("utf-8", errors="surrogatepass")

    def __len__(self) -> int:
        return len(self.ends)

    def __iter__(self) -> Iterator[str]:
        data, start = self.data, 0
        for end in self.ends:
            yield data[start:end].decode("utf-8", errors="surrogatepass")
            start = end


class RelatedCard(NamedTuple):
    """Another determination as a determination page links to it (its items: ``ItemColumns``)."""

    place: int
    page_key: str
    year: int | None


class ListedItem(NamedTuple):
    """An item as a listing row shows it: the item as written, linked to its anchor."""

    number: int
    """Its position in the letter, from 1 (the anchor ``item-N`` of its determination's page)."""
    text: str
    decision: str
    cited_by: str = ""
    """On a guideline's listing: who cited the guideline for this item (``CITED_BY``)."""


CITED_BY = {
    1: "IMR reviewer",
    2: "claims administrator",
    3: "IMR reviewer and claims administrator",
}
"""Who cited a guideline for an item, by the sides' bits: 1 the reviewer, 2 the claims
administrator."""


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


class Vocabulary:
    """Values numbered in the order first seen."""

    def __init__(self) -> None:
        self.values: list[Any] = []
        self._numbers: dict[Any, int] = {}

    def number(self, value: Any, key: Any = None) -> int:
        """The number of ``value`` (told apart by ``key`` when given)."""
        key = value if key is None else key
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = len(self.values)
            self.values.append(value)
        return found


class Codes:
    """Values many cards share (an outcome, a specialty), one number a card."""

    def __init__(self) -> None:
        self.codes = array("H")
        self.words = Vocabulary()

    def append(self, value: Any) -> None:
        self.codes.append(self.words.number(value))

    def __getitem__(self, number: int) -> Any:
        return self.words.values[self.codes[number]]


@dataclass(frozen=True)
class CardColumns:
    """Columns of the site's cards, by their place in its newest-first order."""

    ids: TextColumn
    years: array[int]
    item_counts: array[int]
    outcomes: Codes
    specialties: Codes
    section_keys: tuple[str, ...]
    """Every section page key that some card links to; ``section_codes`` number them."""
    section_codes: array[int]
    section_ends: array[int]
    """Where each card's codes end in ``section_codes``."""

    @classmethod
    def of(cls, cards: Iterable[Card], has_page: Callable[[str], bool]) -> CardColumns:
        """The columns of ``cards`` (newest first), ``has_page`` telling which groups have pages."""
        builder = CardColumnsBuilder()
        for card in cards:
            builder.add(card)
        return builder.columns(has_page)

    def __len__(self) -> int:
        return len(self.ids)

    def year(self, number: int) -> int | None:
        return self.years[number] or None

    def page_key(self, number: int) -> str:
        return determination_key(self.ids[number])

    def related_card(self, number: int) -> RelatedCard:
        return RelatedCard(number, self.page_key(number), self.year(number))

    def rows(self, items: ItemColumns, matches: Iterable[RowMatch]) -> list[ListingRow]:
        """The listing rows of the cards at the places of ``matches``, each with its matching
        items (all of its items where a match names none), read from the columns alone."""
        return [
            ListingRow(
                place,
                self.page_key(place),
                self.year(place),
                items.listed(place, matched),
                self.item_counts[place],
                self.outcomes[place],
                self.specialties[place],
            )
            for place, matched in matches
        ]

    def sections(self, number: int) -> list[str]:
        """The page keys of the guideline sections the card's items cite (either side) that have
        pages, sorted, a key as often as it is cited."""
        start = self.section_ends[number - 1] if number else 0
        codes = self.section_codes[start : self.section_ends[number]]
        return [self.section_keys[code] for code in codes]


class CardColumnsBuilder:
    """Card columns made as the cards go by (newest first), before it is known which guideline
    sections have pages: every section a card cites is kept until ``columns``."""

    def __init__(self) -> None:
        self._sections = Vocabulary()
        self._codes, self._ends = array("I"), array("Q")
        self.years, self._item_counts = array("H"), array("H")
        """Each card's year (NO_YEAR: not stated), also read by ``ItemColumns``."""
        self._ids = TextColumn()
        self._outcomes, self._specialties = Codes(), Codes()

    def add(self, card: Card) -> None:
        self._codes.extend(self._sections.number(key) for key in _sections(card))
        self._ends.append(len(self._codes))
        self._ids.append(card.public_id)
        self.years.append(card.year or NO_YEAR)
        self._item_counts.append(len(card.items))
        self._outcomes.append(card.outcome)
        self._specialties.append(card.specialty)

    def columns(self, has_page: Callable[[str], bool]) -> CardColumns:
        """The columns, each card's sections only those that have pages (``has_page``)."""
        keys = self._sections.values
        paged = {code for code, key in enumerate(keys) if has_page(key)}
        codes, ends, start = array("I"), array("Q"), 0
        for end in self._ends:
            codes.extend(code for code in self._codes[start:end] if code in paged)
            ends.append(len(codes))
            start = end
        return CardColumns(
            ids=self._ids,
            years=self.years,
            item_counts=self._item_counts,
            outcomes=self._outcomes,
            specialties=self._specialties,
            section_keys=tuple(keys),
            section_codes=codes,
            section_ends=ends,
        )


def _sections(card: Card) -> list[str]:
    """The page keys of every section the card's items cite (either side), sorted, a key as
    often as it is cited."""
    return sorted(
        f"guidelines/{ref.guideline_id}/{ref.section_slug}"
        for facts in card.items
        for ref in (*facts.claims.refs, *facts.reviewer.refs)
        if ref.section_slug
    )


class CountedItem(NamedTuple):
    """What a group's figures count of an item, besides its decision and year (``figures.py``)."""

    treatment_slug: str | None
    guidelines: tuple[str, ...]
    """The guidelines the reviewer cited."""
    sections: tuple[tuple[str, str], ...]
    """(guideline id, section slug) of the catalogued sections the reviewer cited."""
    claims_guidelines: tuple[str, ...]


RowMatch: TypeAlias = "tuple[int, Sequence[tuple[int, int]] | None]"
"""A listing row's card place and its matching items, (index, sides) each (``CITED_BY``); None
for all of its items."""


class ItemColumns:
    """The figures' facts of every item of the site's cards, by the card's place and the item's
    index: a few thousand distinct ``CountedItem`` for the whole site, numbered, and a number an
    item; with each card's year (``years``: the card columns' own). Figures are counted from
    these, not from the cards. Listings and related determinations read each item's text (as
    written, shortened like a title's) and decision from ``texts`` and ``overturned``."""

    def __init__(self, years: array[int]) -> None:
        self.years = years
        self.first_items = array("Q")
        """Where each card's items start in ``codes``."""
        self.codes = array("I")
        self.texts = TextColumn()
        self.overturned = array("B")
        self._facts = Vocabulary()

    def append(self, card: Card) -> None:
        """Add the next card (cards go in in the site's order)."""
        self.first_items.append(len(self.codes))
        for item in card.items:
            self.texts.append(shortened_treatment(item.treatment_text, TITLE_TREATMENT_LENGTH))
            self.overturned.append(item.decision == "overturned")
            facts = CountedItem(
                item.treatment_slug,
                item.reviewer.guideline_ids,
                item.section_refs,
                item.claims.guideline_ids,
            )
            self.codes.append(self._facts.number(facts))

    def year(self, place: int) -> int | None:
        return self.years[place] or None

    def of(self, place: int, number: int) -> CountedItem:
        """The facts of item ``number`` (its index) of the card at ``place``."""
        facts: list[CountedItem] = self._facts.values
        return facts[self.codes[self.first_items[place] + number]]

    def of_card(self, place: int) -> list[CountedItem]:
        """The facts of every item of the card at ``place``."""
        facts = self._facts.values
        return [facts[code] for code in self.codes[self.first_items[place] : self._end(place)]]

    def _end(self, place: int) -> int:
        return self.first_items[place + 1] if place + 1 < len(self.first_items) else len(self.codes)

    def item(self, place: int, number: int, sides: int = 0) -> ListedItem:
        """Item ``number`` (its index) of the card at ``place`` as a listing shows it."""
        at = self.first_items[place] + number
        decision = "overturned" if self.overturned[at] else "upheld"
        return ListedItem(number + 1, self.texts[at], decision, CITED_BY.get(sides, ""))

    def listed(
        self, place: int, matched: Sequence[tuple[int, int]] | None
    ) -> tuple[ListedItem, ...]:
        """The items ``matched`` ((index, sides) each) of the card at ``place``; None: all."""
        if matched is None:
            count = self._end(place) - self.first_items[place]
            return tuple([self.item(place, number) for number in range(count)])
        return tuple([self.item(place, number, sides) for number, sides in matched])

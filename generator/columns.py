"""What a determination page needs of the site's cards, as columns that forked workers read
without copying them: each card's id, title and year, and the guideline sections with pages it
links to, one ``bytes`` or ``array`` object per column, cards by their place in the site's
newest-first order.

A process that reads a Python object writes to it (its reference count), so a render worker that
read the cards made its own copy of every memory page they were on: at 100,000 determinations each
of the two workers came to hold about 250 MB, most of it copies of the main process's cards. A
column is one object: reading any card's value from it writes to one page.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from generator.cards import Card, determination_key

NO_YEAR = 0
"""In ``CardColumns.years``: the determination states no year."""


class TextColumn:
    """Texts, joined in one UTF-8 ``bytes`` object, each found by where it ends."""

    def __init__(self, texts: Iterable[str]) -> None:
        data = bytearray()
        ends = array("Q")
        for text in texts:
            data += text.encode("utf-8", errors="surrogatepass")
            ends.append(len(data))
        self.data, self.ends = bytes(data), ends

    def __getitem__(self, number: int) -> str:
        start = self.ends[number - 1] if number else 0
        return self.data[start : self.ends[number]].decode("utf-8", errors="surrogatepass")

    def __len__(self) -> int:
        return len(self.ends)


class RelatedCard(NamedTuple):
    """Another determination as a determination page links to it."""

    page_key: str
    title: str
    year: int | None


@dataclass(frozen=True)
class CardColumns:
    """Columns of the site's cards, by their place in its newest-first order."""

    ids: TextColumn
    titles: TextColumn
    years: array[int]
    section_keys: tuple[str, ...]
    """Every section page key that some card links to; ``section_codes`` number them."""
    section_codes: array[int]
    section_ends: array[int]
    """Where each card's codes end in ``section_codes``."""

    @classmethod
    def of(cls, cards: Sequence[Card], has_page: Callable[[str], bool]) -> CardColumns:
        """The columns of ``cards`` (newest first), ``has_page`` telling which groups have pages."""
        numbers: dict[str, int] = {}
        codes, ends = array("I"), array("Q")
        for card in cards:
            codes.extend(numbers.setdefault(key, len(numbers)) for key in _sections(card, has_page))
            ends.append(len(codes))
        return cls(
            ids=TextColumn(card.public_id for card in cards),
            titles=TextColumn(card.title for card in cards),
            years=array("H", (card.year or NO_YEAR for card in cards)),
            section_keys=tuple(numbers),
            section_codes=codes,
            section_ends=ends,
        )

    def __len__(self) -> int:
        return len(self.ids)

    def year(self, number: int) -> int | None:
        return self.years[number] or None

    def page_key(self, number: int) -> str:
        return determination_key(self.ids[number])

    def related_card(self, number: int) -> RelatedCard:
        return RelatedCard(self.page_key(number), self.titles[number], self.year(number))

    def sections(self, number: int) -> list[str]:
        """The page keys of the guideline sections the card's items cite (either side) that have
        pages, sorted, a key as often as it is cited."""
        start = self.section_ends[number - 1] if number else 0
        codes = self.section_codes[start : self.section_ends[number]]
        return [self.section_keys[code] for code in codes]


def _sections(card: Card, has_page: Callable[[str], bool]) -> list[str]:
    return sorted(
        key
        for facts in card.items
        for ref in (*facts.claims.refs, *facts.reviewer.refs)
        if ref.section_slug and has_page(key := f"guidelines/{ref.guideline_id}/{ref.section_slug}")
    )

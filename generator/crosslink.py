"""Group determination cards into the listings the site links between (by year, latest, totals)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from generator.cards import Card

LATEST_COUNT = 20
UNDATED = "undated"


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
    def of(cls, cards: Sequence[Card]) -> Outcomes:
        upheld = sum(card.upheld_count for card in cards)
        overturned = sum(card.overturned_count for card in cards)
        return cls(upheld=upheld, overturned=overturned)


@dataclass(frozen=True)
class YearGroup:
    """The determinations decided in one year (or with no decision date)."""

    slug: str
    label: str
    cards: tuple[Card, ...]
    outcomes: Outcomes

    @property
    def page_key(self) -> str:
        return f"years/{self.slug}"


@dataclass(frozen=True)
class SiteIndex:
    """Everything the renderer needs, in the order pages show it."""

    cards: tuple[Card, ...]
    """Newest first, ties broken by public id, so the order is the same on every build."""
    years: tuple[YearGroup, ...]
    outcomes: Outcomes
    synthetic_count: int

    @property
    def latest(self) -> tuple[Card, ...]:
        return self.cards[:LATEST_COUNT]

    def year_of(self, card: Card) -> YearGroup:
        slug = str(card.year) if card.year is not None else UNDATED
        return next(group for group in self.years if group.slug == slug)


def newest_first(cards: Sequence[Card]) -> list[Card]:
    return sorted(cards, key=lambda card: (-card.recency, card.public_id))


def build_index(cards: Sequence[Card]) -> SiteIndex:
    """Sort and group cards; every listing is in a deterministic order."""
    ordered = newest_first(cards)
    by_year: dict[int | None, list[Card]] = defaultdict(list)
    for card in ordered:
        by_year[card.year].append(card)
    dated_years = sorted((y for y in by_year if y is not None), reverse=True)
    years = [_year_group(str(year), str(year), by_year[year]) for year in dated_years]
    if None in by_year:
        years.append(_year_group(UNDATED, "Year not stated", by_year[None]))
    return SiteIndex(
        cards=tuple(ordered),
        years=tuple(years),
        outcomes=Outcomes.of(ordered),
        synthetic_count=sum(card.synthetic for card in ordered),
    )


def _year_group(slug: str, label: str, members: list[Card]) -> YearGroup:
    return YearGroup(slug=slug, label=label, cards=tuple(members), outcomes=Outcomes.of(members))

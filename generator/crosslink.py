"""Group public determinations into the listings the site links between (by year, latest, totals)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from generator.anonymize import PublicDetermination

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
    def of(cls, determinations: Sequence[PublicDetermination]) -> Outcomes:
        upheld = sum(d.upheld_count for d in determinations)
        overturned = sum(d.overturned_count for d in determinations)
        return cls(upheld=upheld, overturned=overturned)


@dataclass(frozen=True)
class YearGroup:
    """The determinations decided in one year (or with no decision date)."""

    slug: str
    label: str
    determinations: tuple[PublicDetermination, ...]
    outcomes: Outcomes


@dataclass(frozen=True)
class SiteIndex:
    """Everything the renderer needs, in the order pages show it."""

    determinations: tuple[PublicDetermination, ...]
    """Newest first, ties broken by public id, so the order is the same on every build."""
    years: tuple[YearGroup, ...]
    outcomes: Outcomes
    synthetic_count: int

    @property
    def latest(self) -> tuple[PublicDetermination, ...]:
        return self.determinations[:LATEST_COUNT]


def newest_first(determinations: Sequence[PublicDetermination]) -> list[PublicDetermination]:
    return sorted(determinations, key=lambda d: (-d.recency, d.public_id))


def build_index(determinations: Sequence[PublicDetermination]) -> SiteIndex:
    """Sort and group determinations; every listing is in a deterministic order."""
    ordered = newest_first(determinations)
    by_year: dict[int | None, list[PublicDetermination]] = defaultdict(list)
    for determination in ordered:
        by_year[determination.year].append(determination)
    dated_years = sorted((y for y in by_year if y is not None), reverse=True)
    years = [_year_group(str(year), str(year), by_year[year]) for year in dated_years]
    if None in by_year:
        years.append(_year_group(UNDATED, "Year not stated", by_year[None]))
    return SiteIndex(
        determinations=tuple(ordered),
        years=tuple(years),
        outcomes=Outcomes.of(ordered),
        synthetic_count=sum(d.synthetic for d in ordered),
    )


def _year_group(slug: str, label: str, members: list[PublicDetermination]) -> YearGroup:
    return YearGroup(
        slug=slug, label=label, determinations=tuple(members), outcomes=Outcomes.of(members)
    )

"""A group's figures: its outcome counts, overall and by year, and the treatments, guidelines and
sections its items cite most, as its own page shows them.

They are counted over every item of the group: at 20,000 determinations, 600,000 item references
counted again in every build. With a build cache, a group's figures are kept with a digest of the
items they count (their records' cache keys, oldest first). When the items of the last build are
still the group's oldest, as after publishing newer determinations, only the newer items are
counted and added (``figures_of``); anything else is counted afresh.
"""

from __future__ import annotations

import hashlib
import pickle
from collections import Counter
from dataclasses import dataclass, replace
from typing import Protocol

from generator.cache import BuildCache
from generator.crosslink import Group, ItemRefs, Outcomes

UNDATED_YEAR = "n/a"
HASHED_AT_ONCE = 4096
"""Record keys joined before they are fed to a digest (``_hash_records``)."""
RECENT_DAYS = 92
"""Items decided within this many days of a group's newest are counted in every build, not kept:
a batch of new determinations often holds some decided before the newest of the last batch, which
sort among those; the figures kept for the older items then still hold."""


class Hash(Protocol):
    """What ``_hash_records`` asks of a ``hashlib`` object."""

    def update(self, data: bytes, /) -> None: ...


class RecordKeys(Protocol):
    """The cache key of each determination's record by its place in the site's order
    (``stages.SourceKeys``)."""

    def at(self, place: int) -> bytes: ...


@dataclass(frozen=True)
class GroupFigures:
    """Counts over a group's items: they add up, so those of older and newer items can be kept
    apart and summed."""

    decisions: Counter[str]
    claims_decisions: Counter[str]
    """Of the items whose claims administrator cited the group's guideline (guidelines only)."""
    by_year: Counter[tuple[str, str]]
    """(decision year or "n/a", decision)"""
    treatments: Counter[str]
    guidelines: Counter[str]
    """The guidelines the reviewers cited."""
    sections: Counter[str]
    """For a guideline: "guideline/section" of the sections the reviewers cited."""
    agreement: int = 0
    """For a guideline: items whose claims administrator cited it too."""

    @classmethod
    def count(cls, group: Group, items: ItemRefs, claims_items: ItemRefs) -> GroupFigures:
        """Count ``items`` (and ``claims_items``) of ``group``, reading each item once (this runs
        over every item of the group when nothing was kept)."""
        figures = cls(Counter(), Counter(), Counter(), Counter(), Counter(), Counter())
        count_treatments = group.kind != "treatment"
        count_guidelines = group.kind not in ("guideline", "section")
        guideline = group.slug if group.kind == "guideline" else None
        agreement = 0
        for year, decision, item in items.counted_items():
            figures.decisions[decision] += 1
            figures.by_year[str(year) if year else UNDATED_YEAR, decision] += 1
            if count_treatments and item.treatment_slug:
                figures.treatments[item.treatment_slug] += 1
            if count_guidelines:
                figures.guidelines.update(item.guidelines)
            if guideline:
                figures.sections.update(f"{g}/{s}" for g, s in item.sections if g == guideline)
                agreement += guideline in item.claims_guidelines
        figures.claims_decisions.update(claims_items.decisions())
        return replace(figures, agreement=agreement)

    def __add__(self, other: GroupFigures) -> GroupFigures:
        return GroupFigures(
            decisions=self.decisions + other.decisions,
            claims_decisions=self.claims_decisions + other.claims_decisions,
            by_year=self.by_year + other.by_year,
            treatments=self.treatments + other.treatments,
            guidelines=self.guidelines + other.guidelines,
            sections=self.sections + other.sections,
            agreement=self.agreement + other.agreement,
        )

    @property
    def items(self) -> int:
        return sum(self.decisions.values())

    @property
    def outcomes(self) -> Outcomes:
        return _outcomes(self.decisions)

    @property
    def claims_outcomes(self) -> Outcomes:
        return _outcomes(self.claims_decisions)

    def years(self) -> list[tuple[str, Outcomes]]:
        """Outcomes by decision year, oldest first ("n/a" last)."""
        years = sorted({year for year, _decision in self.by_year})
        return [
            (year, Outcomes(self.by_year[year, "upheld"], self.by_year[year, "overturned"]))
            for year in years
        ]


def _outcomes(decisions: Counter[str]) -> Outcomes:
    return Outcomes(upheld=decisions["upheld"], overturned=decisions["overturned"])


@dataclass(frozen=True)
class _Kept:
    """A group's figures as the last build left them, with the digests of what they count."""

    items: int
    claims_items: int
    items_digest: bytes
    claims_digest: bytes
    figures: GroupFigures


def figures_of(group: Group, cache: BuildCache, sources: RecordKeys) -> tuple[GroupFigures, str]:
    """A group's figures, from those the last build kept where its items are still the oldest of
    the group; returns them and the cache key they are kept under ("" without a cache).

    ``sources`` gives each determination's record cache key, which covers everything its card
    holds: so the sequence of a group's records fixes its items, and what they count. The recent
    items (``RECENT_DAYS``) are counted apart and not kept."""
    if cache.root is None:
        return GroupFigures.count(group, group.items, group.claims_items), ""
    slot = cache.key("group figures", group.kind, group.page_key)
    kept = _load(cache, slot)
    items = _split(
        group.items, kept.items if kept else 0, kept.items_digest if kept else b"", sources
    )
    claims = _split(
        group.claims_items,
        kept.claims_items if kept else 0,
        kept.claims_digest if kept else b"",
        sources,
    )
    if kept is not None and items.newer is not None and claims.newer is not None:
        stable = kept.figures + GroupFigures.count(group, items.newer, claims.newer)
    else:
        stable = GroupFigures.count(group, items.stable, claims.stable)
    state = _Kept(len(items.stable), len(claims.stable), items.digest, claims.digest, stable)
    cache.store("chunks", slot, pickle.dumps(state, pickle.HIGHEST_PROTOCOL))
    return stable + GroupFigures.count(group, items.recent, claims.recent), slot


@dataclass(frozen=True)
class _Split:
    """A group's list of items (newest first), cut for the figures a build keeps."""

    stable: ItemRefs
    """All but the recent ones: what the figures kept for the next build count."""
    recent: ItemRefs
    newer: ItemRefs | None
    """Those of ``stable`` newer than the kept ones; None if the kept ones are not its oldest."""
    digest: bytes
    """Of the records of ``stable``, oldest first."""


def _split(refs: ItemRefs, kept: int, kept_digest: bytes, sources: RecordKeys) -> _Split:
    recent = _recent(refs)
    stable, older = refs[recent:], len(refs) - kept
    digest = hashlib.sha256()
    if older >= recent:
        _hash_records(digest, refs[older:], sources)
    if older < recent or digest.digest() != kept_digest:
        whole = hashlib.sha256()
        _hash_records(whole, stable, sources)
        return _Split(stable, refs[:recent], None, whole.digest())
    _hash_records(digest, refs[recent:older], sources)
    return _Split(stable, refs[:recent], refs[recent:older], digest.digest())


def _recent(refs: ItemRefs) -> int:
    """How many of ``refs`` (newest first) were decided within RECENT_DAYS of the newest."""
    if not refs:
        return 0
    since = refs[0].card.recency - RECENT_DAYS
    return next((n for n, ref in enumerate(refs) if ref.card.recency <= since), len(refs))


def _hash_records(digest: Hash, refs: ItemRefs, sources: RecordKeys) -> None:
    """Feed ``digest`` the record cache keys of ``refs``, oldest first (by their cards' places,
    without reading the cards), HASHED_AT_ONCE at a time: the keys of every item of a group at
    once took about 100 bytes an item, in the largest groups half a million items."""
    block: list[bytes] = []
    for place in refs.places_oldest_first():
        block.append(sources.at(place))
        if len(block) == HASHED_AT_ONCE:
            digest.update(b"".join(block))
            block.clear()
    digest.update(b"".join(block))


def _load(cache: BuildCache, slot: str) -> _Kept | None:
    data = cache.load("chunks", slot)
    if data is None:
        return None
    try:
        kept = pickle.loads(data)  # noqa: S301 - the build's own cache
    except (pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError):
        return None
    return kept if isinstance(kept, _Kept) else None

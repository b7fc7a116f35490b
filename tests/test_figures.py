"""A group's figures: kept in the build cache and added to, they equal a count of all its items."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from pytest import MonkeyPatch
from test_render import card

from generator import figures
from generator.anonymize import PublicDetermination, PublicItem
from generator.cache import BuildCache
from generator.cards import Card
from generator.crosslink import Group, build_index
from generator.figures import GroupFigures, _split, figures_of
from generator.stages import INDEX_KEY_BYTES, SourceKeys


def cards(first: int, count: int, *, decision: str = "upheld") -> list[Card]:
    """Synthetic determinations numbered ``first`` on, each decided MONTH days after the one
    before; every third one's claims administrator cites no guideline."""
    return [
        card(
            PublicDetermination(
                f"id{number:04d}", 2014 + number // 10, "40–49", "male",
                "Pain Medicine" if number % 3 else "Psychiatry", (),
                (
                    PublicItem(1, "Norco 10/325mg #120", decision, CHRONIC if number % 3 else None, OPIOIDS, "Because.", None),  # type: ignore[arg-type]
                    PublicItem(2, "Acupuncture 6 sessions", "overturned", None, CHRONIC, "Because.", None),
                ),
                "Summary (synthetic).", True, number * MONTH,
            )
        )
        for number in range(first, first + count)
    ]  # fmt: skip


MONTH = 30
"""Days between two determinations: the last four of a group are within RECENT_DAYS (92)."""
CHRONIC = "MTUS Chronic Pain Medical Treatment Guidelines."
OPIOIDS = "MTUS Chronic Pain Medical Treatment Guidelines, Section(s): Opioids."


def sources_of(site: list[Card], changed: str = "") -> SourceKeys:
    """Record cache keys: one per determination (``changed``: that one's record was edited), in
    the site's order, as a build has them."""
    ids = [card.public_id for card in build_index(site).cards]
    keys = [(i + ("*" if i == changed else "")).encode().ljust(INDEX_KEY_BYTES, b"-") for i in ids]
    return SourceKeys(b"".join(keys))


def groups(site: list[Card]) -> list[Group]:
    return list(build_index(site).groups())


def test_figures_count_every_item_of_a_group() -> None:
    site = cards(0, 25)
    year = next(g for g in groups(site) if g.page_key == "years/2015")
    figures = GroupFigures.count(year, year.items, year.claims_items)
    assert figures.outcomes.upheld == 10 and figures.outcomes.overturned == 10
    assert figures.items == 20 and [year for year, _ in figures.years()] == ["2015"]
    guideline = next(g for g in groups(site) if g.page_key == "guidelines/mtus-chronic-pain-2009")
    figures = GroupFigures.count(guideline, guideline.items, guideline.claims_items)
    assert figures.items == 50 and figures.claims_outcomes.total == 16  # id0001, id0002, id0004...
    assert figures.agreement == 16 and figures.sections == {"mtus-chronic-pain-2009/opioids": 25}


def test_kept_figures_plus_the_newer_items_equal_a_fresh_count(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache", "code")
    before = cards(0, 30)
    for group in groups(before):
        figures_of(group, cache, sources_of(before))
    after = before + cards(30, 7)
    for group in groups(after):
        kept, key = figures_of(group, cache, sources_of(after))
        assert key and kept == GroupFigures.count(group, group.items, group.claims_items), group


def test_only_the_items_newer_than_the_kept_ones_are_counted_again(tmp_path: Path) -> None:
    before, after = cards(0, 30), cards(0, 37)
    old = next(g for g in groups(before) if g.page_key == "outcomes/upheld")
    new = next(g for g in groups(after) if g.page_key == "outcomes/upheld")
    kept = _split(old.items, 0, b"", sources_of(before))
    assert kept.newer is None  # nothing kept: everything is counted
    # The recent items are counted apart, not kept: a later batch may hold some decided before
    # the newest of this one.
    assert [ref.card.public_id for ref in kept.recent] == ["id0029", "id0028", "id0027", "id0026"]
    now = _split(new.items, len(kept.stable), kept.digest, sources_of(after))
    assert now.newer is not None and [ref.card.public_id for ref in now.newer] == [
        f"id{number:04d}" for number in range(32, 25, -1)
    ]
    # An older record was edited: the kept figures no longer count the group's oldest items.
    assert (
        _split(new.items, len(kept.stable), kept.digest, sources_of(after, "id0003")).newer is None
    )


def test_a_batch_may_hold_determinations_older_than_the_newest_of_the_last(tmp_path: Path) -> None:
    """A determination decided before the newest of the last build sorts among the recent ones,
    which the kept figures do not count; one decided before those voids what was kept."""
    cache = BuildCache(tmp_path / "cache", "code")
    before = cards(0, 30)
    for group in groups(before):
        figures_of(group, cache, sources_of(before))
    late = replace(cards(28, 1)[0], public_id="id0028z")  # decided with id0028, published later
    after = [*before, late]
    for group in groups(after):
        counted, _key = figures_of(group, cache, sources_of(after))
        assert counted == GroupFigures.count(group, group.items, group.claims_items), group
    upheld = next(g for g in groups(before) if g.page_key == "outcomes/upheld")
    kept = _split(upheld.items, 0, b"", sources_of(before))
    for added, delta in ((late, True), (replace(cards(20, 1)[0], public_id="id0020z"), False)):
        site = [*before, added]
        group = next(g for g in groups(site) if g.page_key == "outcomes/upheld")
        split = _split(group.items, len(kept.stable), kept.digest, sources_of(site))
        assert (split.newer is not None) is delta, added.public_id


def test_figures_are_counted_afresh_when_an_older_record_changed(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache", "code")
    before = cards(0, 30)
    for group in groups(before):
        figures_of(group, cache, sources_of(before))
    edited = [*before[:2], *cards(2, 1, decision="overturned"), *before[3:]]
    for group in groups(edited):
        figures, _key = figures_of(group, cache, sources_of(edited, "id0002"))
        assert figures == GroupFigures.count(group, group.items, group.claims_items), group


def test_a_groups_records_are_digested_oldest_first_in_blocks(monkeypatch: MonkeyPatch) -> None:
    site = cards(0, 40)
    sources = sources_of(site)
    group = max(groups(site), key=lambda found: len(found.items))
    assert len(group.items) >= 40
    places = list(group.items.places())
    expected = hashlib.sha256(b"".join(sources.at(place) for place in reversed(places))).digest()
    assert list(group.items.places_oldest_first()) == places[::-1]
    for block in (1, 3, 4096):
        monkeypatch.setattr(figures, "HASHED_AT_ONCE", block)
        digest = hashlib.sha256()
        figures._hash_records(digest, group.items, sources)
        assert digest.digest() == expected

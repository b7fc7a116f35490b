"""A group's figures: counts over its items in the build's store."""

from __future__ import annotations

from pathlib import Path

from test_render import card

from generator.anonymize import PublicDetermination, PublicItem
from generator.cards import Card
from generator.crosslink import Group, index_of_cards
from generator.figures import GroupFigures


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
CHRONIC = "MTUS Chronic Pain Medical Treatment Guidelines."
OPIOIDS = "MTUS Chronic Pain Medical Treatment Guidelines, Section(s): Opioids."


def groups(site: list[Card], folder: Path) -> list[Group]:
    return list(index_of_cards(site, folder).groups())


def test_figures_count_every_item_of_a_group(tmp_path: Path) -> None:
    site = cards(0, 25)
    found = groups(site, tmp_path)
    year = next(g for g in found if g.page_key == "years/2015")
    figures = GroupFigures.count(year)
    assert figures.outcomes.upheld == 10 and figures.outcomes.overturned == 10
    assert figures.items == 20 and [year for year, _ in figures.years()] == ["2015"]
    assert figures.treatments == {"hydrocodone-acetaminophen": 10, "acupuncture": 10}
    assert figures.guidelines == {"mtus-chronic-pain-2009": 20}
    guideline = next(g for g in found if g.page_key == "guidelines/mtus-chronic-pain-2009")
    figures = GroupFigures.count(guideline)
    assert figures.items == 50 and figures.claims_outcomes.total == 16  # id0001, id0002, id0004...
    assert figures.agreement == 16 and figures.sections == {"mtus-chronic-pain-2009/opioids": 25}
    assert figures.guidelines == {}  # a guideline's page does not list guidelines


def test_figures_by_year_and_decision_add_up_to_the_groups_outcomes(tmp_path: Path) -> None:
    site = cards(0, 12) + cards(12, 9, decision="overturned")
    for group in groups(site, tmp_path):
        figures = GroupFigures.count(group)
        assert figures.outcomes == group.outcomes, group.page_key
        assert sum(o.total for _, o in figures.years()) == figures.items, group.page_key

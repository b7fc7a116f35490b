"""A group's figures: its outcome counts, overall and by year, and the treatments, guidelines and
sections its items cite most, as its own page shows them: ``GROUP BY`` queries on the store's
memberships (``store.py``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from generator.crosslink import Group, Outcomes
from generator.store import CLAIMS, REVIEWER

UNDATED_YEAR = "n/a"

ITEMS_OF_GROUP = (
    "SELECT i.overturned, s.year, i.treatment, i.guidelines, i.sections, i.claims_guidelines,"
    " COUNT(*) FROM members m JOIN items i ON i.place = m.place AND i.number = m.number"
    " JOIN site s ON s.place = m.place WHERE m.kind = ? AND m.key = ? AND m.side = ?"
    " GROUP BY 1, 2, 3, 4, 5, 6"
)
"""What the figures count of a group's items on one side, and how many items have each."""
CLAIMS_DECISIONS = (
    "SELECT i.overturned, COUNT(*) FROM members m"
    " JOIN items i ON i.place = m.place AND i.number = m.number"
    " WHERE m.kind = ? AND m.key = ? AND m.side = ? GROUP BY 1"
)


@dataclass(frozen=True)
class GroupFigures:
    """Counts over a group's items (on the reviewer's side, but ``claims_decisions``)."""

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
    def count(cls, group: Group) -> GroupFigures:
        """Count the items of ``group`` in the store: items alike in all the figures count show
        are read as one row with their number."""
        figures = cls(Counter(), Counter(), Counter(), Counter(), Counter(), Counter())
        count_treatments = group.kind != "treatment"
        count_guidelines = group.kind not in ("guideline", "section")
        guideline = group.slug if group.kind == "guideline" else None
        agreement = 0
        for overturned, year, treatment, guidelines, sections, claims, count in group.store.rows(
            ITEMS_OF_GROUP, group.kind, group.slug, REVIEWER
        ):
            decision = _decision(overturned)
            figures.decisions[decision] += count
            figures.by_year[str(year) if year else UNDATED_YEAR, decision] += count
            if count_treatments and treatment:
                figures.treatments[treatment] += count
            if count_guidelines:
                for cited in guidelines.split():
                    figures.guidelines[cited] += count
            if guideline:
                for section in sections.split():
                    if section.startswith(guideline + "/"):
                        figures.sections[section] += count
                agreement += count * (guideline in claims.split())
        for overturned, count in group.store.rows(CLAIMS_DECISIONS, group.kind, group.slug, CLAIMS):
            figures.claims_decisions[_decision(overturned)] += count
        return replace(figures, agreement=agreement)

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


def _decision(overturned: int) -> str:
    return "overturned" if overturned else "upheld"


def _outcomes(decisions: Counter[str]) -> Outcomes:
    return Outcomes(upheld=decisions["upheld"], overturned=decisions["overturned"])

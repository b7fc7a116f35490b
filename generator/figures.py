"""A group's figures: its outcome counts, overall and by year, and the treatments, guidelines and
sections its items cite most, as its own page shows them: ``GROUP BY`` queries on the store's
memberships (``store.py``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from generator.crosslink import Group, Outcomes
from generator.store import CLAIMS, REVIEWER

UNDATED_YEAR = "n/a"

_OF_GROUP = (
    " FROM members m JOIN items i ON i.place = m.place AND i.number = m.number"
    " WHERE m.kind = ? AND m.key = ? AND m.side = ?"
)
_ALSO_IN = (
    " FROM members m JOIN members o ON o.place = m.place AND o.number = m.number"
    " WHERE m.kind = ? AND m.key = ? AND m.side = ? AND o.kind = ? AND o.side = ?"
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
        """Count the items of ``group`` in the store."""
        store, of_group = group.store, (group.kind, group.slug)
        decisions = Counter(
            {
                _decision(overturned): n
                for overturned, n in store.query(
                    f"SELECT i.overturned, COUNT(*){_OF_GROUP} GROUP BY 1", *of_group, REVIEWER
                )
            }
        )
        claims = Counter(
            {
                _decision(overturned): n
                for overturned, n in store.query(
                    f"SELECT i.overturned, COUNT(*){_OF_GROUP} GROUP BY 1", *of_group, CLAIMS
                )
            }
        )
        by_year: Counter[tuple[str, str]] = Counter()
        for year, overturned, n in store.query(
            "SELECT s.year, i.overturned, COUNT(*)" + _OF_GROUP.replace(
                " WHERE", " JOIN site s ON s.place = m.place WHERE"
            ) + " GROUP BY 1, 2", *of_group, REVIEWER,
        ):  # fmt: skip
            by_year[str(year) if year else UNDATED_YEAR, _decision(overturned)] += n
        treatments: Counter[str] = Counter()
        if group.kind != "treatment":
            treatments.update(dict(store.query(
                f"SELECT i.treatment, COUNT(*){_OF_GROUP} AND i.treatment IS NOT NULL GROUP BY 1",
                *of_group, REVIEWER,
            )))  # fmt: skip
        guidelines: Counter[str] = Counter()
        if group.kind not in ("guideline", "section"):
            guidelines.update(dict(store.query(
                f"SELECT o.key, COUNT(*){_ALSO_IN} GROUP BY 1",
                *of_group, REVIEWER, "guideline", REVIEWER,
            )))  # fmt: skip
        sections: Counter[str] = Counter()
        agreement = 0
        if group.kind == "guideline":
            sections.update(dict(store.query(
                f"SELECT o.key, COUNT(*){_ALSO_IN} AND o.key LIKE ? ESCAPE '\\' GROUP BY 1",
                *of_group, REVIEWER, "section", REVIEWER, _like_prefix(group.slug + "/"),
            )))  # fmt: skip
            agreement = store.value(
                f"SELECT COUNT(*){_ALSO_IN} AND o.key = m.key",
                *of_group, REVIEWER, "guideline", CLAIMS,
            )  # fmt: skip
        return cls(decisions, claims, by_year, treatments, guidelines, sections, agreement)

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


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern matching what starts with ``prefix``."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"

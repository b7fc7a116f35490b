"""The compact form of a determination that listings, cross-links and search facets need.

Cards stay in memory for the whole build (a few hundred bytes each); the full public text of a
determination is only held while its own page is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.anonymize import PublicDetermination
from generator.classify import DeterminationFacts, ItemFacts
from generator.pickling import quick_pickle
from generator.schema import Decision

TITLE_TREATMENT_LENGTH = 90
SNIPPET_LENGTH = 240


@quick_pickle
@dataclass(frozen=True, slots=True)
class Card:
    """One determination as listed: enough to link to it and count its outcomes."""

    public_id: str
    title: str
    year: int | None
    recency: int
    items: tuple[ItemFacts, ...]
    diagnoses: tuple[tuple[str, str], ...]
    specialty: str | None
    synthetic: bool
    snippet: str
    """The start of the first rationale, shown under a search result."""

    @property
    def decisions(self) -> tuple[Decision, ...]:
        return tuple(item.decision for item in self.items)

    @property
    def upheld_count(self) -> int:
        return self.decisions.count("upheld")

    @property
    def overturned_count(self) -> int:
        return self.decisions.count("overturned")

    @property
    def outcome(self) -> str:
        return outcome_text(self.decisions)

    @property
    def page_key(self) -> str:
        return f"determinations/{self.public_id}"


def card_of(determination: PublicDetermination, facts: DeterminationFacts) -> Card:
    decisions = tuple(item.decision for item in facts.items)
    treatments = tuple(item.treatment_text for item in facts.items)
    return Card(
        public_id=determination.public_id,
        title=page_title(treatments, decisions),
        year=determination.year,
        recency=determination.recency,
        items=facts.items,
        diagnoses=facts.diagnosis_groups,
        specialty=determination.reviewer_specialty,
        synthetic=determination.synthetic,
        snippet=_shortened(" ".join(determination.items[0].rationale.split()), SNIPPET_LENGTH),
    )


def _shortened(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + " …"


def page_title(treatments: tuple[str, ...], decisions: tuple[Decision, ...]) -> str:
    """Title from the treatments and the outcome: 'MRI of the knee — upheld'."""
    first = treatments[0]
    if len(first) > TITLE_TREATMENT_LENGTH:
        first = first[: TITLE_TREATMENT_LENGTH - 1].rstrip() + "…"
    others = len(treatments) - 1
    subject = f"{first} and {others} more item{'s' if others > 1 else ''}" if others else first
    return f"{subject} — {outcome_text(decisions)}"


def outcome_text(decisions: tuple[Decision, ...]) -> str:
    """'upheld', 'overturned', 'all upheld', or '2 of 3 upheld' for a mixed decision."""
    upheld, total = decisions.count("upheld"), len(decisions)
    if upheld == total:
        return "upheld" if total == 1 else "all upheld"
    if upheld == 0:
        return "overturned" if total == 1 else "all overturned"
    return f"{upheld} of {total} upheld"

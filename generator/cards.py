"""The compact form of a determination that listings, cross-links and search facets need.

A build keeps the cards pickled in its store (``store.py``, table ``records``): what can be worked
out from the rest (the title) is not stored; the snippet is stored without its ellipsis.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.anonymize import PublicDetermination
from generator.classify import DeterminationFacts, ItemFacts
from generator.normalize.specialties import normalize_specialty
from generator.schema import Decision
from generator.settings import SNIPPET_LENGTH, TITLE_TREATMENT_LENGTH


@dataclass(frozen=True)
class Card:
    """One determination as listed: enough to link to it and count its outcomes."""

    public_id: str
    year: int | None
    recency: int
    items: tuple[ItemFacts, ...]
    diagnoses: tuple[tuple[str, str], ...]
    specialty: str | None
    """The reviewer's specialties, each in its known spelling (``normalize.specialties``)."""
    synthetic: bool
    snippet_start: str
    snippet_cut: bool
    """Whether the snippet is the start of a longer rationale (shown with an ellipsis)."""
    case_number: str | None = None
    """The IMR case number where the publisher shows it (``show_case_numbers``), else None."""
    licensure: tuple[str, ...] = ()
    """The states the reviewer is licensed in, as the record names them."""

    @property
    def snippet(self) -> str:
        """The start of the first rationale, shown under a search result."""
        return self.snippet_start + ELLIPSIS if self.snippet_cut else self.snippet_start

    @property
    def title(self) -> str:
        """'MRI of the knee — upheld' (``page_title``)."""
        return _title(self.items[0].treatment_text, self.decisions)

    @property
    def decisions(self) -> tuple[Decision, ...]:
        return tuple(item.decision for item in self.items)

    @property
    def outcome(self) -> str:
        return outcome_text(self.decisions)

    @property
    def page_key(self) -> str:
        return determination_key(self.public_id)


def determination_key(public_id: str) -> str:
    """The page key of a determination."""
    return f"determinations/{public_id}"


def card_of(determination: PublicDetermination, facts: DeterminationFacts) -> Card:
    snippet = _shortened(" ".join(determination.items[0].rationale.split()), SNIPPET_LENGTH)
    return Card(
        public_id=determination.public_id,
        year=determination.year,
        recency=determination.recency,
        items=facts.items,
        diagnoses=facts.diagnosis_groups,
        specialty=normalize_specialty(determination.reviewer_specialty),
        synthetic=determination.synthetic,
        snippet_start=snippet.removesuffix(ELLIPSIS),
        snippet_cut=snippet.endswith(ELLIPSIS),
        case_number=determination.published_case_number,
        licensure=determination.reviewer_licensure,
    )


ELLIPSIS = " …"


def _shortened(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + ELLIPSIS


def page_title(treatments: tuple[str, ...], decisions: tuple[Decision, ...]) -> str:
    """Title from the treatments and the outcome: 'MRI of the knee — upheld'."""
    return _title(treatments[0], decisions)


def _title(first: str, decisions: tuple[Decision, ...]) -> str:
    """The title of a determination whose first item's treatment is ``first``: the other
    treatments are only counted (as its decisions are)."""
    first = shortened_treatment(first, TITLE_TREATMENT_LENGTH)
    others = len(decisions) - 1
    subject = f"{first} and {others} more item{'s' if others > 1 else ''}" if others else first
    return f"{subject} — {outcome_text(decisions)}"


def shortened_treatment(text: str, length: int) -> str:
    """A treatment as written, cut to ``length`` characters with an ellipsis if longer."""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def outcome_text(decisions: tuple[Decision, ...]) -> str:
    """'upheld', 'overturned', 'all upheld', or '2 of 3 upheld' for a mixed decision."""
    upheld, total = decisions.count("upheld"), len(decisions)
    if upheld == total:
        return "upheld" if total == 1 else "all upheld"
    if upheld == 0:
        return "overturned" if total == 1 else "all overturned"
    return f"{upheld} of {total} upheld"

"""Stage 'normalize': attach the browsable vocabulary to each public determination.

Every item gets its canonical treatment and category (``normalize.treatments``) and both citations
resolved to catalog guidelines and sections (``normalize.citations``); the summary gets its
diagnosis groups. It works on the anonymized public text, so nothing private can reach a facet.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from generator.anonymize import PublicDetermination, PublicItem
from generator.normalize import (
    CitationRef,
    Resolution,
    diagnosis_groups,
    normalize_treatment,
    resolve_citation,
)
from generator.schema import Decision


@dataclass(frozen=True)
class Citation:
    """One side's citation of an item: the text as written and what it resolved to."""

    text: str | None
    refs: tuple[CitationRef, ...]
    resolved: bool
    no_citation: bool
    guideline_ids: tuple[str, ...] = field(init=False, repr=False, compare=False)
    """The guidelines of ``refs``, each once: kept, since every listing and facet asks for them."""

    def __post_init__(self) -> None:
        ids = tuple(dict.fromkeys(ref.guideline_id for ref in self.refs))
        object.__setattr__(self, "guideline_ids", ids)

    @classmethod
    def of(cls, resolution: Resolution, text: str | None) -> Citation:
        return cls(text, resolution.refs, resolution.resolved, resolution.no_citation)


@dataclass(frozen=True)
class ItemFacts:
    """What an item is, in the site's vocabulary."""

    number: int
    decision: Decision
    treatment_text: str
    treatment_slug: str | None
    """None when no lexicon entry matched: the item is shown as written and reported."""
    treatment_label: str
    category_slug: str | None
    category_label: str
    quantity: str | None
    body_part: str | None
    claims: Citation
    reviewer: Citation

    @property
    def section_refs(self) -> tuple[tuple[str, str], ...]:
        """(guideline id, section slug) of the reviewer's catalogued sections."""
        return tuple(
            dict.fromkeys(
                (r.guideline_id, r.section_slug) for r in self.reviewer.refs if r.section_slug
            )
        )


@dataclass(frozen=True)
class DeterminationFacts:
    items: tuple[ItemFacts, ...]
    diagnosis_groups: tuple[tuple[str, str], ...]
    """(slug, title) pairs."""


def classify(determination: PublicDetermination) -> DeterminationFacts:
    items = tuple(_item_facts(item) for item in determination.items)
    groups = tuple((group.slug, group.title) for group in diagnosis_groups(determination.summary))
    return DeterminationFacts(items=items, diagnosis_groups=groups)


def _item_facts(item: PublicItem) -> ItemFacts:
    treatment = normalize_treatment(item.treatment)
    claims = item.claims_administrator_guideline
    reviewer = item.reviewer_guideline
    return ItemFacts(
        number=item.number,
        decision=item.decision,
        treatment_text=" ".join(item.treatment.split()),
        treatment_slug=treatment.slug if treatment.specific else None,
        treatment_label=treatment.canonical,
        category_slug=treatment.category_slug if treatment.specific else None,
        category_label=treatment.category,
        quantity=treatment.quantity,
        body_part=treatment.body_part,
        claims=_citation(claims),
        reviewer=_citation(reviewer),
    )


@functools.lru_cache(maxsize=131072)
def _citation(text: str | None) -> Citation:
    """One object per distinct citation text (it is frozen, so it can be shared): a chunk's pickle
    then holds each once, and loading a chunk makes each once (thousands of items cite the same
    guideline in the same words)."""
    return Citation.of(resolve_citation(text), text)

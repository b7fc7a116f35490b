"""The build report: what normalization could not place. Unresolved citations and unclassified
treatments are shown on the pages as written (never dropped) and listed here for the publisher, who
can extend the catalog or the lexicon (generator/data/)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.cards import Card


@dataclass(frozen=True)
class BuildReport:
    citations: int
    unresolved: dict[str, list[str]]
    """Citation text -> public ids of the determinations that cite it."""
    items: int
    unclassified: dict[str, list[str]]
    """Treatment text -> public ids."""

    @property
    def summary(self) -> str:
        resolved = self.citations - sum(len(ids) for ids in self.unresolved.values())
        classified = self.items - sum(len(ids) for ids in self.unclassified.values())
        return (
            f"Citations resolved to the guideline catalog: {resolved} of {self.citations}; "
            f"items with a canonical treatment: {classified} of {self.items}."
        )

    def write(self, path: Path) -> None:
        data = {
            "citations": self.citations,
            "unresolved_citations": self.unresolved,
            "items": self.items,
            "unclassified_treatments": self.unclassified,
        }
        path.write_text(
            json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
        )


def build_report(cards: Sequence[Card]) -> BuildReport:
    """Every citation that named text but matched nothing, and every unclassified item."""
    unresolved: dict[str, list[str]] = defaultdict(list)
    unclassified: dict[str, list[str]] = defaultdict(list)
    citations = items = 0
    for card in cards:
        for item in card.items:
            items += 1
            for citation in (item.claims, item.reviewer):
                if citation.text:
                    citations += 1
                    if not citation.resolved and not citation.no_citation:
                        unresolved[citation.text].append(card.public_id)
            if item.treatment_slug is None:
                unclassified[item.treatment_text].append(card.public_id)
    return BuildReport(citations, dict(unresolved), items, dict(unclassified))

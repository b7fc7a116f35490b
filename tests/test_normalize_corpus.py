"""Normalization on the real letters in ../shared/corpus (read at run time; skipped when absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ingest import LetterError, extract_text, parse_letter_text
from generator.normalize import diagnosis_groups, normalize_treatment, resolve_citation

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")


@pytest.fixture(scope="module")
def letters() -> list[tuple[list[str], list[str], str]]:
    """(citation strings, item texts, summary) of every letter the ingest parser reads."""
    found = []
    paths = sorted((CORPUS / "dwc-imr" / "txt").glob("*.txt")) + sorted(
        (CORPUS / "seed").glob("*.txt")
    )
    for path in paths:
        try:
            letter = parse_letter_text(extract_text(path), source=path.name)
        except LetterError:
            continue
        items = letter.meta.items
        citations = [
            text
            for item in items
            for text in (item.claims_administrator_guideline, item.reviewer_guideline)
            if text and text.strip()
        ]
        found.append((citations, [item.treatment for item in items], letter.summary))
    assert found
    return found


def test_at_least_98_percent_of_citations_resolve(
    letters: list[tuple[list[str], list[str], str]],
) -> None:
    citations = [text for found, _, _ in letters for text in found]
    resolved = sum(resolve_citation(text).resolved for text in citations)
    assert resolved / len(citations) >= 0.98


def test_at_least_95_percent_of_items_get_a_specific_treatment(
    letters: list[tuple[list[str], list[str], str]],
) -> None:
    items = [text for _, found, _ in letters for text in found]
    specific = sum(normalize_treatment(text).specific for text in items)
    assert specific / len(items) >= 0.95


def test_canonical_treatments_are_sized_for_browsing(
    letters: list[tuple[list[str], list[str], str]],
) -> None:
    items = {text for _, found, _ in letters for text in found}
    slugs = {normalize_treatment(text).slug for text in items}
    assert len(slugs) < len(items) / 2


def test_most_summaries_get_a_diagnosis_group(
    letters: list[tuple[list[str], list[str], str]],
) -> None:
    with_groups = sum(bool(diagnosis_groups(summary)) for _, _, summary in letters)
    assert with_groups / len(letters) >= 0.8

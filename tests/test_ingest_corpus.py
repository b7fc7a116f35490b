"""The real letters in ../shared/corpus, read at run time (skipped when absent): counts, fields, PDF = text."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from generator.ingest import read_letter, render_record

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
DWC = CORPUS / "dwc-imr"
EXPECTED = json.loads((REPO / "bench" / "expected" / "ingest.json").read_text(encoding="utf-8"))

pytestmark = pytest.mark.skipif(not DWC.is_dir(), reason="../shared/corpus is not here")


def expected_for(path: Path) -> dict[str, object]:
    entry: dict[str, object] = EXPECTED[hashlib.sha256(path.stem.encode()).hexdigest()[:24]]
    return entry


def digest(text: str | None) -> str | None:
    return (
        None if text is None else hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:16]
    )


def text_letters() -> list[Path]:
    return sorted((DWC / "txt").glob("*.txt")) + sorted((CORPUS / "seed").glob("*.txt"))


def test_the_corpus_has_the_letters_the_expectations_describe() -> None:
    assert len(text_letters()) == len(EXPECTED) == 161


def test_every_letter_parses_with_the_hand_checked_items() -> None:
    for path in text_letters():
        meta = read_letter(path).meta
        want = expected_for(path)
        fields = want["item_fields"]
        assert isinstance(fields, dict)
        assert len(meta.items) == want["items"], path.name
        assert [i.decision for i in meta.items] == fields["decision"], path.name
        for name in (
            "treatment",
            "claims_administrator_guideline",
            "reviewer_guideline",
            "rationale",
        ):
            assert [digest(getattr(i, name)) for i in meta.items] == fields[name], (path.name, name)
        assert (meta.worker.age, meta.worker.sex) == (want["age"], want["sex"]), path.name
        assert meta.reviewer.specialty == want["specialty"], path.name
        assert list(meta.reviewer.licensure) == want["licensure"], path.name


def test_pdf_and_text_of_each_letter_give_identical_records() -> None:
    for pdf in sorted((DWC / "pdf").glob("*.pdf")):
        text = DWC / "txt" / f"{pdf.stem}.txt"
        assert render_record(read_letter(pdf)) == render_record(read_letter(text)), pdf.name

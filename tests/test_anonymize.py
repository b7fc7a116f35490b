"""Stage 2: the public form of a record carries nothing identifying; ids are stable keyed hashes."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from conftest import VALID_RECORD, write_record

from generator.anonymize import (
    AGE_NINETY_OR_OLDER,
    AGE_NOT_STATED,
    PublicDetermination,
    age_band,
    anonymize,
    public_id,
)
from generator.records import load_records


def test_public_id_is_stable_keyed_and_not_the_case_number() -> None:
    first = public_id("CM99-9012345", "secret-a")
    assert first == public_id("CM99-9012345", "secret-a")
    assert first == public_id(" cm99-9012345 ", "secret-a")  # case and spaces do not matter
    assert first != public_id("CM99-9012345", "secret-b")
    assert first != public_id("CM99-9012346", "secret-a")
    assert len(first) == 12 and first.isalnum() and first.islower()
    assert "9012345" not in first


def test_public_id_known_value_pins_the_scheme() -> None:
    # Changing this value breaks every published link: rotate deliberately (docs/record-format.md).
    assert public_id("CM99-9000001", "imr-site-demo-secret-not-for-production") == "pkgp5qf3wdwc"


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, AGE_NOT_STATED),
        (0, "under 20"),
        (19, "under 20"),
        (20, "20–29"),
        (48, "40–49"),
        (89, "80–89"),
        (90, AGE_NINETY_OR_OLDER),
        (104, AGE_NINETY_OR_OLDER),
    ],
)
def test_age_bands(age: int | None, band: str) -> None:
    assert age_band(age) == band


def test_public_form_has_no_private_fields(tmp_path: Path) -> None:
    write_record(tmp_path, "a.md", VALID_RECORD.replace("private: {}", ""))
    [record] = load_records(tmp_path)
    public = anonymize(record, "secret")
    fields = {field.name for field in dataclasses.fields(PublicDetermination)}
    assert not fields & {"case_number", "decision_date", "injury_date", "private", "age", "source"}
    values = " ".join(str(getattr(public, name)) for name in fields)
    assert "CM99-9000001" not in values
    assert "2016-12-09" not in values and "2016-10-13" not in values
    assert (public.year, public.age_band, public.sex) == (2016, "40–49", "male")
    assert [item.decision for item in public.items] == ["upheld", "overturned"]


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dwc-imr"
_ANY_FULL_DATE = re.compile(
    r"(?<![\w/.-])\d{1,2}\s*([/.\-–])\s*\d{1,2}\s*\1\s*\d{2,4}(?![\w/])"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\b\d{1,2}(?:st|nd|rd|th)?[\s/-]*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?[\s/-]*\d{2,4}\b"
)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the real letters in ../shared are absent")
@pytest.mark.parametrize("folder", ["txt", "pdf"])
def test_real_letters_keep_no_full_date_in_any_shape_and_citations_as_written(folder: str) -> None:
    """Text and PDF (where line breaks split dates): no full date survives in any shape, and a
    guideline field that cites a source outside the MTUS keeps every word of it."""
    from generator.anonymize import PublicDetermination  # noqa: F401, PLC0415 - the type below
    from generator.ingest import read_letter  # noqa: PLC0415
    from generator.schema import Record  # noqa: PLC0415

    letters = sorted((CORPUS / folder).iterdir())
    assert len(letters) == 160
    for path in letters:
        letter = read_letter(path)
        public = anonymize(Record(source=path.name, meta=letter.meta, summary=letter.summary), "t")
        texts = [public.summary] + [item.rationale for item in public.items]
        for text in texts:
            found = _ANY_FULL_DATE.search(text)
            assert found is None or _is_citation_date(text, found), path.name
        for item in public.items:
            for guideline in (item.claims_administrator_guideline, item.reviewer_guideline):
                if guideline and "Citation" in guideline:
                    assert "[" not in guideline, path.name


def _is_citation_date(text: str, found: re.Match[str]) -> bool:
    """A publication date in a reference ("Health System; 2007 Jan. 10.") is public text."""
    return bool(re.match(r"(?:19|20)\d\d ", text[found.start() - 5 : found.start()]))

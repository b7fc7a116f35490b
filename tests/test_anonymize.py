"""Stage 2: the public form of a record carries nothing identifying; ids are stable keyed hashes."""

from __future__ import annotations

import dataclasses
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

"""Stage 1: records are read and validated; every problem is reported with file, field and fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import VALID_RECORD, write_record

from generator.crosslink import ITEM_BITS
from generator.exceptions import ConfigurationError, InvalidRecordsError
from generator.records import load_records
from generator.schema import MOST_ITEMS


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(InvalidRecordsError) as caught:
        load_records(folder)
    return str(caught.value).splitlines()


def test_valid_record_loads_into_typed_frozen_models(tmp_path: Path) -> None:
    write_record(tmp_path, "a.md", VALID_RECORD)
    [record] = load_records(tmp_path)
    assert record.meta.case_number == "CM99-9000001"
    assert record.meta.decision_date is not None and record.meta.decision_date.year == 2016
    assert [item.decision for item in record.meta.items] == ["upheld", "overturned"]
    assert record.meta.reviewer.licensure == ("California", "North Carolina")
    assert record.summary.startswith("The injured worker is a 48 year old male")
    with pytest.raises(ValueError, match="frozen"):
        record.meta.case_number = "other"  # type: ignore[misc]


def test_every_problem_of_every_file_is_reported_at_once(tmp_path: Path) -> None:
    bad_decision = VALID_RECORD.replace("decision: upheld", "decision: partial")
    unknown_key = VALID_RECORD.replace("specialty: Family Practice", "specialy: Family Practice")
    missing_case = VALID_RECORD.replace("case_number: CM99-9000001\n", "")
    bad_date = VALID_RECORD.replace("decision_date: 2016-12-09", "decision_date: 2016-13-09")
    write_record(tmp_path, "a.md", bad_decision.replace("CM99-9000001", "CM99-9000011"))
    write_record(tmp_path, "b.md", unknown_key.replace("CM99-9000001", "CM99-9000012"))
    write_record(tmp_path, "c.md", missing_case)
    write_record(tmp_path, "d.md", bad_date.replace("CM99-9000001", "CM99-9000014"))
    write_record(tmp_path, "ok.md", VALID_RECORD)
    assert problems_of(tmp_path) == [
        f"{tmp_path}/a.md: items[0].decision: found 'partial'; expected 'upheld' or 'overturned'",
        f"{tmp_path}/b.md: reviewer.specialy: unknown key; remove it or use one of: specialty, licensure",
        f"{tmp_path}/c.md: case_number: missing; add this key",
        f"{tmp_path}/d.md: decision_date: found '2016-13-09'; expected a date as YYYY-MM-DD",
        "Aborted with 4 invalid records (of 5 read).",
    ]


def test_empty_items_unknown_top_level_key_and_wrong_types(tmp_path: Path) -> None:
    text = (
        VALID_RECORD.split("items:")[0] + "items: []\nprivate: {}\ncolour: blue\n---\nSummary.\n"
    ).replace("age: 48", "age: forty")
    write_record(tmp_path, "x.md", text)
    lines = problems_of(tmp_path)
    assert lines[:-1] == [
        f"{tmp_path}/x.md: colour: unknown key; remove it or use one of: format, case_number, "
        "decision_date, injury_date, assigned_date, ur_denial_date, received_date, priority, "
        "worker, reviewer, items, private, synthetic",
        f"{tmp_path}/x.md: items: found an empty list; expected at least one entry",
        f"{tmp_path}/x.md: worker.age: found 'forty'; input should be a valid integer, "
        "unable to parse string as an integer",
    ]


def test_file_level_problems(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_text("  \n", encoding="utf-8")
    (tmp_path / "latin1.md").write_bytes(VALID_RECORD.replace("male", "mâle").encode("latin-1"))
    write_record(tmp_path, "nofront.md", "Just a summary.\n")
    write_record(tmp_path, "yaml.md", "---\ncase_number: [unclosed\n---\nBody\n")
    write_record(tmp_path, "nobody.md", VALID_RECORD.split("---\nThe injured")[0] + "---\n")
    lines = problems_of(tmp_path)
    assert lines == [
        f"{tmp_path}/empty.md: file: the file is empty; write a record or delete the file",
        f"{tmp_path}/latin1.md: file: not UTF-8 text (byte 0xe2 at offset 120); save the file as UTF-8",
        f"{tmp_path}/nobody.md: summary: the Markdown body is empty; add the clinical case summary",
        f"{tmp_path}/nofront.md: front matter: none found; a record starts with a '---' line, "
        "its YAML keys, then '---'",
        f"{tmp_path}/yaml.md: front matter: invalid YAML at line 4, column 1: did not find expected "
        "',' or ']'; fix the YAML syntax",
        "Aborted with 5 invalid records (of 5 read).",
    ]


def test_duplicate_case_numbers_name_both_files(tmp_path: Path) -> None:
    write_record(tmp_path, "one.md", VALID_RECORD)
    write_record(tmp_path, "two.md", VALID_RECORD)
    assert problems_of(tmp_path) == [
        f"{tmp_path}/one.md: case_number: the same case number is used by {tmp_path}/two.md; "
        "keep one record per case",
        f"{tmp_path}/two.md: case_number: the same case number is used by {tmp_path}/one.md; "
        "keep one record per case",
        "Aborted with 2 invalid records (of 2 read).",
    ]


def test_datetime_is_not_a_date(tmp_path: Path) -> None:
    write_record(tmp_path, "a.md", VALID_RECORD.replace("2016-12-09", "2016-12-09 10:30:00"))
    assert problems_of(tmp_path)[0] == (
        f"{tmp_path}/a.md: decision_date: found '2016-12-09 10:30:00'; expected a date as YYYY-MM-DD"
    )


def test_missing_content_folder_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="the content folder does not exist"):
        load_records(tmp_path / "nowhere")


def test_case_numbers_compare_without_case_or_spaces(tmp_path: Path) -> None:
    write_record(tmp_path, "one.md", VALID_RECORD)
    write_record(tmp_path, "two.md", VALID_RECORD.replace("CM99-9000001", "' cm99-9000001 '"))
    assert problems_of(tmp_path)[0] == (
        f"{tmp_path}/one.md: case_number: the same case number is used by {tmp_path}/two.md; "
        "keep one record per case"
    )


def test_more_items_than_a_build_can_number_is_a_record_problem(tmp_path: Path) -> None:
    item = (
        "  - {treatment: Acupuncture, decision: upheld, claims_administrator_guideline: MTUS,"
        " reviewer_guideline: MTUS, rationale: Not indicated.}\n"
    )
    head, _, rest = VALID_RECORD.partition("items:\n")
    body = rest[rest.index("---") :]
    write_record(tmp_path, "many.md", head + "items:\n" + item * (MOST_ITEMS + 1) + body)
    assert problems_of(tmp_path)[0] == (
        f"{tmp_path}/many.md: items: found {MOST_ITEMS + 1} entries; expected at most "
        f"{MOST_ITEMS} (split the record)"
    )
    assert MOST_ITEMS - 1 < 1 << (ITEM_BITS - 1)  # the last index fits the bits groups pack it in

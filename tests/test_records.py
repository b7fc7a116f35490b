"""Stage 1: records are read and validated; every problem is reported with file, field and fix."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from conftest import VALID_RECORD, write_record

from generator.exceptions import ConfigurationError, InvalidRecordsError
from generator.records import MAX_RECORD_BYTES, load_records, require_records
from generator.schema import MOST_ITEMS, UNDATED_REFERENCE_YEAR, FrontMatter


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
        f"{tmp_path}/yaml.md: front matter: invalid YAML at line 3, column 1: did not find expected "
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


# Hostile and careless input (issue 25): each ends in a problem naming the file, quickly.


def _only_problem(folder: Path) -> str:
    [problem, summary] = problems_of(folder)
    assert summary.startswith("Aborted with 1 invalid record")
    return problem


@pytest.mark.parametrize(
    "items",
    [
        "[" * 60_000 + "]" * 60_000,  # libyaml's composer crashed (segfault)
        "[" * 1_000 + "]" * 1_000,  # Python's constructor raised RecursionError
        "\n  " + "- " * 60_000 + "x",  # block sequences, one in another on one line
    ],
)
def test_deeply_nested_front_matter_is_a_problem_of_its_file(tmp_path: Path, items: str) -> None:
    write_record(tmp_path, "deep.md", f"---\ncase_number: A\nitems: {items}\n---\nSummary.\n")
    started = time.perf_counter()
    problem = _only_problem(tmp_path)
    assert problem.startswith(f"{tmp_path}/deep.md: front matter: nested more than 32 levels")
    assert time.perf_counter() - started < 5


def test_an_alias_bomb_is_refused_at_once_and_its_message_stays_short(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    bomb = "---\ncase_number: A\n" + "\n".join(lines) + "\nitems: *a9\n---\nSummary.\n"
    assert len(bomb.encode()) < 600
    write_record(tmp_path, "bomb.md", bomb)
    started = time.perf_counter()
    problem = _only_problem(tmp_path)
    assert time.perf_counter() - started < 5
    assert problem.startswith(f"{tmp_path}/bomb.md: front matter: holds more than 1,000,000")
    # What a message shows of a value stays short, however large the value.
    large = "[" + ", ".join(["[" + ", ".join(["y" * 100] * 50) + "]"] * 50) + "]"
    write_record(tmp_path, "bomb.md", VALID_RECORD.replace("{age: 48, sex: male}", large))
    problem = _only_problem(tmp_path)
    assert problem.startswith(f"{tmp_path}/bomb.md: worker: found [[")
    assert len(problem) < len(f"{tmp_path}") + 200


def test_duplicate_keys_lists_nulls_and_oversized_files_get_accurate_messages(
    tmp_path: Path,
) -> None:
    write_record(
        tmp_path,
        "dup.md",
        VALID_RECORD.replace("synthetic: true", "synthetic: true\nsynthetic: false"),
    )
    write_record(tmp_path, "list.md", "---\n- case_number: A\n---\nSummary.\n")
    nulls = VALID_RECORD.split("items:")[0].replace("CM99-9000001", "CM99-9000003")
    write_record(tmp_path, "null.md", nulls + "items: [null]\n---\nSummary.\n")
    (tmp_path / "big.md").write_bytes(b"---\ncase_number: A\n---\n" + b"x" * (MAX_RECORD_BYTES + 1))
    assert problems_of(tmp_path) == [
        f"{tmp_path}/big.md: file: {MAX_RECORD_BYTES + 24:,} bytes; a record file holds at most "
        f"{MAX_RECORD_BYTES:,} (split it)",
        f"{tmp_path}/dup.md: front matter: the key 'synthetic' is given twice (line 4); keep one",
        f"{tmp_path}/list.md: front matter: found a list; expected keys and values "
        "(case_number: ..., items: ...)",
        f"{tmp_path}/null.md: items[0]: empty (null); expected keys: treatment, decision, "
        "claims_administrator_guideline, reviewer_guideline, rationale, request_note",
        "Aborted with 4 invalid records (of 4 read).",
    ]


def test_control_characters_never_reach_a_page(tmp_path: Path) -> None:
    escaped = VALID_RECORD.replace(
        "specialty: Family Practice", 'specialty: "Family \\e[31mPractice"'
    )
    write_record(tmp_path, "escaped.md", escaped)
    write_record(tmp_path, "raw.md", VALID_RECORD.replace("CM99-9000001", "CM99-9000002\x07"))
    body = VALID_RECORD.replace("CM99-9000001", "CM99-9000003").replace("(synthetic)", "\x1b[2J")
    write_record(tmp_path, "body.md", body)
    fix = "holds a control character (such as ESC or BEL); remove it"
    assert problems_of(tmp_path) == [
        f"{tmp_path}/body.md: summary: {fix}",
        f"{tmp_path}/escaped.md: reviewer.specialty: {fix}",
        f"{tmp_path}/raw.md: front matter: a character YAML does not allow (#x0007, control "
        "characters are not allowed) at line 2; remove it",
        "Aborted with 3 invalid records (of 3 read).",
    ]


@pytest.mark.parametrize(
    "twin",
    [
        "CM99-\u200b9000001",  # zero-width space
        "\ufeffCM99-9000001",  # byte order mark
        "CM99\u00ad-9000001",  # soft hyphen
        "\uff23\uff2d\uff19\uff19-9000001",  # full-width letters and digits
        "CM99\u20109000001",  # hyphen
        "CM99\u22129000001",  # minus sign
        "CM99\u20149000001",  # em dash
        " cm99-9000001 ",
    ],
)
def test_case_numbers_that_differ_only_invisibly_are_duplicates(tmp_path: Path, twin: str) -> None:
    write_record(tmp_path, "one.md", VALID_RECORD)
    write_record(tmp_path, "two.md", VALID_RECORD.replace("CM99-9000001", f'"{twin}"'))
    assert problems_of(tmp_path)[0] == (
        f"{tmp_path}/one.md: case_number: the same case number is used by {tmp_path}/two.md; "
        "keep one record per case"
    )


def test_skipped_files_are_reported_and_an_empty_folder_is_an_error(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    content, elsewhere = tmp_path / "content", tmp_path / "elsewhere"
    write_record(elsewhere, "b.md", VALID_RECORD.replace("CM99-9000001", "CM99-9000002"))
    content.mkdir()
    (content / "gone.md").symlink_to(tmp_path / "missing.md")
    (content / "linked").symlink_to(elsewhere)
    with pytest.raises(ConfigurationError, match="no record files"):
        require_records(content, allow_empty=False)
    require_records(content, allow_empty=True)
    write_record(content, "a.md", VALID_RECORD)
    with caplog.at_level(logging.WARNING):
        assert [r.meta.case_number for r in load_records(content)] == ["CM99-9000001"]
    assert sorted(caplog.messages) == [
        f"{content}/gone.md: a link to a file that does not exist; skipped: remove the link or "
        "restore the file",
        f"{content}/linked: a link to a folder, not followed (it could lead in a loop); skipped: "
        "move its records into the content folder, or link each file",
    ]


def test_the_reference_year_never_depends_on_the_day_of_the_build() -> None:
    def meta(**dates: str) -> FrontMatter:
        items = [{"treatment": "t", "decision": "upheld", "rationale": "r"}]
        return FrontMatter.model_validate({"case_number": "A", "items": items, **dates})

    assert meta(decision_date="2015-03-04", received_date="2016-01-01").reference_year() == 2015
    assert meta(injury_date="2010-01-01", received_date="2014-05-06").reference_year() == 2014
    assert meta().reference_year() == UNDATED_REFERENCE_YEAR

"""Fuzzing the records stage: whatever a record file's front matter holds, reading it ends in a
record or in problems naming the file, quickly; never a traceback, a crash or a hang."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.anonymize import DEMO_SECRET, anonymize
from generator.exceptions import InvalidRecordsError
from generator.records import load_records
from generator.schema import FrontMatter, Item

KEYS = [*FrontMatter.model_fields, *Item.model_fields, "names", "age", "sex", "specialty"]
TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from("\x1b\x07\u200b-:")
)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | TEXT | st.dates().map(str)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | TEXT, inner, max_size=4)
    ),
    max_leaves=20,
)
ITEM = st.fixed_dictionaries(
    {"treatment": TEXT, "decision": st.sampled_from(["upheld", "overturned", "denied"])},
    optional={"rationale": TEXT, "reviewer_guideline": VALUES, "request_note": VALUES},
)
RECORDS = st.fixed_dictionaries(
    {"case_number": TEXT | VALUES, "items": st.lists(ITEM, max_size=3) | VALUES},
    optional=dict.fromkeys([key for key in KEYS if key not in {"case_number", "items"}], VALUES),
)
PLAIN = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1).filter(
    str.strip
)
VALID_ITEM = st.fixed_dictionaries(
    {"treatment": PLAIN, "decision": st.sampled_from(["upheld", "overturned"]), "rationale": PLAIN},
    optional={"reviewer_guideline": PLAIN, "claims_administrator_guideline": TEXT},
)
NEARLY_VALID = st.fixed_dictionaries(
    {"case_number": PLAIN, "items": st.lists(VALID_ITEM, min_size=1, max_size=3)},
    optional={
        "decision_date": st.dates().map(str),
        "worker": st.fixed_dictionaries({"age": st.integers(-5, 130)}),
        "private": st.fixed_dictionaries({"names": st.lists(PLAIN, max_size=3)}),
    },
)
"""Records that often pass validation, so that their text goes on through anonymization."""
YAML_PIECES = st.sampled_from(
    ["[", "]", "{", "}", "&a ", "*a", "*b", "&b ", ": ", "- ", "\n", "\n  ", "'", '"', "? ",
     "!!python/object:os.system ", "key", "case_number", "items", "---", "\t", "|", ">", "#",
     "\x00", "\x1b", "\ufeff", "%YAML 1.1\n", "<<: *a\n"]
)  # fmt: skip
RAW_FRONT_MATTER = st.lists(YAML_PIECES | TEXT, max_size=40).map("".join)


def _front_matter(data: Any) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return str(data)


def _read(front_matter: str, summary: str) -> None:
    """One record file read as the records stage reads it: a record (anonymized, as the stage
    goes on to do) or problems that all name the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "record.md"
        path.write_bytes(f"---\n{front_matter}\n---\n{summary}\n".encode("utf-8", "surrogatepass"))
        started = time.perf_counter()
        try:
            for record in load_records(Path(folder)):
                anonymize(record, DEMO_SECRET)
        except InvalidRecordsError as error:
            assert error.problems
            assert all(problem.file == str(path) for problem in error.problems)
            assert all(len(str(problem)) < 2_000 for problem in error.problems)
        assert time.perf_counter() - started < 10


FUZZ = settings(
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@FUZZ
@given(RECORDS | NEARLY_VALID, TEXT)
def test_structured_front_matter_is_a_record_or_named_problems(data: Any, summary: str) -> None:
    _read(_front_matter(data), summary)


@FUZZ
@given(RAW_FRONT_MATTER, TEXT)
def test_any_front_matter_text_is_a_record_or_named_problems(text: str, summary: str) -> None:
    _read(text, summary)

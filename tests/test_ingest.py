"""Ingest: synthetic letters of both eras and every hard case parse to the exact expected records."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.ingest import LetterError, ParsedLetter, parse_letter_text, read_letter
from generator.ingest.header import DATE_PATTERN, parse_date, parse_header
from generator.ingest.text import join_lines
from generator.schema import Item

LETTERS = Path(__file__).parent / "fixtures" / "letters"
NO_CITE = "The Claims Administrator did not cite any medical evidence for its decision."


def letter(name: str) -> ParsedLetter:
    return read_letter(LETTERS / f"{name}.txt")


def treatments(parsed: ParsedLetter) -> list[str]:
    return [item.treatment for item in parsed.meta.items]


def test_modern_header_dates_priority_and_case_number() -> None:
    meta = letter("synthetic_2016_basic").meta
    assert meta.case_number == "CM99-0000101"
    assert (meta.assigned_date, meta.injury_date, meta.decision_date) == (
        dt.date(2016, 11, 7),
        dt.date(2015, 4, 22),
        dt.date(2016, 12, 5),
    )
    assert (meta.ur_denial_date, meta.received_date) == (
        dt.date(2016, 10, 28),
        dt.date(2016, 11, 1),
    )
    assert meta.priority == "Standard"
    assert meta.synthetic is True


def test_modern_reviewer_listed_credentials_wrapped_specialty() -> None:
    reviewer = letter("synthetic_2016_wrapping").meta.reviewer
    assert reviewer.licensure == ("Texas", "New York", "California")
    assert reviewer.specialty == (
        "Preventive Medicine, Occupational Medicine, Public Health & General Preventive Medicine"
    )


def test_no_cited_evidence_and_guidelines_outside_the_mtus() -> None:
    first = letter("synthetic_2016_basic").meta.items[0]
    assert first == Item(
        treatment="Topical compound cream (ketoprofen 10%, lidocaine 5%) 120 grams",
        decision="upheld",
        claims_administrator_guideline=NO_CITE,
        reviewer_guideline=(
            "The Expert Reviewer based their decision on recommendation(s) outside of the MTUS "
            "Guidelines. Decision based on Non-MTUS Citation Official Disability Guidelines (ODG), "
            "Pain Chapter, Compound drugs."
        ),
        rationale=(
            "Compounded topical products are largely experimental and any product containing at "
            "least one drug that is not recommended is not recommended. Topical ketoprofen is not "
            "approved for topical use. The request for the compound cream is not medically necessary."
        ),
    )


def test_wrapped_items_decision_alone_and_colons_inside_items() -> None:
    parsed = letter("synthetic_2016_wrapping")
    assert treatments(parsed) == [
        "Norco 10/325mg #30 DOS: 11/14/16",
        "Physical therapy two times a week for six weeks for the cervical spine and both shoulders "
        "(12 sessions)",
        "Additional acupuncture one time a week for six weeks to the cervical spine, thoracic spine "
        "and both shoulders, to be scheduled after the follow-up visit of 12/20/2016 (6 sessions), "
        "per the RFA dated 11/10/2016",
        "Compounded topical cream containing flurbiprofen 20 percent, baclofen 5 percent, "
        "cyclobenzaprine 2 percent, gabapentin 6 percent and lidocaine 5 percent, apply a thin layer "
        "to the affected areas three times daily, 240 grams with two refills, for the cervical "
        "spine, lumbar spine and both shoulders, dispensed 11/02/2016",
        "Electromyography and nerve conduction velocity studies of both upper extremities, DOS: "
        "12/01/2016",
    ]
    assert [item.decision for item in parsed.meta.items] == [
        "overturned",
        "upheld",
        "upheld",
        "upheld",
        "upheld",
    ]
    assert parsed.meta.items[4].rationale == (
        "There were no neurologic deficits on examination. The request is not medically necessary."
    )


def test_partly_authorised_requests_split_into_treatment_and_note() -> None:
    items = letter("synthetic_2016_partial_pagebreaks").meta.items
    assert [(i.treatment, i.decision) for i in items] == [
        ("Tizanidine 4mg #30", "upheld"),
        ("home health aide four hours per day, five days a week for six weeks", "overturned"),
        ("hinge for the right knee #1", "upheld"),
    ]
    assert items[0].request_note == (
        "Tizanidine 4mg #90 was the original request. Tizanidine 4mg #60 was authorized by the "
        "Claims Administrator."
    )
    assert items[1].request_note == (
        "Home health aide four hours per day, five days a week for six weeks was the original "
        "request. The Claims Administrator authorized a home health aide four hours per day, five "
        "days a week for two weeks, leaving the original request IMR eligible."
    )
    assert items[2].request_note == (
        "Knee sleeve with hinge for the right knee #1 was the original request. A simple knee "
        "sleeve for the right knee #1 was authorized by the Claims Administrator."
    )


def test_page_breaks_inside_a_guideline_and_a_rationale_leave_no_trace() -> None:
    items = letter("synthetic_2016_partial_pagebreaks").meta.items
    assert items[0].reviewer_guideline == (
        "Decision based on MTUS Chronic Pain Medical Treatment 2016, Section(s): Muscle relaxants "
        "(for pain)."
    )
    assert items[2].rationale.endswith(
        'the request for a hinged sleeve is therefore "not medically necessary."'
    )
    assert all("Page" not in item.rationale for item in items)


def test_letter_with_twelve_items_keeps_their_order() -> None:
    meta = letter("synthetic_2016_many_items").meta
    assert len(meta.items) == 12
    assert meta.items[0].treatment == "Physical therapy for the lumbar spine, 8 sessions"
    assert meta.items[11].treatment == "Follow-up visit with pain management in 4 weeks"
    assert [i.decision for i in meta.items].count("overturned") == 3
    assert all(f"Item {n} of" in i.rationale for n, i in enumerate(meta.items, start=1))
    assert meta.priority == "Expedited"


@pytest.mark.parametrize(
    ("name", "age", "sex"),
    [
        ("synthetic_2016_basic", 36, "female"),  # "a now 36-year-old female"
        ("synthetic_2016_wrapping", 59, "male"),  # "a(n) 59 year old male"
        ("synthetic_2016_partial_pagebreaks", 38, "male"),  # "The 38 year old male injured worker"
        ("synthetic_2016_many_items", None, "female"),  # no age stated
        ("synthetic_2014_prose", 52, "male"),
    ],
)
def test_worker_age_and_sex(name: str, age: int | None, sex: str) -> None:
    worker = letter(name).meta.worker
    assert (worker.age, worker.sex) == (age, sex)


def test_older_era_prose_credentials_and_page_citations() -> None:
    parsed = letter("synthetic_2014_prose")
    meta = parsed.meta
    assert meta.case_number == "synthetic_2014_prose"  # no case number: the file stem
    assert meta.decision_date is None
    assert meta.reviewer.specialty == "Physical Medicine and Rehabilitation, Pain Medicine"
    assert meta.reviewer.licensure == ("California", "Arizona")
    assert treatments(parsed) == [
        "Massage therapy 8 sessions (unspecified)",
        "Tramadol 50mg #120",
        "Cervical pillow",
    ]
    assert meta.items[1].reviewer_guideline == (
        "Decision based on MTUS Chronic Pain Treatment Guidelines Tramadol Page(s): 93-94."
    )
    assert parsed.summary.startswith("The injured worker is a 52-year-old male who was injured")


def test_summary_is_the_case_text_without_the_lead_in() -> None:
    summary = letter("synthetic_2016_basic").summary
    assert summary.startswith("This case involves a now 36-year-old female")
    assert summary.endswith("utilization review non-certified the requests below.")


def test_extractor_layout_does_not_matter() -> None:
    """No blank lines (as PDFium gives), CRLF, doubled and trailing spaces give the same record."""
    text = (LETTERS / "synthetic_2016_wrapping.txt").read_text()
    squeezed = "\r\n".join(
        line.replace(" ", "  ") + "   " for line in text.splitlines() if line.strip()
    )
    assert parse_letter_text(squeezed, source="x.txt") == parse_letter_text(text, source="x.txt")


def test_letter_without_items_is_an_error_with_a_reason() -> None:
    text = (LETTERS / "synthetic_2016_basic.txt").read_text().split("IMR ISSUES")[0]
    text += "IMR ISSUES, DECISIONS AND RATIONALES\nNothing here.\n"
    with pytest.raises(LetterError, match="no disputed items found"):
        parse_letter_text(text, source="x.txt")


def test_item_without_rationale_is_an_error_with_a_reason() -> None:
    text = (LETTERS / "synthetic_2016_basic.txt").read_text()
    text = text.replace("Decision rationale: In this fictitious", "In this fictitious")
    with pytest.raises(LetterError, match=r"item 2: no 'Decision rationale:'"):
        parse_letter_text(text, source="x.txt")


def test_not_a_letter_is_an_error() -> None:
    with pytest.raises(LetterError, match="no clinical case summary"):
        parse_letter_text("Hello\nworld\n", source="notes.txt")


def test_non_synthetic_letter_is_not_marked_synthetic() -> None:
    text = (LETTERS / "synthetic_2016_basic.txt").read_text().replace("SYNTHETIC LETTER", "")
    assert parse_letter_text(text, source="x.txt").meta.synthetic is False


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["claim from 10/12/", "2016. The"], "claim from 10/12/2016. The"),
        (["seen 03/", "28/", "2016 and"], "seen 03/28/2016 and"),
        (["signed 10–04–", "2016"], "signed 10–04–2016"),
        (["MRI of 26.05.", "2015 showed"], "MRI of 26.05.2015 showed"),
        (["Ms. Okonkwo-", "Reyes"], "Ms. Okonkwo-Reyes"),
        (["it ended in 2016.", "3 weeks later"], "it ended in 2016. 3 weeks later"),
        (["pain 7/10", "2 days"], "pain 7/10 2 days"),
    ],
)
def test_a_line_break_inside_a_date_or_a_word_is_rejoined(lines: list[str], joined: str) -> None:
    assert join_lines(lines) == joined


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("10/12/2016", dt.date(2016, 10, 12)),
        ("10/ 12/ 2016", dt.date(2016, 10, 12)),
        ("12 - 19 - 2013", dt.date(2013, 12, 19)),
        ("11.08.1979", dt.date(1979, 11, 8)),
        ("19/02/1958", dt.date(1958, 2, 19)),
        ("2016-08-15", dt.date(2016, 8, 15)),
        ("3-Oct-66", dt.date(1966, 10, 3)),
        ("12/Oct/2016", dt.date(2016, 10, 12)),
        ("Oct-12-2016", dt.date(2016, 10, 12)),
        ("April 4th, 2016", dt.date(2016, 4, 4)),
        ("Jan. 3, 2017", dt.date(2017, 1, 3)),
        ("19JUL2016", dt.date(2016, 7, 19)),
        ("13/13/2016", None),
    ],
)
def test_header_dates_are_read_in_every_shape(text: str, date: dt.date | None) -> None:
    assert re.fullmatch(DATE_PATTERN, text, re.IGNORECASE)
    assert parse_date(text) == date


def test_a_header_date_split_across_lines_is_read() -> None:
    header = parse_header(
        [
            "Case Number: CM99-0000001",
            "Date of Injury: 06/",
            "14/2015 Decision Date: 11/29/",
            "2016",
        ]
    )
    assert (header.injury_date, header.decision_date) == (
        dt.date(2015, 6, 14),
        dt.date(2016, 11, 29),
    )

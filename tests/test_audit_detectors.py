"""The leak audit's detectors for organisations and marked initials, and the record screen's names
next to a name found and an organisation's leading words: found in shapes written for this test
(none of them a fixture letter's), never in clinical and guideline text, linear on hostile text."""

from __future__ import annotations

import time

import pytest
import re2

from generator import detectors
from generator.detectors import Screen, find_spans


def _kinds(text: str) -> dict[str, str]:
    return {text[span.start : span.end]: span.kind for span in find_spans(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("She was admitted to Sierra Vista Regional Hospital overnight.", "Sierra Vista Regional"),
        ("He was first seen at Bayfront Urgent Care in the evening.", "Bayfront Urgent Care"),
        ("An FCE was done by Tamarisk Diagnostics last spring.", "Tamarisk Diagnostics"),
        ("She was transferred to Ridgecrest Medical and casted.", "Ridgecrest Medical"),
        ("He volunteers at St. Brigid of Kildare on weekends.", "St. Brigid of Kildare"),
        ("He drives for the Yolo Unified School District.", "Yolo Unified School District"),
        ("She is a 41-year-old deputy sheriff for the LASD and", "LASD"),
        ("He has worked at WKRP since 2009 as a sound technician.", "WKRP"),
        ("Her initials are written R. D'A.-M. in the notes.", "R. D'A.-M."),
    ],
)
def test_organisations_and_marked_initials_are_found_by_their_shape(
    text: str, expected: str
) -> None:
    found = _kinds(text)
    assert any(expected in span for span in found), found
    assert found[next(span for span in found if expected in span)] in {"organization", "name"}


@pytest.mark.parametrize(
    "text",
    [
        "Per the MTUS Chronic Pain Medical Treatment Guidelines, it is not recommended.",
        "St. John's wort 300 mg daily was stopped.",
        "He was seen in the Emergency Department and discharged.",
        "Magnetic Resonance Imaging of the lumbar spine was normal.",
        "A 45-year-old male with CRPS and pain at the DIP joint.",
        "The request for ESWT is not medically necessary.",
        "Decision based on MTUS Low Back Complaints, with Physical Therapy per ODG.",
        "The U.S. Food and Drug Administration approved it; M.D. signed.",
        "She is a 52-year-old female with a SLAP tear at the MCP joint.",
        "According to the Cleveland Clinic, a spinal cord stimulator by St. Jude Medical may help.",
        "MDGuidelines, from the Reed Group, recommend it.",
    ],
)
def test_clinical_and_guideline_text_holds_no_organisation(text: str) -> None:
    assert find_spans(text) == [], _kinds(text)


def test_a_citation_publishes_its_publisher() -> None:
    text = "Reed Group. Work Loss Data Institute, Encinitas (CA); 2015 Jan. 10; available at odg."
    assert find_spans(text) == []


def _flagged(declared: list[tuple[str, str]], texts: list[str], word: str) -> bool:
    spans = Screen.of(declared).spans_of_record(texts)
    return any(
        word in text[span.start : span.end]
        for text, found in zip(texts, spans, strict=True)
        for span in found
    )


def test_a_word_next_to_a_declared_name_is_part_of_it_and_looked_for_everywhere() -> None:
    declared = [("TRAN, THI HOA", "name")]
    texts = ["Lulu Tran is a 40 year old machinist.", "Lulu was seen for her wrist."]
    assert _flagged(declared, texts, "Lulu")
    assert _flagged(declared, texts[1:] + texts[:1], "Lulu")  # in any string of the record
    assert not _flagged(declared, ["The patient Tran has pain."], "The")


def test_an_organisations_leading_words_are_a_form_of_it() -> None:
    declared = [("Copper Ridge Metal Works, Inc.", "organization")]
    assert _flagged(declared, ["She works on the Copper Ridge line."], "Copper Ridge")
    assert not _flagged([("Medical Group of Fresno", "organization")], ["medical group"], "medical")


@pytest.mark.parametrize(
    "text",
    [
        "Aaa " * 20_000 + "Medical Center",
        "St. " * 20_000,
        "A. " * 25_000 + "O'B.",
        "works at the " * 8_000,
        "to Aaa & Aaa & " * 8_000,
        "year-old " * 10_000 + "officer at the ABC",
        "Aaa of Aaa " * 10_000 + "Hospital",
    ],
    ids=lambda text: repr(text[:12]),
)
def test_the_new_detectors_stay_linear_on_hostile_text(text: str) -> None:
    started = time.perf_counter()
    detectors.find_spans(text)
    assert time.perf_counter() - started < 10  # a quadratic pattern takes minutes


SCREENED = [
    "Seen by Dr. Ngata for Priya Okonkwo-Lindqvist (P.O.L.) at Brightwater Pump & Seal Co.",
    "PRIYA was injured; OKONKWO LINDQVIST, Priya reported it to BPSC on 3/4/2016.",
    "Okonkwolindqvist and p.o.l. and P. O. L. and \u017friya and PR\u0130YA and Priy\u00e4.",
    "The Kelvin sign: \u212aaleo; the dotless i: pr\u0131ya; nothing else declared here.",
    "A clean rationale: the request for physical therapy is not medically necessary.",
]
DECLARED = [
    ("OKONKWO-LINDQVIST, PRIYA", "name"),
    ("Priya Okonkwo-Lindqvist", "name"),
    ("Brightwater Pump & Seal Company", "organization"),
    ("Kaleo Ngata", "name"),
    ("Zzyzx Road 1234", "address"),
]


@pytest.mark.parametrize("count", range(1, len(SCREENED) + 1))
def test_a_screen_made_for_its_strings_finds_what_the_whole_screen_finds(count: int) -> None:
    """Leaving out the forms that stand in none of the strings (``Screen.of(declared, texts)``)
    changes nothing that is found: cases, accents, İ, ı, ſ and the Kelvin sign included."""
    texts = SCREENED[:count]
    whole = Screen.of(DECLARED).spans_of_record(texts)
    assert Screen.of(DECLARED, texts).spans_of_record(texts) == whole
    assert any(span.kind == "name" for spans in whole for span in spans)


@pytest.mark.parametrize(
    "text",
    [
        "Seen on 10/13/2016 by Dr. Smith at 555-123-4567.",
        "Vu le 10/13/2016 \u2014 Jos\u00e9 Mu\u00f1oz \u2026 Dr. \u00c9mile 555\u2013123\u20134567, "
        "Christmas 2015 \U0001f600 at Kern Medical.",
        "\u00e9" * 50 + " 12345 " + "\u4e2d" * 30 + " Mr. Smith",
        "",
    ],
)
def test_candidates_are_found_at_their_characters_in_any_text(text: str) -> None:
    """The candidate scan reads UTF-8 bytes and counts back to characters: its places are those
    RE2 gives on the text itself."""
    on_text = re2.compile(detectors._CANDIDATE.pattern.decode())
    spans = list(detectors.candidate_spans(text))
    assert spans == [(match.start(), match.end()) for match in on_text.finditer(text)]
    assert len(spans) > 0 or not text
    assert [start for start, _ in spans] == list(detectors.candidate_starts(text))

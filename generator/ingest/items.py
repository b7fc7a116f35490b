"""Items: every disputed item in the issues section, in order, with its decision, guidelines and rationale.

An item starts with its treatment paragraph, which ends in the decision (": Upheld", or the decision
word alone on the next line after a line ending in ":"). Then come "Claims Administrator guideline:",
"MAXIMUS guideline:" and "Decision rationale:", each running to the next marker or item. Blank lines are
never used (extractors disagree on them); where one item's rationale ends and the next treatment
begins is found by walking back from the decision over wrapped lines: a line that ends a sentence,
is short, or starts a marker belongs to the previous item. A partly authorised request ("X was the
original request. Y was authorized ... The remaining IMR eligible portion ... is: Upheld") is
followed back to its "was the original request" sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from generator.ingest.text import LetterError, join_lines
from generator.schema import Decision

_INTRO = re.compile(r"The Final Determination was based on decisions? for the disputed", re.I)
_DECISION_END = re.compile(r":\s*(?:Upheld|Overturned)\.?$", re.I)
_DECISION_ALONE = re.compile(r"(?:Upheld|Overturned)\.?", re.I)
_HEADER = re.compile(r"(?P<text>.*?)\s*:\s*(?P<decision>Upheld|Overturned)\.?", re.I | re.S)
_MARKERS = {
    "claims_administrator_guideline": re.compile(r"Claims Administrator guideline\s*:\s*", re.I),
    "reviewer_guideline": re.compile(
        r"(?:MAXIMUS|Expert Reviewer|Reviewer|IMR|Independent Reviewer) guideline\s*:\s*", re.I
    ),
    "rationale": re.compile(r"Decision rationale\s*:\s*", re.I),
}
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_PARTIAL_HINT = re.compile(
    r"\b(?:IMR eligible|was authorized|authorized by the Claims Administrator)\b", re.I
)
_PARTIAL_START = re.compile(r"was the original request", re.I)
_PARTIAL_SPLIT = re.compile(
    r"^(?P<note>.*?(?:[.!?]))\s*(?:The remaining IMR eligible portion of the original request"
    r"|The original request)\s*,?\s*(?P<treatment>.+?)(?:\s+is|\s+are)?$",
    re.I | re.S,
)
FULL_LINE_SHARE = 0.6
"""A wrapped line fills at least this share of the letter's usual line length."""


class ItemsError(LetterError):
    """The issues section has no items, or an item lacks its rationale."""


@dataclass(frozen=True)
class ParsedItem:
    """One disputed item as written in the letter."""

    treatment: str
    decision: Decision
    claims_administrator_guideline: str | None
    reviewer_guideline: str | None
    rationale: str
    request_note: str | None


@dataclass(frozen=True)
class _Span:
    """Line indexes of one item: treatment paragraph [start, decision], body (decision, end)."""

    start: int
    decision: int
    end: int


def parse_items(issues: Sequence[str]) -> tuple[ParsedItem, ...]:
    """Every item of the issues section (its lines after the heading, before any footer)."""
    lines = _drop_intro(issues)
    anchors = _decision_lines(lines)
    if not anchors:
        raise ItemsError("no disputed items found (no line ending in ': Upheld' or ': Overturned')")
    width = _usual_line_length(lines)
    starts = [0]
    for previous, anchor in pairwise(anchors):
        starts.append(_treatment_start(lines, previous + 1, anchor, width))
    ends = [*starts[1:], len(lines)]
    spans = [_Span(s, a, e) for s, a, e in zip(starts, anchors, ends, strict=True)]
    return tuple(_item(lines, span, number) for number, span in enumerate(spans, start=1))


def _drop_intro(lines: Sequence[str]) -> Sequence[str]:
    """Drop "The Final Determination was based on decisions ... set forth below:" (maybe wrapped)."""
    if not lines or not _INTRO.match(lines[0]):
        return lines
    for index, line in enumerate(lines[:3]):
        if line.endswith(":"):
            return lines[index + 1 :]
    return lines[1:]


def _decision_lines(lines: Sequence[str]) -> list[int]:
    """Indexes of the lines that carry an item's decision."""
    anchors = []
    for index, line in enumerate(lines):
        if _is_marker(line):
            continue
        alone = _DECISION_ALONE.fullmatch(line) and index > 0 and lines[index - 1].endswith(":")
        if alone or _DECISION_END.search(line):
            anchors.append(index)
    return anchors


def _usual_line_length(lines: Sequence[str]) -> int:
    lengths = sorted(len(line) for line in lines)
    return lengths[int(len(lengths) * 0.9)] if lengths else 0


def _treatment_start(lines: Sequence[str], low: int, anchor: int, width: int) -> int:
    """The first line of the treatment paragraph ending at ``anchor`` (never before ``low``)."""
    last = anchor - 1 if _DECISION_ALONE.fullmatch(lines[anchor]) else anchor
    start = _wrapped_start(lines, low, max(last, low), width)
    text = join_lines(lines[start : anchor + 1])
    if _PARTIAL_HINT.search(text) and not _PARTIAL_START.search(text):
        for index in range(start - 1, low - 1, -1):
            if _is_marker(lines[index]):
                break
            if _PARTIAL_START.search(join_lines(lines[index:start])):
                return _wrapped_start(lines, low, index, width)
    return start


def _wrapped_start(lines: Sequence[str], low: int, last: int, width: int) -> int:
    """Walk back from line ``last`` while the line before is a wrapped part of the same paragraph."""
    start = last
    while start > low and _wraps_into_next(lines[start - 1], width):
        start -= 1
    return start


def _wraps_into_next(line: str, width: int) -> bool:
    return (
        not _is_marker(line)
        and not _SENTENCE_END.search(line)
        and len(line) >= FULL_LINE_SHARE * width
    )


def _is_marker(line: str) -> bool:
    return any(marker.match(line) for marker in _MARKERS.values())


def _item(lines: Sequence[str], span: _Span, number: int) -> ParsedItem:
    header = _HEADER.fullmatch(join_lines(lines[span.start : span.decision + 1]))
    if header is None:  # pragma: no cover - every anchor line ends in ': decision' or follows ':'
        raise ItemsError(f"item {number}: the decision is not at the end of its paragraph")
    fields = _fields(lines[span.decision + 1 : span.end])
    rationale = fields.get("rationale")
    if not rationale:
        raise ItemsError(f"item {number}: no 'Decision rationale:' found")
    treatment, note = _split_partial(header["text"])
    return ParsedItem(
        treatment=treatment,
        decision="upheld" if header["decision"].lower() == "upheld" else "overturned",
        claims_administrator_guideline=fields.get("claims_administrator_guideline"),
        reviewer_guideline=fields.get("reviewer_guideline"),
        rationale=rationale,
        request_note=note,
    )


def _fields(body: Sequence[str]) -> dict[str, str]:
    """The marked fields of an item body, each joined into one string."""
    parts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in body:
        text = line
        for name, marker in _MARKERS.items():
            found = marker.match(line)
            if found:
                current = parts.setdefault(name, [])
                text = line[found.end() :]
                break
        if current is not None and text:
            current.append(text)
    return {name: join_lines(texts) for name, texts in parts.items() if texts}


def _split_partial(text: str) -> tuple[str, str | None]:
    """Treatment and request note of a partly authorised request; other items have no note."""
    if not _PARTIAL_START.search(text):
        return text, None
    found = _PARTIAL_SPLIT.fullmatch(text)
    if found is None:
        return text, None
    return found["treatment"], found["note"]

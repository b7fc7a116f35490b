"""Diagnosis groups: which browsable groups (body region, kind of condition) a case summary names.

The groups and their words are data (``data/diagnoses.yaml``). Only the summary's diagnosis
sentences are read ("Diagnoses include ...", "diagnosed with ...", "the current diagnosis is ...",
"being treated for ...", "filed a claim for ..."), so history sentences do not add groups.
ICD-10-CM codes (and ICD-9-CM codes after "ICD-9") anywhere in the summary add the groups
their prefixes name.
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from generator.normalize.data import Pattern, Slug, StrictModel, Text, data_file, load_data

log = logging.getLogger(__name__)

DIAGNOSES_FILE = "diagnoses.yaml"
_CUE = re.compile(
    r"\bdiagnos(?:is|es|ed)\b|\bimpressions?\b|\b(?:treated|treatment|claim)\s+for\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<![A-Z][a-z])(?<!\b[A-Z])\.(?=\s+[A-Z\"'(]|\s*$)")
_ICD10 = re.compile(r"\b([A-TV-Z]\d{2}(?:\.\d[0-9A-Z]{0,3})?)\b")
_ICD10_DOTTED = re.compile(r"\b([A-TV-Z]\d{2}\.\d[0-9A-Z]{0,3})\b")
_ICD_CONTEXT = re.compile(r"\bICD(?:-?(9|10))?(?:-CM)?\b[^.;]{0,200}", re.IGNORECASE)
_ICD9 = re.compile(r"\b(V\d{2}(?:\.\d{1,2})?|\d{3}(?:\.\d{1,2})?)\b")


class GroupEntry(StrictModel):
    slug: Slug
    title: Text
    kind: Literal["region", "condition"]
    match: tuple[Pattern, ...] = Field(min_length=1)
    icd: tuple[str, ...] = ()


class DiagnosesFile(StrictModel):
    version: int = Field(ge=1, le=1)
    groups: tuple[GroupEntry, ...] = Field(min_length=1)


@dataclass(frozen=True)
class DiagnosisGroup:
    """A browsable diagnosis group; ``kind`` is 'region' (where) or 'condition' (what)."""

    slug: str
    title: str
    kind: str = "condition"


@dataclass(frozen=True)
class _Group:
    group: DiagnosisGroup
    words: re.Pattern[str]
    icd10: tuple[str, ...]
    icd9: tuple[str, ...]


def diagnosis_groups(summary: str) -> tuple[DiagnosisGroup, ...]:
    """The groups named by a summary's diagnosis sentences and ICD codes, in data-file order.

    Not cached: every letter's summary is its own (no hit in 4,000 synthetic records), and a cache
    of 65,536 of them kept up to 65,536 summaries alive in each worker (0.4 KB a record read)."""
    text = diagnosis_text(summary)
    icd10, icd9 = _codes(summary)
    found = []
    for group in _compiled():
        named = bool(text) and group.words.search(text) is not None
        coded = any(code.startswith(p) for code in icd10 for p in group.icd10) or any(
            code.startswith(p) for code in icd9 for p in group.icd9
        )
        if named or coded:
            found.append(group.group)
    return tuple(found)


def all_groups() -> tuple[DiagnosisGroup, ...]:
    """Every diagnosis group, in data-file order (for index pages)."""
    return tuple(group.group for group in _compiled())


def diagnosis_text(summary: str) -> str:
    """The summary's diagnosis sentences, from each cue word to the end of its sentence."""
    text = " ".join(summary.split())
    parts = []
    for cue in _CUE.finditer(text):
        end = _SENTENCE_END.search(text, cue.end())
        parts.append(text[cue.end() : end.start() if end else len(text)])
    return " | ".join(parts)


def _codes(summary: str) -> tuple[set[str], set[str]]:
    """ICD-10 codes (dotted anywhere, undotted after 'ICD') and ICD-9 codes after 'ICD-9'."""
    icd10 = {match.group(1) for match in _ICD10_DOTTED.finditer(summary)}
    icd9: set[str] = set()
    for context in _ICD_CONTEXT.finditer(summary):
        if context.group(1) == "9":
            icd9 |= {match.group(1) for match in _ICD9.finditer(context.group(0))}
        else:
            icd10 |= {match.group(1) for match in _ICD10.finditer(context.group(0))}
    return icd10, icd9


def load_diagnoses(path: Path | None = None) -> DiagnosesFile:
    """The validated diagnosis groups (``generator/data/diagnoses.yaml`` unless ``path``)."""
    return load_data(path or data_file(DIAGNOSES_FILE), DiagnosesFile)


@functools.cache
def _compiled() -> tuple[_Group, ...]:
    groups = []
    for entry in load_diagnoses().groups:
        body = "|".join(f"(?:{pattern})" for pattern in entry.match)
        words = re.compile(rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9])", re.IGNORECASE)
        icd10 = tuple(code for code in entry.icd if not code.startswith("9:"))
        icd9 = tuple(code[2:] for code in entry.icd if code.startswith("9:"))
        group = DiagnosisGroup(entry.slug, entry.title, entry.kind)
        groups.append(_Group(group, words, icd10, icd9))
    return tuple(groups)


__all__ = ["DiagnosisGroup", "all_groups", "diagnosis_groups", "diagnosis_text", "load_diagnoses"]

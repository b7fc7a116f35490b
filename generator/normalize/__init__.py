"""Normalization: citation strings, item texts and case summaries to the site's browsable vocabulary.

``resolve_citation`` maps a guideline citation to catalog entries (``load_catalog``),
``normalize_treatment`` maps an item to a canonical treatment and category, and
``diagnosis_groups`` maps a summary to diagnosis groups. All data lives in ``generator/data``.
"""

from __future__ import annotations

import logging

from generator.normalize.catalog import Catalog, Guideline, Section, load_catalog
from generator.normalize.citations import CitationRef, Resolution, resolve_citation
from generator.normalize.data import DataFileError
from generator.normalize.diagnoses import DiagnosisGroup, all_groups, diagnosis_groups
from generator.normalize.treatments import TreatmentInfo, normalize_treatment

log = logging.getLogger(__name__)

__all__ = [
    "Catalog",
    "CitationRef",
    "DataFileError",
    "DiagnosisGroup",
    "Guideline",
    "Resolution",
    "Section",
    "TreatmentInfo",
    "all_groups",
    "diagnosis_groups",
    "load_catalog",
    "normalize_treatment",
    "resolve_citation",
]

"""Turn a validated record into its public form: the only object templates ever see.

Privacy by construction: ``PublicDetermination`` has no field for full dates, the worker's exact
age or the ``private`` section, so no template can print them; its ``published_case_number`` is
None unless the publisher opted in (``show_case_numbers``: letters the state already published
with it). The public id is a keyed hash (HMAC-SHA256) of the case number with the publisher's secret: stable across rebuilds,
not reversible without the secret. Every free-text field (summary, treatment, guidelines, rationale,
request note) goes through the record's scrubber (``generator.scrub``): identifiers the record declares
and those the detectors find become bracketed kinds, dates become years.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from generator.schema import Decision, Item, Record
from generator.scrub import Scrubber, scrubber_for

PUBLIC_ID_LENGTH = 12
DEMO_SECRET = "imr-site-demo-secret-not-for-production"  # noqa: S105 - public by design
"""The documented secret of the bundled sample. Publishers set IMR_ID_SECRET to their own."""

AGE_BANDS: tuple[tuple[int, int, str], ...] = (
    (0, 19, "under 20"),
    (20, 29, "20–29"),
    (30, 39, "30–39"),
    (40, 49, "40–49"),
    (50, 59, "50–59"),
    (60, 69, "60–69"),
    (70, 79, "70–79"),
    (80, 89, "80–89"),
)
AGE_NINETY_OR_OLDER = "90 or older"
AGE_NOT_STATED = "age not stated"


@dataclass(frozen=True)
class PublicItem:
    """One disputed item as published."""

    number: int
    treatment: str
    decision: Decision
    claims_administrator_guideline: str | None
    reviewer_guideline: str | None
    rationale: str
    request_note: str | None


@dataclass(frozen=True)
class PublicDetermination:
    """A determination as published: nothing here may identify the worker or the case."""

    public_id: str
    year: int | None
    age_band: str
    sex: str
    reviewer_specialty: str | None
    reviewer_licensure: tuple[str, ...]
    items: tuple[PublicItem, ...]
    summary: str
    synthetic: bool
    recency: int
    """Orders determinations newest first; a day count, never rendered."""
    published_case_number: str | None = None
    """The IMR case number, only where the publisher opted in (``anonymize(case_numbers=True)``)."""


def public_id(case_number: str, secret: str) -> str:
    """The stable public identifier of a case: a keyed hash, lower-case base32, 12 characters."""
    key = secret.encode("utf-8")
    message = b"imr-case:" + case_number.strip().upper().encode("utf-8")
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:PUBLIC_ID_LENGTH]


def age_band(age: int | None) -> str:
    """Ten-year bands; 90 and over collapse into one band (HIPAA Safe Harbor)."""
    if age is None:
        return AGE_NOT_STATED
    if age >= 90:
        return AGE_NINETY_OR_OLDER
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


def anonymize(record: Record, secret: str, *, case_numbers: bool = False) -> PublicDetermination:
    """The public form of one record, every free-text field scrubbed; with ``case_numbers``, its
    case number too (it stays scrubbed from the texts)."""
    meta = record.meta
    scrub = scrubber_for(record)
    items = tuple(
        _public_item(number, item, scrub) for number, item in enumerate(meta.items, start=1)
    )
    return PublicDetermination(
        public_id=public_id(meta.case_number, secret),
        year=meta.decision_date.year if meta.decision_date else None,
        age_band=age_band(meta.worker.age),
        sex=meta.worker.sex,
        reviewer_specialty=meta.reviewer.specialty,
        reviewer_licensure=meta.reviewer.licensure,
        items=items,
        summary=scrub(record.summary),
        synthetic=meta.synthetic,
        recency=meta.decision_date.toordinal() if meta.decision_date else 0,
        published_case_number=meta.case_number.strip().upper() if case_numbers else None,
    )


def _public_item(number: int, item: Item, scrub: Scrubber) -> PublicItem:
    return PublicItem(
        number=number,
        treatment=scrub(item.treatment),
        decision=item.decision,
        claims_administrator_guideline=_optional(item.claims_administrator_guideline, scrub),
        reviewer_guideline=_optional(item.reviewer_guideline, scrub),
        rationale=scrub(item.rationale),
        request_note=_optional(item.request_note, scrub),
    )


def _optional(text: str | None, scrub: Scrubber) -> str | None:
    return scrub(text) if text is not None else None

"""The record format, version 1: the one declared schema every determination record must match.

A record is a Markdown file whose YAML front matter is checked against these models and whose body
is the clinical case summary. Unknown keys are errors (``extra="forbid"``); every model is frozen.
The field-by-field reference for publishers is ``docs/record-format.md``; keep the two in step.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

RECORD_FORMAT_VERSION: Literal[1] = 1

NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Decision = Literal["upheld", "overturned"]
Sex = Literal["male", "female", "unknown"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class Worker(_Strict):
    """The injured worker as the letter describes them; published only as an age band and sex."""

    age: int | None = Field(default=None, ge=0, le=120)
    sex: Sex = "unknown"


class Reviewer(_Strict):
    """The IMR expert reviewer's credentials (never a name: the letters carry none)."""

    specialty: NonEmptyText | None = None
    licensure: tuple[NonEmptyText, ...] = ()


class Item(_Strict):
    """One disputed item/service and its decision, in the letter's order."""

    treatment: NonEmptyText
    decision: Decision
    claims_administrator_guideline: str | None = None
    reviewer_guideline: str | None = None
    rationale: NonEmptyText
    request_note: str | None = None
    """Wording about a partly authorised request ("X was the original request. Y was authorized")."""


class Private(_Strict):
    """Identifiers seen in the source letter. Never published; used to scrub text and audit output."""

    names: tuple[NonEmptyText, ...] = ()
    organizations: tuple[NonEmptyText, ...] = ()
    addresses: tuple[NonEmptyText, ...] = ()
    phones: tuple[NonEmptyText, ...] = ()
    emails: tuple[NonEmptyText, ...] = ()
    identifiers: tuple[NonEmptyText, ...] = ()
    """Claim, WCAB, SSN, NPI, medical record and other numbers or codes."""
    dates: tuple[dt.date, ...] = ()
    """Dates that identify (date of birth, ...) beyond the header dates."""

    def values(self) -> tuple[str, ...]:
        """Every declared identifier as text."""
        texts = (*self.names, *self.organizations, *self.addresses, *self.phones, *self.emails)
        return (*texts, *self.identifiers, *(d.isoformat() for d in self.dates))


MOST_ITEMS = 32_767
"""The most disputed items a record may list (real letters list a few): the build keeps a
determination's number of items in two bytes (``crosslink.SiteIndex.item_counts``)."""


class FrontMatter(_Strict):
    """The YAML front matter of a record file."""

    format: Literal[1] = RECORD_FORMAT_VERSION
    case_number: NonEmptyText
    decision_date: dt.date | None = None
    injury_date: dt.date | None = None
    assigned_date: dt.date | None = None
    ur_denial_date: dt.date | None = None
    received_date: dt.date | None = None
    priority: str | None = None
    worker: Worker = Worker()
    reviewer: Reviewer = Reviewer()
    items: tuple[Item, ...] = Field(min_length=1, max_length=MOST_ITEMS)
    private: Private = Private()
    synthetic: bool = False
    """True for letters and records written for the sample and the tests, not taken from DWC."""

    def reference_year(self) -> int:
        """The year the record's two-digit years are read against: its decision's, else that of
        its latest other header date, else UNDATED_REFERENCE_YEAR; never the day of the build
        (the same record gives the same site whenever it is built)."""
        dates = (self.received_date, self.assigned_date, self.ur_denial_date, self.injury_date)
        known = [date for date in dates if date is not None]
        if self.decision_date is not None:
            return self.decision_date.year
        return max(known).year if known else UNDATED_REFERENCE_YEAR


UNDATED_REFERENCE_YEAR = 2026
"""The reference year of a record with no date at all (an older-era letter without its header)."""


class Record(_Strict):
    """A validated determination record: the front matter plus its source file and summary."""

    source: str
    """The record file's path as given to the loader (for messages; never published)."""
    meta: FrontMatter
    summary: str

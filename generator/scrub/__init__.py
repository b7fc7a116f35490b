"""Scrubbing: free text without identifiers, the entry point of ``generator.scrub``.

``scrubber_for(record)`` builds, once per record, a ``Scrubber`` that replaces what the record declares
(its ``private`` section and case number, in every variant) and then whatever the detectors find that
no record declared: e-mail addresses, URLs, IPs, SSNs, case, claim and other labelled numbers, phone
and fax numbers, dates (to the year), ages of 90 and over, street addresses, cities and ZIP codes,
long numbers, and names. Must-keep tokens (drug strengths, pain scores, ICD and CPT codes, spinal
levels, guideline pages, eponym tests) are hidden from every detector while they run.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from dataclasses import dataclass

from generator.schema import Record
from generator.scrub.addresses import ADDRESS, CITY, scrub_addresses
from generator.scrub.contacts import EMAIL, PHONE, scrub_contacts
from generator.scrub.dates import scrub_cued_month_days, scrub_dates
from generator.scrub.declared import (
    DeclaredPattern,
    Variant,
    address_variants,
    build_declared,
    email_variants,
    name_variants,
    number_variants,
    organization_variants,
    phone_variants,
)
from generator.scrub.keep import protect, restore
from generator.scrub.names import NAME, ORGANIZATION, harvest_names, scrub_names
from generator.scrub.numbers import CASE_NUMBER, NUMBER, ZIP, scrub_labelled_numbers, scrub_numbers

__all__ = ["Scrubber", "scrub_text", "scrubber_for"]

log = logging.getLogger(__name__)

_NOTHING_DECLARED = build_declared(())
_NOT_DIGIT = re.compile(r"\D+")
_RUNS = re.compile(r"(\[(?:name|organization|address|city)\])(?: +\1)+")
"""A first and a last name found apart read as one: "[name] [name]" becomes "[name]"."""


@dataclass(frozen=True)
class Scrubber:
    """Scrubs the free text of one record: its declared identifiers, then every detector."""

    declared: DeclaredPattern
    reference_year: int
    """The decision's year: a year at least 90 years before it would reveal an age of 90 or more."""

    def __call__(self, text: str) -> str:
        """``text`` with every identifier replaced by its bracketed kind, dates by their year."""
        if not text:
            return text
        text = scrub_cued_month_days(text)
        hidden, kept = protect(text)
        if self.declared.cannot_match(hidden):
            # Then the result depends on the text and the year alone: citations and other
            # boilerplate repeat across records, so it is worth remembering.
            return _detected(text, self.reference_year)
        return restore(_detectors(self.declared.scrub(hidden), self.reference_year), kept)


@functools.lru_cache(maxsize=8192)
def _detected(text: str, reference_year: int) -> str:
    """``text`` through the detectors alone, must-keep tokens protected."""
    hidden, kept = protect(text)
    return restore(_detectors(hidden, reference_year), kept)


def _detectors(hidden: str, reference_year: int) -> str:
    """Every detector, in order, over text whose must-keep tokens are hidden."""
    hidden = scrub_labelled_numbers(hidden)
    hidden = scrub_contacts(hidden)
    hidden = scrub_dates(hidden, reference_year)
    hidden = scrub_addresses(hidden)
    hidden = scrub_numbers(hidden)
    return _RUNS.sub(lambda m: m[1], scrub_names(hidden))


def scrubber_for(record: Record) -> Scrubber:
    """The scrubber of one record, its declared identifiers compiled into one pattern."""
    meta = record.meta
    private = meta.private
    variants: list[Variant] = []
    for name in private.names:
        variants += name_variants(name, NAME)
    for organization in private.organizations:
        variants += organization_variants(organization, ORGANIZATION)
    for address in private.addresses:
        variants += address_variants(address, ADDRESS, CITY, ZIP)
    for phone in private.phones:
        variants += phone_variants(phone, PHONE)
    for email in private.emails:
        variants += email_variants(email, EMAIL)
    for identifier in private.identifiers:
        variants += number_variants(identifier, NUMBER)
    only_numbers = not (
        private.names
        or private.organizations
        or private.addresses
        or private.phones
        or private.emails
    )
    variants += number_variants(meta.case_number, CASE_NUMBER)
    harvested = sorted(_harvested(record))
    for word in harvested:
        variants += name_variants(word, NAME)
    digits = None
    if only_numbers and not harvested:
        digits = tuple(_NOT_DIGIT.sub("", raw) for raw in (*private.identifiers, meta.case_number))
    year = meta.reference_year()
    return Scrubber(declared=build_declared(variants, digits), reference_year=year)


def _harvested(record: Record) -> set[str]:
    """Name words the detectors find anywhere in the record: found again in all of its text."""
    texts = [record.summary]
    for item in record.meta.items:
        texts += [item.treatment, item.rationale, item.request_note or ""]
    found: set[str] = set()
    for text in texts:
        found |= harvest_names(protect(text)[0])
    return found


def scrub_text(text: str, reference_year: int | None = None) -> str:
    """``text`` through the detectors alone (no record, nothing declared)."""
    year = reference_year if reference_year is not None else dt.date.today().year
    return Scrubber(declared=_NOTHING_DECLARED, reference_year=year)(text)

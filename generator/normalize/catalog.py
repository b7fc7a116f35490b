"""The guideline catalog: every guideline the letters cite, loaded from ``data/guidelines.yaml`` and checked.

``load_catalog()`` reads and validates the file once per process. The public form is frozen
dataclasses (``Catalog``, ``Guideline``, ``Section``); the pydantic models only guard the file format.
The catalog's format and editing rules are documented in ``docs/guidelines.md``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, HttpUrl, model_validator

from generator.normalize.data import (
    DataFileError,
    Pattern,
    Slug,
    StrictModel,
    Text,
    data_file,
    load_data,
)
from generator.normalize.text import slugify

log = logging.getLogger(__name__)

Family = Literal["mtus", "acoem", "odg", "other"]
GUIDELINES_FILE = "guidelines.yaml"
_REGULATION_SECTION = re.compile(r"§+\s*(\d{4}(?:\.\d+)+)")
REGULATION_URL = "https://www.dir.ca.gov/t8/{name}.html"
"""DIR's page for one 8 CCR section: 9792.24.2 -> https://www.dir.ca.gov/t8/9792_24_2.html."""


class SectionEntry(StrictModel):
    """One section, topic or chapter of a guideline, as written in the data file."""

    slug: Slug
    title: Text
    pages: str | None = Field(default=None, pattern=r"^\d+(?:-\d+)?(?:, \d+(?:-\d+)?)*$")
    names: tuple[Text, ...] = ()
    number: str | None = Field(default=None, pattern=r"^\d+(?:\.\d+)*$")
    chapter: int | None = None


class GuidelineEntry(StrictModel):
    """One guideline as written in the data file."""

    id: Slug
    title: Text
    short_title: Text
    issuer: Text
    family: Family
    edition: Text
    year: int | None = Field(default=None, ge=1990, le=2100)
    regulation: str | None = None
    url: HttpUrl
    mtus: bool
    names: tuple[Text, ...] = ()
    default: bool = False
    chapter: int | None = None
    patterns: tuple[Pattern, ...] = ()
    sections_like: Slug | None = None
    sections: tuple[SectionEntry, ...] = ()

    @model_validator(mode="after")
    def _unique_sections(self) -> GuidelineEntry:
        slugs = [section.slug for section in self.sections]
        duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
        if duplicates:
            raise ValueError(f"duplicate section slugs: {', '.join(duplicates)}")
        return self


class CatalogFile(StrictModel):
    """The whole of ``guidelines.yaml``."""

    version: Literal[1]
    section_sets: dict[str, tuple[SectionEntry, ...]] = Field(default_factory=dict)
    """Section lists shared by several guidelines through YAML anchors; not used directly."""
    guidelines: tuple[GuidelineEntry, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> CatalogFile:
        ids = [entry.id for entry in self.guidelines]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate guideline ids: {', '.join(duplicates)}")
        for entry in self.guidelines:
            if entry.sections_like and entry.sections_like not in ids:
                raise ValueError(
                    f"{entry.id}: sections_like names unknown id {entry.sections_like!r}"
                )
        return self


@dataclass(frozen=True)
class Section:
    """A section of a guideline: a chapter part, a topic or a numbered recommendation."""

    slug: str
    title: str
    pages: str | None
    names: tuple[str, ...] = ()
    number: str | None = None
    chapter: int | None = None


@dataclass(frozen=True)
class Guideline:
    """A guideline the letters cite; ``mtus`` is true when it is (or was) adopted into the MTUS."""

    id: str
    title: str
    short_title: str
    issuer: str
    family: Family
    edition: str
    year: int | None
    regulation: str | None
    url: str
    mtus: bool
    sections: tuple[Section, ...]
    names: tuple[str, ...] = ()
    default: bool = False
    chapter: int | None = None
    patterns: tuple[str, ...] = ()

    @property
    def regulation_url(self) -> str | None:
        """DIR's page for the first 8 CCR section in ``regulation``, if there is one."""
        match = _REGULATION_SECTION.search(self.regulation or "")
        return REGULATION_URL.format(name=match.group(1).replace(".", "_")) if match else None

    def section(self, slug: str) -> Section | None:
        """The section with this slug, or None."""
        return next((section for section in self.sections if section.slug == slug), None)


@dataclass(frozen=True)
class Catalog:
    """Every guideline, in the data file's order, with lookup by id."""

    guidelines: tuple[Guideline, ...]

    def __iter__(self) -> Iterator[Guideline]:
        return iter(self.guidelines)

    def __len__(self) -> int:
        return len(self.guidelines)

    def __contains__(self, guideline_id: object) -> bool:
        return guideline_id in self._by_id

    @functools.cached_property
    def _by_id(self) -> dict[str, Guideline]:
        return {guideline.id: guideline for guideline in self.guidelines}

    def get(self, guideline_id: str) -> Guideline:
        """The guideline with this id; ``KeyError`` naming the id if there is none."""
        try:
            return self._by_id[guideline_id]
        except KeyError:
            raise KeyError(f"no guideline {guideline_id!r} in the catalog") from None

    def family(self, family: Family) -> tuple[Guideline, ...]:
        """The guidelines of one family, in catalog order."""
        return tuple(guideline for guideline in self.guidelines if guideline.family == family)


def load_catalog(path: Path | None = None) -> Catalog:
    """The validated catalog (``generator/data/guidelines.yaml`` unless ``path``); read once, cached."""
    return _load(path or data_file(GUIDELINES_FILE))


@functools.cache
def _load(path: Path) -> Catalog:
    parsed = load_data(path, CatalogFile)
    entries = {entry.id: entry for entry in parsed.guidelines}
    guidelines = tuple(_guideline(entry, entries) for entry in parsed.guidelines)
    log.debug("Loaded %d guidelines from %s", len(guidelines), path)
    return Catalog(guidelines)


def _guideline(entry: GuidelineEntry, entries: dict[str, GuidelineEntry]) -> Guideline:
    sections = tuple(_section(section) for section in entry.sections)
    if entry.sections_like:
        own = {section.slug for section in sections}
        inherited = entries[entry.sections_like].sections
        # Topics shared with another edition; its page numbers are that edition's, so they are dropped.
        sections += tuple(
            Section(slug=s.slug, title=s.title, pages=None, names=s.names, number=s.number)
            for s in inherited
            if s.slug not in own
        )
    return Guideline(
        id=entry.id,
        title=entry.title,
        short_title=entry.short_title,
        issuer=entry.issuer,
        family=entry.family,
        edition=entry.edition,
        year=entry.year,
        regulation=entry.regulation,
        url=str(entry.url),
        mtus=entry.mtus,
        sections=sections,
        names=entry.names,
        default=entry.default,
        chapter=entry.chapter,
        patterns=entry.patterns,
    )


def _section(entry: SectionEntry) -> Section:
    if slugify(entry.title) != entry.slug:
        log.debug("section %s has a slug other than its title's (%s)", entry.slug, entry.title)
    return Section(
        slug=entry.slug,
        title=entry.title,
        pages=entry.pages,
        names=entry.names,
        number=entry.number,
        chapter=entry.chapter,
    )


__all__ = ["Catalog", "DataFileError", "Guideline", "Section", "load_catalog"]

"""Render the body HTML of every generated page from the Jinja2 templates in ``templates/``.

Every value from a record is escaped (``autoescape``), so record text can never become markup.
Links are relative (``generator.urls``), so the site works under any subpath. The theme's frame
around a body is added by ``generator.theme``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.structure.toc import TableOfContents, get_toc

from generator.anonymize import PublicDetermination
from generator.cards import Card
from generator.crosslink import SiteIndex, YearGroup
from generator.search.index import FacetValues
from generator.urls import Urls

DEFAULT_TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
LISTING_PAGE_SIZE = 100
_BLANK_LINES = re.compile(r"\n\s*\n")
DECISION_MEANING = {
    "upheld": "The reviewer upheld the denial: the request was found not medically necessary.",
    "overturned": "The reviewer overturned the denial: the request was found medically necessary.",
}


@dataclass(frozen=True)
class TocEntry:
    level: int
    anchor: str
    name: str
    children: tuple[TocEntry, ...] = ()

    def token(self) -> dict[str, Any]:
        """The shape MkDocs' ``get_toc`` reads (names are HTML)."""
        return {
            "level": self.level,
            "id": self.anchor,
            "name": html.escape(self.name),
            "children": [child.token() for child in self.children],
        }


def table_of_contents(entries: Sequence[TocEntry]) -> TableOfContents:
    """MkDocs' table of contents object for a page's entries."""
    return get_toc([entry.token() for entry in entries])  # type: ignore[misc]


@dataclass(frozen=True)
class PageBody:
    """A generated page: its key (``determinations/abc``), plain-text title, body HTML, contents."""

    key: str
    title: str
    html: str
    toc: tuple[TocEntry, ...] = ()


def paragraphs(text: str) -> list[str]:
    """Split on blank lines and join wrapped lines."""
    return [" ".join(block.split()) for block in _BLANK_LINES.split(text) if block.strip()]


def safe_title(title: str) -> str:
    """Themes print page titles unescaped (and ``striptags`` unescapes entities), so a title must
    not contain '<' or '>' at all; the rest is escaped."""
    return html.escape(title.replace("<", "‹").replace(">", "›"), quote=False)


def template_environment(templates_dir: Path = DEFAULT_TEMPLATES_DIR) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["paragraphs"] = paragraphs
    env.globals["decision_meaning"] = DECISION_MEANING
    return env


class BodyRenderer:
    """Renders page bodies with links relative to the page being rendered."""

    def __init__(self, env: jinja2.Environment, urls: Urls) -> None:
        self.env = env
        self.urls = urls

    def render(self, template: str, key: str, **context: Any) -> str:
        link: Callable[[str], str] = partial(self.urls.relative, from_key=key)
        asset: Callable[[str], str] = partial(self.urls.relative_file, from_key=key)
        return self.env.get_template(template).render(link=link, asset=asset, **context)

    def determination(
        self, determination: PublicDetermination, card: Card, index: SiteIndex
    ) -> PageBody:
        body = self.render(
            "determination.html.j2",
            card.page_key,
            d=determination,
            title=card.title,
            year_group=index.year_of(card),
        )
        items = tuple(
            TocEntry(3, f"item-{item.number}", f"{item.number}. {item.treatment}")
            for item in determination.items
        )
        toc = (
            TocEntry(2, "summary", "Clinical case summary"),
            TocEntry(2, "items", "Disputed items", items),
        )
        return PageBody(card.page_key, card.title, body, toc)

    def home(self, index: SiteIndex) -> PageBody:
        return PageBody("", "Home", self.render("home.html.j2", "", index=index))

    def search(self, facets: Sequence[FacetValues]) -> PageBody:
        return PageBody("search", "Search", self.render("search.html.j2", "search", facets=facets))

    def years(self, index: SiteIndex) -> PageBody:
        return PageBody("years", "Years", self.render("years.html.j2", "years", index=index))

    def year_pages(self, group: YearGroup) -> Iterator[PageBody]:
        for number, start in enumerate(
            range(0, max(len(group.cards), 1), LISTING_PAGE_SIZE), start=1
        ):
            key = group.page_key if number == 1 else f"{group.page_key}/page/{number}"
            title = f"Determinations of {group.label}" + (f", page {number}" if number > 1 else "")
            body = self.render(
                "year.html.j2",
                key,
                group=group,
                rows=group.cards[start : start + LISTING_PAGE_SIZE],
                pager=_pager(group.page_key, number, len(group.cards)),
            )
            yield PageBody(key, title, body)


@dataclass(frozen=True)
class Pager:
    number: int
    count: int
    previous_key: str | None
    next_key: str | None


def _pager(first_key: str, number: int, total: int) -> Pager:
    count = max(1, -(-total // LISTING_PAGE_SIZE))

    def key(page: int) -> str:
        return first_key if page == 1 else f"{first_key}/page/{page}"

    return Pager(
        number=number,
        count=count,
        previous_key=key(number - 1) if number > 1 else None,
        next_key=key(number + 1) if number < count else None,
    )

"""Render the body HTML of every generated page from the Jinja2 templates in ``templates/``.

Every value from a record is escaped (``autoescape``), so record text can never become markup.
Links are relative (``generator.urls``), so the site works under any subpath. The theme's frame
around a body is added by ``generator.theme``.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from mkdocs.structure.toc import TableOfContents, get_toc

from generator.anonymize import PublicDetermination
from generator.cards import Card
from generator.charts import outcome_chart
from generator.classify import ItemFacts
from generator.crosslink import Group, ListedItem, RelatedCard, SiteIndex
from generator.exports import CSV_COLUMNS, DATA_DIR, FILES_NAME, export_files
from generator.figures import GroupFigures
from generator.groups import FOLDERS, KIND, KINDS, name_key
from generator.search.index import FacetValues
from generator.settings import LISTING_PAGE_SIZE, PART_SIZE
from generator.urls import Urls

DEFAULT_TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
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


def counted(number: int, what: str) -> str:
    """'1 item', '2 items', '0 items': a count with what it counts, in the right number."""
    return f"{number} {noun(number, what)}"


CONTENT_MARKER = "<!-- imr:content -->"
"""In a hand-written page (the About page): replaced by ``content_statement`` of the site built."""


def content_statement(synthetic: int, total: int) -> str:
    """What the site holds: real determinations, synthetic ones, or both, with their numbers
    (``Card.synthetic``: the records' own flag)."""
    real = total - synthetic
    if total == 0:
        return "This site holds no determinations."
    if real == 0:
        return (
            f"This site holds a synthetic sample: {counted(total, 'determination')} written for "
            "demonstration in the style of published letters, not real cases."
        )
    letters = "anonymized from real IMR final determination letters"
    if synthetic == 0:
        return f"This site holds {counted(total, 'determination')} {letters}."
    return (
        f"This site holds {counted(total, 'determination')}: {real} {letters}, and {synthetic} "
        "synthetic, written for demonstration and not real cases (their pages say so)."
    )


def noun(number: int, what: str) -> str:
    """``what`` in the number ``number`` asks for: 'item' for 1, 'items' otherwise."""
    return what if number == 1 else f"{what}s"


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
        auto_reload=False,  # one build, fixed templates: no stat of every include at every use
    )
    env.filters["paragraphs"] = paragraphs
    env.filters["counted"] = counted
    env.filters["noun"] = noun
    env.globals["content_statement"] = content_statement
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

    def _site(self, index: SiteIndex) -> dict[str, Any]:
        return {
            "catalog": index.catalog,
            "has_page": index.has_page,
            "groups_by_key": index.groups_by_key,
            "chart": outcome_chart,
        }

    def determination(
        self,
        determination: PublicDetermination,
        card: Card,
        index: SiteIndex,
        related: Sequence[RelatedCard],
    ) -> PageBody:
        body = self.render(
            "determination.html.j2", card.page_key, d=determination, card=card, title=card.title,
            year_group=index.year_group(card.year), related=related_determinations(card, related, index),
            specialty_key=KIND["specialty"].page_key(name_key(card.specialty or "")),
            groups_of=_groups_of(card), **self._site(index),
        )  # fmt: skip
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
        body = self.render("home.html.j2", "", index=index, rows=index.latest_rows())
        return PageBody("", "Home", body)

    def search(self, facets: Sequence[FacetValues]) -> PageBody:
        return PageBody("search", "Search", self.render("search.html.j2", "search", facets=facets))

    def data_page(self, index: SiteIndex) -> PageBody:
        """The Data page: the exports, their schema, and how they are anonymized."""
        files = export_files(index.years_column, index.item_counts)
        body = self.render(
            "data.html.j2", "data", index=index, csv_columns=CSV_COLUMNS, data_dir=DATA_DIR,
            files=files, files_name=FILES_NAME, part_size=PART_SIZE,
        )  # fmt: skip
        return PageBody("data", "Data", body)

    def group_index(self, folder: str, index: SiteIndex) -> PageBody:
        """The navigation page listing every group of one kind (guidelines, treatments, ...)."""
        heading, column, intro, sections = _group_index_sections(folder, index)
        body = self.render(
            "groups.html.j2", folder, heading=heading, column=column, intro=intro, sections=sections
        )
        return PageBody(folder, heading, body)

    def group_pages(
        self,
        group: Group,
        index: SiteIndex,
        pagers: Sequence[Pager] | None = None,
        figures: GroupFigures | None = None,
    ) -> Iterator[PageBody]:
        """A group's pages (``pagers``, by default all of them): its figures (counted here unless
        given) and newest determinations first, then the older ones on pages numbered from the
        oldest (``listing_pages``)."""
        places = group.places
        pagers = listing_pages(group.page_key, len(places)) if pagers is None else pagers
        if not pagers:
            return
        if figures is None and any(pager.number == 0 for pager in pagers):
            figures = GroupFigures.count(group)
        context = {**self._site(index), **_group_context(group, figures, index)}
        for pager in pagers:
            heading = listing_heading(group, pager)
            rows = group.rows(places[pager.start : pager.end])
            body = self.render(
                "group.html.j2", pager.key, group=group, kind=KIND[group.kind], heading=heading,
                figures=figures, rows=rows, pager=pager, **context,
            )  # fmt: skip
            yield PageBody(pager.key, heading, body)


def _groups_of(card: Card) -> dict[str, list[tuple[str, str]]]:
    """(page key, title) of each group of a whole determination's value it is in, by kind
    (``groups.GroupKind.per_determination``): its year, diagnosis groups, specialty, ..."""
    if not card.items:
        return {}
    return {
        kind.name: [
            (kind.page_key(key), naming.title)
            for key, naming in dict(kind.keys(card, card.items[0])).items()
        ]
        for kind in KINDS
        if kind.per_determination
    }


def _heading(group: Group) -> str:
    return KIND[group.kind].heading.format(group.title)


def listing_heading(group: Group, pager: Pager) -> str:
    return _heading(group) + (f", page {pager.number}" if pager.number else "")


def _group_context(group: Group, figures: GroupFigures | None, index: SiteIndex) -> dict[str, Any]:
    """Top treatments, guidelines and sections of a group, as (page key, label, count), from its
    figures (None: pages without them); and for a guideline, who cited it, by determination."""
    labels = index.groups_by_key

    def listed(prefix: str, counts: Counter[str], count: int = 10) -> list[tuple[str, str, int]]:
        return [
            (f"{prefix}{key}", labels[f"{prefix}{key}"].title, n)
            for key, n in most_common(counts, count)
            if f"{prefix}{key}" in labels
        ]

    context: dict[str, Any] = {"top_treatments": [], "top_guidelines": [], "sections": []}
    if figures is None:
        return context
    context["top_treatments"] = listed("treatments/", figures.treatments)
    context["top_guidelines"] = listed("guidelines/", figures.guidelines)
    if group.kind == "guideline":
        section = index.catalog.get(group.slug).section
        context["sections"] = [
            (f"guidelines/{key}", (section(key.split("/", 1)[1]) or _Untitled(key)).title, n)
            for key, n in most_common(figures.sections, 50)
        ]
    return context


def most_common(counts: Counter[str], count: int) -> list[tuple[str, int]]:
    """The ``count`` most frequent values, ties by value (``Counter.most_common`` keeps the order
    values were first seen, which would make the page depend on the order of records)."""
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:count]


@dataclass(frozen=True)
class _Untitled:
    title: str


class Relation(NamedTuple):
    """An item of a related determination and the item of this one it relates to."""

    other: ListedItem
    own_number: int
    own_text: str
    treatment: str
    guideline: str


class RelatedDetermination(NamedTuple):
    """A related determination as a determination page lists it: which of its items relate to
    which of this one's (same treatment and reviewer guideline, as ``crosslink.Related`` chose)."""

    page_key: str
    year: int | None
    relations: tuple[Relation, ...]


def related_determinations(
    card: Card, related: Sequence[RelatedCard], index: SiteIndex
) -> list[RelatedDetermination]:
    """``related`` with, for each, its items that share a treatment and the reviewer's guideline
    with an item of ``card`` (read from the store's items, not the other cards)."""
    own: dict[tuple[str, str], ItemFacts] = {}
    for item in card.items:
        for guideline in item.reviewer.guideline_ids[:1]:
            if item.treatment_slug:
                own.setdefault((item.treatment_slug, guideline), item)
    found = []
    items = index.related_items([other.place for other in related])
    for other in related:
        relations = []
        for listed, treatment, guideline in items[other.place]:
            mine = own.get((treatment, guideline))
            if mine is not None:
                short = index.catalog.get(guideline).short_title
                relations.append(
                    Relation(listed, mine.number, mine.treatment_text, mine.treatment_label, short)
                )
        found.append(RelatedDetermination(other.page_key, other.year, tuple(relations)))
    return found


def _group_index_sections(
    folder: str, index: SiteIndex
) -> tuple[str, str, str, list[tuple[str, list[Group]]]]:
    """A folder page's heading, column, introduction and sections of groups (``groups.FOLDERS``):
    guidelines by family, treatments by category, any other folder's groups in one section."""
    page = next(page for page in FOLDERS if page.folder == folder)
    if folder == "guidelines":
        families: dict[str, list[Group]] = {}
        for group in index.guidelines:
            family = index.catalog.get(group.slug).family
            families.setdefault(FAMILY_TITLES.get(family, family), []).append(group)
        sections = sorted(families.items(), key=lambda f: _family_order(f[0]))
    elif folder == "treatments":
        by_category: dict[str, list[Group]] = {}
        for group in index.treatments:
            by_category.setdefault(group.description, []).append(group)
        sections = [("Categories", list(index.categories)), *sorted(by_category.items())]
    else:
        groups = [group for group in index.groups() if KIND[group.kind].folder == folder]
        sections = [("", groups)]
    return (page.heading, page.column, page.intro, sections)


FAMILY_TITLES = {
    "mtus": "MTUS guidelines",
    "acoem": "ACOEM practice guidelines",
    "odg": "Official Disability Guidelines (ODG)",
    "other": "Other sources",
}


def _family_order(title: str) -> int:
    order = list(FAMILY_TITLES.values())
    return order.index(title) if title in order else len(order)


@dataclass(frozen=True)
class Pager:
    """One page of a group's listing. ``number`` 0 is the group's own page (its newest
    determinations); pages 1, 2, ... hold LISTING_PAGE_SIZE determinations each, counted from the
    oldest, so a page keeps its URL and its rows when newer determinations are published."""

    key: str
    number: int
    start: int
    """Rows ``start:end`` of the group's cards (newest first)."""
    end: int
    total: int
    newer_key: str | None
    older_key: str | None

    @property
    def first_row(self) -> int:
        """The position of the page's oldest row, counted from the oldest (1-based)."""
        return self.total - self.end + 1

    @property
    def last_row(self) -> int:
        return self.total - self.start


def listing_pages(first_key: str, total: int) -> list[Pager]:
    """The pages of a listing of ``total`` determinations, newest first.

    The group's own page shows the newest ``LISTING_PAGE_SIZE`` to ``2 * LISTING_PAGE_SIZE - 1``;
    page ``k`` shows the ``k``-th hundred counted from the oldest. New determinations, which are
    newer than those already published, change the group's own page and at most the newest
    numbered page (whose "newer" link moves), so a rebuild re-renders a few pages per group, not
    all of them; and a link to ``page/3`` from a brief keeps showing the same determinations."""
    archived = max(0, total // LISTING_PAGE_SIZE - 1)

    def key(number: int) -> str:
        return first_key if number == 0 else f"{first_key}/page/{number}"

    first_end = total - archived * LISTING_PAGE_SIZE
    pages = [Pager(key(0), 0, 0, first_end, total, None, key(archived) if archived else None)]
    for number in range(archived, 0, -1):
        end = total - (number - 1) * LISTING_PAGE_SIZE
        newer = key(number + 1 if number < archived else 0)
        older = key(number - 1) if number > 1 else None
        pages.append(Pager(key(number), number, end - LISTING_PAGE_SIZE, end, total, newer, older))
    return pages

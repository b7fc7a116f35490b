"""Render the site's generated pages (Markdown for MkDocs) from the Jinja2 templates.

Every value from a record is escaped: ``autoescape`` covers HTML blocks, the ``md`` filter covers
Markdown text (HTML-escaped, then Markdown punctuation backslash-escaped), so record text can never
become markup. Links between generated pages are Markdown links to ``.md`` files, which MkDocs
resolves for any ``use_directory_urls`` setting and validates in strict mode.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.anonymize import PublicDetermination
from generator.crosslink import SiteIndex, YearGroup
from generator.progress import progress

DEFAULT_TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
TITLE_TREATMENT_LENGTH = 90
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_BLANK_LINES = re.compile(r"\n\s*\n")
DECISION_MEANING = {
    "upheld": "The reviewer upheld the denial: the request was found not medically necessary.",
    "overturned": "The reviewer overturned the denial: the request was found medically necessary.",
}


@dataclass(frozen=True)
class RenderedPage:
    """A generated page: its path below the docs root (``determinations/abc.md``) and Markdown."""

    path: str
    markdown: str


def markdown_text(value: object) -> Markup:
    """Plain text made safe inside Markdown: HTML-escaped, Markdown punctuation escaped, one line."""
    text = " ".join(str(value).split())
    return Markup(  # noqa: S704 - escaped on this line
        _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(text, quote=False))
    )


def paragraphs(text: str) -> list[str]:
    """Split on blank lines and join wrapped lines, for text shown inside HTML blocks."""
    return [" ".join(block.split()) for block in _BLANK_LINES.split(text) if block.strip()]


def title_meta(title: str) -> Markup:
    """A title for YAML front matter. MkDocs themes print page titles unescaped, so no '<' or '>'
    may survive, and '&' is escaped for the HTML it lands in."""
    safe = title.replace("<", "‹").replace(">", "›")
    return Markup(  # noqa: S704 - escaped on this line
        json.dumps(html.escape(safe, quote=False), ensure_ascii=False)
    )


def page_title(determination: PublicDetermination) -> str:
    """Title from the treatments and the outcome: 'MRI of the knee — upheld'."""
    first = " ".join(determination.items[0].treatment.split())
    if len(first) > TITLE_TREATMENT_LENGTH:
        first = first[: TITLE_TREATMENT_LENGTH - 1].rstrip() + "…"
    others = len(determination.items) - 1
    subject = f"{first} and {others} more item{'s' if others > 1 else ''}" if others else first
    return f"{subject} — {outcome_text(determination)}"


def outcome_text(determination: PublicDetermination) -> str:
    """'upheld', 'overturned', or '2 of 3 upheld' for a mixed decision."""
    upheld, total = determination.upheld_count, len(determination.items)
    if upheld == total:
        return "upheld" if total == 1 else "all upheld"
    if upheld == 0:
        return "overturned" if total == 1 else "all overturned"
    return f"{upheld} of {total} upheld"


def template_environment(templates_dir: Path = DEFAULT_TEMPLATES_DIR) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.filters.update(
        md=markdown_text,
        paragraphs=paragraphs,
        title_meta=title_meta,
        page_title=page_title,
        outcome_text=outcome_text,
    )
    env.globals["decision_meaning"] = DECISION_MEANING
    return env


def render_pages(index: SiteIndex, env: jinja2.Environment) -> Iterator[RenderedPage]:
    """Every generated page of the site, listings first, then one page per determination."""
    yield RenderedPage("index.md", env.get_template("home.md.j2").render(index=index))
    yield RenderedPage("years/index.md", env.get_template("years.md.j2").render(index=index))
    year_template = env.get_template("year.md.j2")
    for group in index.years:
        yield RenderedPage(f"years/{group.slug}.md", year_template.render(group=group))
    determination_template = env.get_template("determination.md.j2")
    group_of = _year_group_by_id(index)
    for determination in progress(index.determinations, desc="Rendering pages", unit="page"):
        yield RenderedPage(
            f"determinations/{determination.public_id}.md",
            determination_template.render(
                d=determination, year_group=group_of[determination.public_id]
            ),
        )


def _year_group_by_id(index: SiteIndex) -> dict[str, YearGroup]:
    return {d.public_id: group for group in index.years for d in group.determinations}

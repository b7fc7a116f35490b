"""Put a rendered page body into the site's theme (Material, with ``site_overrides/``) and write it.

This does for generated pages what MkDocs does for its own (``mkdocs.commands.build._build_page``),
with MkDocs' own objects, so every page looks the same; but it runs on all cores and never holds
more than one page, which is what lets a site of 100,000 determinations build in linear time.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup
from mkdocs import utils as mkdocs_utils
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from generator.cache import write_whole
from generator.exceptions import ConfigurationError
from generator.render import PageBody, TocEntry, safe_title, table_of_contents
from generator.settings import FRAMES_ENV
from generator.theme_toc import TocRenderer
from generator.urls import Urls

log = logging.getLogger(__name__)

NAV_START, NAV_END = "<!--imr-nav-->", "<!--/imr-nav-->"
TOC_START, TOC_END = "<!--imr-toc-->", "<!--/imr-toc-->"
TITLE_MARK, CONTENT_MARK, CANONICAL_MARK, TOC_MARK = (
    "\ue0f0title\ue0f0",
    "\ue0f0<h1>\ue0f0",  # holds "<h1" so that Material adds no title of its own, as for a real body
    "\ue0f0canonical\ue0f0",
    "\ue0f0toc\ue0f0",
)
FRAMES_FOLDER = "frames"
"""The folder of the build's scratch folder where the frames made are written (``Frame.save``)."""
MKDOCS_PATH_CACHE_LIMIT = 4096
"""Paths MkDocs' own path cache may hold before it is emptied (``bound_mkdocs_path_cache``)."""
SAFE_KEY = re.compile(r"(?:[a-z0-9][a-z0-9._-]*(?:/[a-z0-9][a-z0-9._-]*)*)?")
"""Page keys are lower-case slugs joined by '/': no '..', no absolute path, no backslash."""


def bound_mkdocs_path_cache() -> None:
    """Empty MkDocs' path cache once it holds MKDOCS_PATH_CACHE_LIMIT paths. ``get_context``
    asks ``get_relative_url(".", page.url)`` of every page, and MkDocs keeps every path it is
    given for good (``_norm_parts``: ``lru_cache(maxsize=None)``): each render worker kept the
    URL of every page it framed, about 300 bytes a page."""
    cached = getattr(mkdocs_utils, "_norm_parts", None)
    info = getattr(cached, "cache_info", None)
    if info is not None and info().currsize > MKDOCS_PATH_CACHE_LIMIT:
        cached.cache_clear()  # type: ignore[union-attr]


class ThemeWriter:
    """Writes pages framed by the theme's ``main.html`` into ``site_dir``."""

    def __init__(
        self, config: MkDocsConfig, nav: Navigation, files: Files, env: jinja2.Environment
    ) -> None:
        self.config = config
        self.nav = nav
        env.auto_reload = False  # the theme's templates do not change during a build
        self.documentation_pages = files.documentation_pages()
        self.template = env.get_template("main.html")
        self.urls = Urls(use_directory_urls=config.use_directory_urls)
        self.site_dir = Path(config.site_dir)
        self._navigation: dict[tuple[str, int], str] = {}
        """The rendered navigation by page position (see site_overrides/partials/nav.html)."""
        self._frames: dict[tuple[str, int, str], Frame | None] = {}
        self.frames_enabled = os.environ.get(FRAMES_ENV, "1") != "0"
        self.frames_dir: Path | None = None
        """Where each frame made is also written (``Frame.save``), for the leak audit."""
        self.toc_template = env.get_template("partials/imr-toc-only.html")
        self._tocs = TocRenderer()

    def page_html(self, body: PageBody) -> str:
        """The whole HTML document of one page: from the frame of pages in its position when
        there is one (only its title, address, contents and body differ), else rendered."""
        file = File.generated(self.config, self.urls.src_uri(body.key), content="")
        page = Page(safe_title(body.title), file, self.config)
        page.content = body.html
        page.toc = table_of_contents(body.toc)
        page.meta = {}
        context = get_context(self.nav, self.documentation_pages, self.config, page)
        bound_mkdocs_path_cache()
        if not self.frames_enabled or "<h1" not in body.html:
            return self._rendered(page, context)
        key = (*_navigation_key(page.url), body.toc[0].anchor if body.toc else "")
        if key not in self._frames:
            made = self._frame(page, context)
            if made is not None and self.frames_dir is not None:
                made.save(self.frames_dir)
            self._frames[key] = made
        frame = self._frames[key]
        if frame is None:
            return self._rendered(page, context)

        def draw(entries: Sequence[TocEntry]) -> str:
            page.toc = table_of_contents(entries)
            return self.toc_template.render(context)

        return frame.fill(page, self._tocs.html(body.toc, draw))

    def _frame(self, page: Page, context: TemplateContext) -> Frame | None:
        """Render the page once with placeholders for what differs between pages in its position."""
        title, content, canonical = page.title, page.content, page.canonical_url
        page.title, page.content = TITLE_MARK, CONTENT_MARK
        page.canonical_url = CANONICAL_MARK if canonical else None
        try:
            return Frame.parse(self._rendered(page, context), with_canonical=bool(canonical))
        finally:
            page.title, page.content, page.canonical_url = title, content, canonical

    def _rendered(self, page: Page, context: TemplateContext) -> str:
        """The page through the whole template (the navigation reused per position)."""
        where = _navigation_key(page.url)
        navigation = self._navigation.get(where)
        if navigation is not None:
            context["imr_nav"] = navigation  # type: ignore[typeddict-unknown-key]
            return self.template.render(context)
        html = self.template.render(context)
        start, end = html.find(NAV_START), html.find(NAV_END)
        if start != -1 and end != -1:
            self._navigation[where] = html[start + len(NAV_START) : end]
        return html

    def path_of(self, body: PageBody) -> Path:
        """Where the page goes; a key that could lead outside the site folder is refused (a safe key
        is lower-case slugs joined by '/', so no '..', no absolute path: no need to ask the file
        system)."""
        if not SAFE_KEY.fullmatch(body.key):
            raise ConfigurationError(f"page key {body.key!r} would write outside the site folder")
        return self.site_dir / self.urls.output_path(body.key)

    def page_bytes(self, body: PageBody) -> bytes:
        return self.page_html(body).encode("utf-8", errors="xmlcharrefreplace")


def _navigation_key(url: str) -> tuple[str, int]:
    """Pages outside the navigation see the same navigation when they share their first folder and
    their depth: every navigation entry is a top-level page, so its relative link depends on nothing
    else (and no entry is marked active)."""
    parts = url.strip("/").split("/")
    return (parts[0], len(parts))


@dataclass(frozen=True)
class Frame:
    """A page of some position rendered with placeholders, cut where each page's own parts go."""

    pieces: tuple[str, ...]
    slots: tuple[str, ...]
    """What goes after each piece but the last: "plain title", "title", "canonical", "content", "toc"."""

    @classmethod
    def parse(cls, html: str, *, with_canonical: bool) -> Frame | None:
        """None when the page does not hold each placeholder where expected (then pages of this
        position are rendered whole)."""
        start, end = html.find(TOC_START), html.find(TOC_END)
        if start == -1 or end == -1 or html.count(TOC_START) != 1:
            return None
        html = html[:start] + TOC_MARK + html[end + len(TOC_END) :]
        parts = re.split(
            f"({'|'.join(map(re.escape, (TITLE_MARK, CONTENT_MARK, CANONICAL_MARK, TOC_MARK)))})",
            html,
        )
        pieces, marks = tuple(parts[0::2]), parts[1::2]
        slots = tuple(_slot(mark, piece) for mark, piece in zip(marks, pieces, strict=False))
        expected = {"content": 1, "toc": 1, "canonical": int(with_canonical)}
        if any(slots.count(slot) != count for slot, count in expected.items()):
            return None
        return cls(pieces, slots)

    def save(self, folder: Path) -> None:
        """Write the pieces into ``folder`` as JSON, named by their digest (``saved_frames``):
        every worker that makes the same frame writes the same file."""
        data = json.dumps(self.pieces, ensure_ascii=False).encode("utf-8", errors="surrogatepass")
        path = folder / f"{hashlib.blake2b(data, digest_size=16).hexdigest()}.json"
        if not path.exists():
            write_whole(path, data, 0o600)

    def fill(self, page: Page, toc_html: str) -> str:
        start, end = toc_html.find(TOC_START), toc_html.find(TOC_END)
        values = {
            # What the theme prints in <title>: its striptags filter (tags out, entities decoded).
            "plain title": str(Markup(page.title).striptags()),  # noqa: S704 - text, not markup
            "title": str(page.title),
            "canonical": str(page.canonical_url),
            "content": str(page.content),
            "toc": toc_html[start : end + len(TOC_END)],
        }
        out = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            out += (values[slot], piece)
        return "".join(out)


def saved_frames(folder: Path) -> list[tuple[str, ...]]:
    """The pieces of the frames ``Frame.save`` wrote into ``folder``, in the order of their names."""
    if not folder.is_dir():
        return []
    return [
        tuple(json.loads(path.read_bytes().decode("utf-8", errors="surrogatepass")))
        for path in sorted(folder.glob("*.json"))
    ]


def _slot(mark: str, before: str) -> str:
    if mark == TITLE_MARK:
        return "plain title" if before.endswith("<title>") else "title"
    return {CONTENT_MARK: "content", CANONICAL_MARK: "canonical", TOC_MARK: "toc"}[mark]

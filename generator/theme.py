"""Put a rendered page body into the site's theme (Material, with ``site_overrides/``) and write it.

This does for generated pages what MkDocs does for its own (``mkdocs.commands.build._build_page``),
with MkDocs' own objects, so every page looks the same; but it runs on all cores and never holds
more than one page, which is what lets a site of 100,000 determinations build in linear time.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import jinja2
from mkdocs.commands.build import get_context
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator.exceptions import ConfigurationError
from generator.render import PageBody, safe_title, table_of_contents
from generator.urls import Urls

log = logging.getLogger(__name__)

NAV_START, NAV_END = "<!--imr-nav-->", "<!--/imr-nav-->"
SAFE_KEY = re.compile(r"(?:[a-z0-9][a-z0-9._-]*(?:/[a-z0-9][a-z0-9._-]*)*)?")
"""Page keys are lower-case slugs joined by '/': no '..', no absolute path, no backslash."""


class ThemeWriter:
    """Writes pages framed by the theme's ``main.html`` into ``site_dir``."""

    def __init__(
        self, config: MkDocsConfig, nav: Navigation, files: Files, env: jinja2.Environment
    ) -> None:
        self.config = config
        self.nav = nav
        self.documentation_pages = files.documentation_pages()
        self.template = env.get_template("main.html")
        self.urls = Urls(use_directory_urls=config.use_directory_urls)
        self.site_dir = Path(config.site_dir)
        self._navigation: dict[tuple[str, int], str] = {}
        """The rendered navigation by page position (see site_overrides/partials/nav.html)."""

    def page_html(self, body: PageBody) -> str:
        """The whole HTML document of one page."""
        file = File.generated(self.config, self.urls.src_uri(body.key), content="")
        page = Page(safe_title(body.title), file, self.config)
        page.content = body.html
        page.toc = table_of_contents(body.toc)
        page.meta = {}
        context = get_context(self.nav, self.documentation_pages, self.config, page)
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

    def write(self, body: PageBody) -> Path:
        path = self.path_of(body)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(self.page_bytes(body))
        return path


def _navigation_key(url: str) -> tuple[str, int]:
    """Pages outside the navigation see the same navigation when they share their first folder and
    their depth: every navigation entry is a top-level page, so its relative link depends on nothing
    else (and no entry is marked active)."""
    parts = url.strip("/").split("/")
    return (parts[0], len(parts))

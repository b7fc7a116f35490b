"""The MkDocs plugin: runs the pipeline inside MkDocs so `mkdocs build`, `mkdocs serve` and
`imr-site build` build the same site. Nothing is written to docs_dir."""

from __future__ import annotations

import logging
import os
from collections.abc import Container
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from generator.anonymize import DEMO_SECRET
from generator.cache import BuildCache, CheckedBytecodeCache, fingerprint
from generator.exceptions import ImrSiteError, LeakError
from generator.groups import FOLDERS, GROUP_FOLDERS
from generator.ownership import make_scratch_folder, remove_scratch
from generator.pipeline import (
    BuildSummary,
    KeptSite,
    PreparedSite,
    audit_built_site,
    prepare_site_kept,
    render_site_apart,
)
from generator.render import (
    CONTENT_MARKER,
    DEFAULT_TEMPLATES_DIR,
    BodyRenderer,
    PageBody,
    content_statement,
    table_of_contents,
    template_environment,
)
from generator.settings import CONTENT_ENV, Settings
from generator.theme import FRAMES_FOLDER, ThemeWriter
from generator.urls import Publication, Urls

log = logging.getLogger(__name__)

TEMPLATE_CACHE = "templates"
"""The folder of the build cache that holds compiled templates."""


class ImrPluginConfig(Config):
    content = c.Type(str, default="content/determinations")
    """Folder of record files, relative to mkdocs.yml."""
    templates = c.Optional(c.Type(str))
    """Folder of page templates, relative to mkdocs.yml; default: the project's templates/."""
    id_secret = c.Type(str, default=DEMO_SECRET)
    """Key of the public-id hash; set it with !ENV IMR_ID_SECRET."""
    previous_id_secrets = c.ListOfItems(c.Optional(c.Type(str)), default=[])
    """Secrets used before `id_secret`: pages at their ids redirect to the current ones."""
    leak_audit = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=".imr-cache")
    """The build cache, relative to mkdocs.yml; empty to build everything afresh every time."""
    keep_going = c.Type(bool, default=False)
    """Publish the valid records and list the invalid ones (`imr-site build --keep-going`)."""
    show_case_numbers = c.Type(bool, default=False)
    """Show each determination's IMR case number (page, exports, search): only for letters the
    state already published with it. Off: the case number stays hashed in the public id."""


class ImrPluginError(PluginError):
    """A pipeline error seen through MkDocs; the CLI reports the original."""

    def __init__(self, error: ImrSiteError) -> None:
        super().__init__(str(error))
        self.error = error


class ImrPlugin(BasePlugin[ImrPluginConfig]):
    """Prepares records before MkDocs builds, renders the generated pages after, audits the site."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.kept: KeptSite[list[PageBody]] | None = None
        """Stages 1-3's site, kept in a scratch file from on_pre_build until the pages are
        written; with the bodies of the navigation's generated pages."""
        self.summary: BuildSummary | None = None
        """What the command line reports of the last build."""
        self.pages_written = 0
        self.spare_site: Path | None = None
        """The site before last, kept by ``imr-site build`` for its pages to be reused."""
        self.errors_as_build_errors = True
        """MkDocs prints BuildErrors without a traceback; `imr-site` sets this to False to receive
        the original ImrSiteError and report it with its own exit code."""
        self.withhold_ids: frozenset[str] = frozenset()
        """Determinations to leave out: those the audit of a first build found identifying text
        for (``imr-site build`` builds once more without them)."""
        self._site_files_before: set[str] | None = None
        """The files in site_dir when MkDocs had cleaned it: a failed audit removes the others."""
        self._scratch: Path | None = None
        self._nav_pages: dict[str, PageBody] = {}
        self._nav: Navigation | None = None
        self._env: jinja2.Environment | None = None
        self._files: Files | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").resolve().parent
        templates = self.config.templates
        self.settings = Settings(
            content_dir=(base / (os.environ.get(CONTENT_ENV) or self.config.content)).resolve(),
            templates_dir=(base / templates).resolve() if templates else DEFAULT_TEMPLATES_DIR,
            id_secret=self.config.id_secret,
            leak_audit=self.config.leak_audit,
            keep_going=self.config.keep_going,
            cache_dir=(base / self.config.cache_dir).resolve() if self.config.cache_dir else None,
            previous_id_secrets=tuple(s for s in self.config.previous_id_secrets if s),
            show_case_numbers=self.config.show_case_numbers,
            strict=bool(config.strict),
            withhold=self.withhold_ids,
        )
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Stages 1-3 run before MkDocs cleans site_dir, so invalid records leave it untouched."""
        settings = self._settings()
        self._scratch = make_scratch_folder()
        renderer = self._renderer(config)
        try:
            self.kept = prepare_site_kept(
                settings, self._scratch, lambda site: _navigation_bodies(renderer, site)
            )
        except ImrSiteError as error:
            raise self._reported(error) from error
        self.summary = summary = self.kept.summary
        if settings.id_secret == DEMO_SECRET and self.kept.synthetic_count < summary.determinations:
            log.warning("Real records are published with the demo id secret; set IMR_ID_SECRET.")

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """The navigation's generated pages (home, search, group indexes) become MkDocs pages with our bodies."""
        self._site_files_before = _files_under(Path(config.site_dir))
        urls = self._renderer(config).urls
        for body in self._kept().extra:
            src_uri = urls.src_uri(body.key)
            if files.get_file_from_path(src_uri) is not None:
                raise PluginError(
                    f"{config.docs_dir}/{src_uri}: the generator writes this page; "
                    "rename or remove the hand-written file"
                )
            files.append(File.generated(config, src_uri, content=f"# {body.title}\n"))
            self._nav_pages[src_uri] = body
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        _list_folder_pages(nav, files)
        self._nav, self._files = nav, files
        return nav

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        env.bytecode_cache = self._bytecode_cache()
        self._env = env
        return env

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """A hand-written page's ``<!-- imr:content -->`` says what the site holds (real,
        synthetic or both: ``render.content_statement``)."""
        if CONTENT_MARKER not in markdown:
            return markdown
        kept = self._kept()
        statement = content_statement(kept.synthetic_count, kept.summary.determinations)
        return markdown.replace(CONTENT_MARKER, statement)

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        body = self._nav_pages.get(page.file.src_uri)
        if body is None:
            return html
        page.toc = table_of_contents(body.toc)
        return body.html

    @event_priority(-100)  # after every other plugin has written its files
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Stages 4-8: render the generated pages on all cores, then audit every output file."""
        settings = self._settings()
        if self._nav is None or self._env is None or self._files is None:
            raise PluginError("the imr plugin missed MkDocs' on_nav or on_env event")
        writer = ThemeWriter(config, self._nav, self._files, self._env)
        writer.frames_dir = self._scratch_dir() / FRAMES_FOLDER  # read again by the leak audit
        publication = Publication(
            site_url=config.site_url or "",
            site_name=config.site_name,
            mkdocs_page_urls=tuple(page.url for page in self._files.documentation_pages()),
        )
        page_cache = BuildCache(
            settings.cache_dir, _theme_fingerprint(config, settings, self._files)
        )
        try:
            renderer = self._renderer(config)
            spare = self.spare_site if settings.cache_dir else None
            kept = self._kept()
            rendered = render_site_apart(
                kept, renderer, writer, publication, page_cache, self._scratch_dir(), spare=spare
            )
            self.pages_written = rendered.pages_written
            self.kept = None
            if settings.leak_audit:
                site_dir = Path(config.site_dir)
                hand_written = hand_written_pages(self._files, self._nav_pages)
                audit_built_site(
                    site_dir, kept.identifiers, page_cache, settings, hand_written,
                    scratch=self._scratch_dir(),
                )  # fmt: skip
            page_cache.prune(rendered.store.used_keys())
            if self.errors_as_build_errors:  # plain `mkdocs build`: imr-site reports them itself
                for record in self.summary.withheld if self.summary else ():
                    log.warning("%s", record)
        except ImrSiteError as error:
            self._remove_written(Path(config.site_dir), leak=isinstance(error, LeakError))
            raise self._reported(error) from error
        finally:
            self._remove_scratch()

    def on_build_error(self, *, error: Exception) -> None:
        self._remove_scratch()

    def _remove_written(self, site_dir: Path, *, leak: bool) -> None:
        """Leave no unaudited or leaking page behind: remove every file this build wrote in
        site_dir (those that were not there once MkDocs had cleaned it), and the folders left
        empty. ``imr-site build`` writes into a staging folder it removes anyway."""
        before = self._site_files_before
        if before is None or not site_dir.is_dir():
            return
        written = sorted(_files_under(site_dir) - before, key=len, reverse=True)
        for relative in written:  # files first, then the folders they were in (deepest first)
            path = site_dir / relative
            if not relative.endswith("/"):
                path.unlink(missing_ok=True)
            elif not any(path.iterdir()):
                path.rmdir()
        failed = "The leak audit failed" if leak else "The build failed"
        log.error("%s: the pages this build wrote were removed from %s", failed, site_dir)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        settings = self._settings()
        server.watch(str(settings.content_dir))
        server.watch(str(settings.templates_dir))
        return server

    def _renderer(self, config: MkDocsConfig) -> BodyRenderer:
        env = template_environment(self._settings().templates_dir)
        env.bytecode_cache = self._bytecode_cache()
        return BodyRenderer(env, Urls(use_directory_urls=config.use_directory_urls))

    def _bytecode_cache(self) -> jinja2.BytecodeCache | None:
        """With a build cache, compiled templates (the theme's and ours) are kept in it: Jinja2
        compiles a template again only when its source changed (0.3-0.5 s a build otherwise)."""
        cache_dir = self._settings().cache_dir
        if cache_dir is None:
            return None
        (cache_dir / TEMPLATE_CACHE).mkdir(parents=True, exist_ok=True)
        return CheckedBytecodeCache(str(cache_dir / TEMPLATE_CACHE))

    def _remove_scratch(self) -> None:
        if self._scratch is not None:
            remove_scratch(self._scratch)
            self._scratch = None

    def _reported(self, error: ImrSiteError) -> Exception:
        return ImrPluginError(error) if self.errors_as_build_errors else error

    def _kept(self) -> KeptSite[list[PageBody]]:
        if self.kept is None:
            raise PluginError("the imr plugin's on_pre_build did not run")
        return self.kept

    def _scratch_dir(self) -> Path:
        if self._scratch is None:
            raise PluginError("the imr plugin's on_pre_build did not run")
        return self._scratch

    def _settings(self) -> Settings:
        if self.settings is None:
            raise PluginError("the imr plugin was used before MkDocs loaded its configuration")
        return self.settings


def hand_written_pages(files: Files, generated: Container[str] = ()) -> frozenset[str]:
    """The output paths of the publisher's own pages (docs_dir, but the ``generated`` sources)
    and the theme's 404 page: not derived from records (``audit_site``'s ``hand_written``)."""
    pages = {f.dest_uri for f in files.documentation_pages() if f.src_uri not in generated}
    return frozenset({*pages, "404.html"})


def _files_under(folder: Path) -> set[str]:
    """The files and folders (ending in "/") below ``folder``, relative to it."""
    if not folder.is_dir():
        return set()
    return {
        p.relative_to(folder).as_posix() + ("/" if p.is_dir() and not p.is_symlink() else "")
        for p in folder.rglob("*")
    }


def _navigation_bodies(renderer: BodyRenderer, site: PreparedSite) -> list[PageBody]:
    """The bodies of the navigation's generated pages: home, search, group indexes, data."""
    index = site.index
    bodies = [renderer.home(index), renderer.search(index.search_facets)]
    bodies += [renderer.group_index(folder, index) for folder in GROUP_FOLDERS]
    bodies.append(renderer.data_page(index))
    return bodies


def _theme_fingerprint(config: MkDocsConfig, settings: Settings, files: Files) -> str:
    """Everything a framed page depends on besides its body: code, templates, theme overrides,
    the configuration file, what the command line changed in it, and MkDocs' own pages."""
    folders = [settings.templates_dir]
    if config.theme.custom_dir:
        folders.append(Path(config.theme.custom_dir))
    config_file = Path(config.config_file_path or "")
    return fingerprint(
        *folders,
        settings=(
            config_file.read_text(encoding="utf-8") if config_file.is_file() else "",
            str(config.site_url),
            str(config.use_directory_urls),
            config.site_name,
            " ".join(sorted(page.src_uri for page in files.documentation_pages())),
        ),
    )


BROWSE_SECTION = "Browse"


def _list_folder_pages(nav: Navigation, files: Files) -> None:
    """List each folder page of the registry (``groups.FOLDERS``) that mkdocs.yml's nav leaves
    out at the end of its "Browse" section (or of the navigation): a new kind of listing needs
    no edit of mkdocs.yml to be found."""
    listed = {page.file.src_uri for page in nav.pages}
    browse = next(
        (item for item in nav.items if isinstance(item, Section) and item.title == BROWSE_SECTION),
        None,
    )
    for folder in FOLDERS:
        file = files.get_file_from_path(f"{folder.folder}/index.md")
        if file is None or file.page is None or file.src_uri in listed:
            continue
        page = file.page
        if browse is None:
            nav.items.append(page)
            nav.pages.append(page)
            continue
        last = next((p for p in reversed(browse.children) if isinstance(p, Page)), None)
        browse.children.append(page)
        page.parent = browse
        nav.pages.insert(nav.pages.index(last) + 1 if last in nav.pages else len(nav.pages), page)
    for before, after in zip(nav.pages, nav.pages[1:], strict=False):
        before.next_page, after.previous_page = after, before

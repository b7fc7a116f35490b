"""The MkDocs plugin: runs the pipeline inside MkDocs so `mkdocs build`, `mkdocs serve` and `imr-site`
build the same site. Pages are handed to MkDocs as generated files; nothing is written to docs_dir."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from generator.anonymize import DEMO_SECRET
from generator.exceptions import ImrSiteError
from generator.pipeline import PreparedSite, Settings, audit_built_site, prepare_site
from generator.render import DEFAULT_TEMPLATES_DIR

log = logging.getLogger(__name__)

CONTENT_ENV = "IMR_SITE_CONTENT"
"""Overrides the `content` option (used by `imr-site serve --content`)."""


class ImrPluginConfig(Config):
    content = c.Type(str, default="content/determinations")
    """Folder of record files, relative to mkdocs.yml."""
    templates = c.Optional(c.Type(str))
    """Folder of page templates, relative to mkdocs.yml; default: the project's templates/."""
    id_secret = c.Type(str, default=DEMO_SECRET)
    """Key of the public-id hash; set it with !ENV IMR_ID_SECRET."""
    leak_audit = c.Type(bool, default=True)


class ImrPluginError(PluginError):
    """A pipeline error seen through MkDocs; the CLI reports the original."""

    def __init__(self, error: ImrSiteError) -> None:
        super().__init__(str(error))
        self.error = error


class ImrPlugin(BasePlugin[ImrPluginConfig]):
    """Hands generated pages to MkDocs, watches records when serving, audits the built site."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.prepared: PreparedSite | None = None
        self.errors_as_build_errors = True
        """MkDocs prints BuildErrors without a traceback; `imr-site` sets this to False to receive
        the original ImrSiteError and report it with its own exit code."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").resolve().parent
        templates = self.config.templates
        self.settings = Settings(
            content_dir=(base / (os.environ.get(CONTENT_ENV) or self.config.content)).resolve(),
            templates_dir=(base / templates).resolve() if templates else DEFAULT_TEMPLATES_DIR,
            id_secret=self.config.id_secret,
            leak_audit=self.config.leak_audit,
        )
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Stages 1-4 run before MkDocs cleans site_dir, so invalid records leave it untouched."""
        settings = self._settings()
        try:
            self.prepared = prepare_site(settings)
        except ImrSiteError as error:
            raise self._reported(error) from error
        all_synthetic = self.prepared.index.synthetic_count == len(self.prepared.records)
        if settings.id_secret == DEMO_SECRET and not all_synthetic:
            log.warning("Real records are published with the demo id secret; set IMR_ID_SECRET.")

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Stage 5 begins: hand the rendered pages to MkDocs as generated files."""
        if self.prepared is None:
            raise PluginError("the imr plugin's on_pre_build did not run")
        for page in self.prepared.pages:
            if files.get_file_from_path(page.path) is not None:
                raise PluginError(
                    f"{config.docs_dir}/{page.path}: the generator writes this page; "
                    "rename or remove the hand-written file"
                )
            files.append(File.generated(config, page.path, content=page.markdown))
        return files

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        settings = self._settings()
        server.watch(str(settings.content_dir))
        server.watch(str(settings.templates_dir))
        return server

    @event_priority(-100)  # after every other plugin (the search index) has written its files
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        settings = self._settings()
        if self.prepared is None or not settings.leak_audit:
            return
        try:
            audit_built_site(Path(config.site_dir), self.prepared, settings.id_secret)
        except ImrSiteError as error:
            raise self._reported(error) from error

    def _reported(self, error: ImrSiteError) -> Exception:
        return ImrPluginError(error) if self.errors_as_build_errors else error

    def _settings(self) -> Settings:
        if self.settings is None:
            raise PluginError("the imr plugin was used before MkDocs loaded its configuration")
        return self.settings

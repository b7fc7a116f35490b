"""The plugin's hold on a build's data: the prepared site (index, columns, groups) is let go once
the pages are written, before the leak audit forks its workers; what the command line reports is
kept. Built in this process with MkDocs, as ``mkdocs build`` does."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, SAMPLE, site_config
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.plugin import CONTENT_ENV, ImrPlugin


def test_the_index_is_let_go_before_the_audit_and_the_summary_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONTENT_ENV, str(SAMPLE))
    about = (REPO / "content" / "pages" / "about.md").read_text()
    config = load_config(
        str(site_config(tmp_path / "config", {"about.md": about})), site_dir=str(tmp_path / "site")
    )
    build(config)
    plugin = config.plugins["imr"]
    assert isinstance(plugin, ImrPlugin)
    assert plugin.prepared is None
    assert plugin.summary is not None
    records = len(list(SAMPLE.glob("*.md")))
    assert (plugin.summary.records_read, plugin.summary.determinations) == (records, records)
    assert plugin.summary.rejected == ()
    assert plugin.summary.report.items >= records
    assert len(list((tmp_path / "site" / "determinations").glob("*/index.html"))) == records

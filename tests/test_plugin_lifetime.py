"""The plugin's hold on a build's data: the main process never holds the prepared site's index
(columns, groups): stages 1-3 keep it in a scratch file and the pages are rendered by a child
process that reads it back, so the leak audit's workers are forked from a lean process; what the
command line reports is kept. Built in this process with MkDocs, as ``mkdocs build`` does."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SAMPLE, site_config
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.crosslink import SiteIndex
from generator.plugin import ImrPlugin
from generator.settings import CONTENT_ENV


def indexes_alive() -> int:
    return sum(isinstance(thing, SiteIndex) for thing in gc.get_objects())


def test_the_main_process_never_holds_the_index_and_keeps_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, int] = {}
    for event in ("on_files", "on_post_build"):
        original = getattr(ImrPlugin, event)

        def watched(self: ImrPlugin, *args: Any, _event: str = event, _original: Any = original,
                    **kwargs: Any) -> Any:  # fmt: skip
            seen[_event] = indexes_alive()
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(ImrPlugin, event, watched)
    monkeypatch.setenv(CONTENT_ENV, str(SAMPLE))
    about = (REPO / "content" / "pages" / "about.md").read_text()
    config = load_config(
        str(site_config(tmp_path / "config", {"about.md": about})), site_dir=str(tmp_path / "site")
    )
    build(config)
    plugin = config.plugins["imr"]
    assert isinstance(plugin, ImrPlugin)
    assert seen == {"on_files": 0, "on_post_build": 0}
    assert plugin.kept is None
    assert plugin.summary is not None
    records = len(list(SAMPLE.glob("*.md")))
    assert (plugin.summary.records_read, plugin.summary.determinations) == (records, records)
    assert plugin.summary.rejected == ()
    assert plugin.summary.report.items >= records
    assert plugin.pages_written > records
    assert len(list((tmp_path / "site" / "determinations").glob("*/index.html"))) == records

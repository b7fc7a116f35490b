"""Issue 7: the built site exported as a docs folder that Zensical, Material's successor, builds."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_cli, soup


def test_export_builds_with_zensical(sample_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "zensical"
    result = run_cli("export-docs", "--site-dir", sample_site, out, "-f", REPO / "mkdocs.yml")
    assert result.code == 0, result.stderr
    pages = sorted(p.parent.relative_to(sample_site) for p in sample_site.rglob("index.html"))
    exported = sorted(p.parent.relative_to(out / "docs") for p in (out / "docs").rglob("index.md"))
    assert exported == pages
    config = yaml.safe_load((out / "mkdocs.yml").read_text().split("\n", 1)[1])
    assert "plugins" not in config and config["docs_dir"] == "docs"
    assert (
        "imr-site-demo-secret" not in (out / "mkdocs.yml").read_text()
        or "id_secret" not in (out / "mkdocs.yml").read_text()
    )
    assert (out / "docs" / "search" / "data" / "manifest.json").is_file()
    assert (out / "docs" / "data" / "files.json").is_file()
    zensical = shutil.which("zensical", path=str(Path(REPO / ".venv" / "bin"))) or shutil.which(
        "zensical"
    )
    if zensical is None:
        pytest.skip("zensical is not installed")
    done = subprocess.run(
        [zensical, "build"], cwd=out, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr
    built = sorted(p.parent.relative_to(out / "site") for p in (out / "site").rglob("index.html"))
    assert set(pages) <= set(built)
    page = next((out / "site" / "determinations").glob("*/index.html"))
    assert soup(page).select("div.imr-item[data-decision]")

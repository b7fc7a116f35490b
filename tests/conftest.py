"""Shared helpers: inline records written to tmp_path, builds through the real CLI and MkDocs."""

from __future__ import annotations

import gzip
import html
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "content" / "determinations"
SHARED = REPO.parent / "shared"

VALID_RECORD = """\
---
case_number: CM99-9000001
synthetic: true
decision_date: 2016-12-09
injury_date: 2016-10-13
worker: {age: 48, sex: male}
reviewer: {specialty: Family Practice, licensure: [California, North Carolina]}
items:
  - treatment: MRI of the right shoulder without contrast
    decision: upheld
    claims_administrator_guideline: "MTUS Shoulder Complaints 2004."
    reviewer_guideline: "MTUS Shoulder Complaints 2004, Section(s): Special Studies."
    rationale: "CA MTUS/ACOEM Guidelines state that imaging is not indicated without red flags."
  - treatment: "Norco 10/325mg #120"
    decision: overturned
    claims_administrator_guideline: "MTUS Chronic Pain Medical Treatment Guidelines."
    reviewer_guideline: "MTUS Chronic Pain Medical Treatment Guidelines, Section(s): Opioids."
    rationale: "Ongoing functional improvement is documented; the request is medically necessary."
---
The injured worker is a 48 year old male who sustained an industrial injury (synthetic).
"""


def write_record(folder: Path, name: str, text: str) -> Path:
    """Write a dedented record file and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path, cwd: Path = REPO, env: dict[str, str] | None = None) -> Run:
    """Run `python -m generator ...` as a user would, in a real process."""
    full_env = {**os.environ, "IMR_SITE_NO_PROGRESS": "1", **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def site_config(folder: Path, pages: dict[str, str]) -> Path:
    """A copy of the project's mkdocs.yml whose hand-written pages are ``pages`` (name -> Markdown)."""
    docs = folder / "pages"
    docs.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (docs / name).write_text(textwrap.dedent(text), encoding="utf-8")
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: content/pages", f"docs_dir: {docs}")
    config = config.replace("custom_dir: site_overrides", f"custom_dir: {REPO / 'site_overrides'}")
    path = folder / "mkdocs.yml"
    path.write_text(config, encoding="utf-8")
    return path


def build(content: Path, site: Path, *extra: str) -> Run:
    """A strict build without the build cache (tests of the cache give it a folder of their own)."""
    return run_cli(
        "build", "--strict", "--no-cache", "--content", content, "--site-dir", site, *extra
    )


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def found(node: Tag | None) -> Tag:
    """``node``, which the test expects to be there (a failed assertion if it is not)."""
    assert node is not None, "expected element not found"
    return node


def attr(node: Tag | None, name: str) -> str:
    """An attribute the test expects (a class or rel list joined with spaces)."""
    value = found(node).get(name)
    assert value is not None, f"no {name} attribute"
    return value if isinstance(value, str) else " ".join(value)


def site_text_files(site: Path) -> list[Path]:
    return sorted(
        p
        for p in site.rglob("*")
        if p.is_file() and p.suffix in {".html", ".json", ".xml", ".txt", ".csv"}
    )


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample, built once per session with --strict."""
    site = tmp_path_factory.mktemp("sample") / "site"
    result = build(SAMPLE, site)
    assert result.code == 0, result.stderr
    return site


def reader_text(path: Path) -> str:
    """An output file as a reader sees it: gzip opened, JSON escapes and HTML entities decoded."""
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    text = raw.decode("utf-8", errors="replace")
    if path.suffix == ".json":
        text = json.dumps(json.loads(text), ensure_ascii=False)
    return html.unescape(text)

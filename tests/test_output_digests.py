"""The built site, byte for byte: every output file of the sample and of a synthetic set against
the digests in ``tests/golden`` (refreshed by ``tests/golden/refresh.py`` for a change meant to alter
the output). A change of storage or structure must leave them as they are."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO, build

sys.path.insert(0, str(REPO / "bench"))
from site_digests import differences, site_digests

GOLDEN_DIR = REPO / "tests" / "golden"
GOLDEN = {"sample": "sample-site.json", "synthetic": "synthetic-site.json"}
SYNTHETIC_ARGS = ("600", "--seed", "18")
"""600 synthetic records: enough for numbered listing pages, related determinations and several
search shards."""


def build_for_digests(content: Path, site: Path) -> None:
    """The build whose output the golden digests record: strict, no cache."""
    result = build(content, site)
    assert result.code == 0, result.stderr


def _check(name: str, site: Path) -> None:
    expected = json.loads((GOLDEN_DIR / GOLDEN[name]).read_text(encoding="utf-8"))
    found = site_digests(site)
    lines = differences(expected, found)
    assert not lines, f"{len(lines)} files differ from tests/golden/{GOLDEN[name]}:\n" + "\n".join(
        lines[:40]
    )


def test_the_sample_site_is_byte_identical_to_its_golden_digests(sample_site: Path) -> None:
    _check("sample", sample_site)


def test_a_synthetic_site_is_byte_identical_to_its_golden_digests(tmp_path: Path) -> None:
    records = tmp_path / "records"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "synth.py"), *SYNTHETIC_ARGS, "--out", str(records)],
        check=True,
        capture_output=True,
    )
    site = tmp_path / "site"
    build_for_digests(records, site)
    _check("synthetic", site)


def test_the_digests_tell_a_changed_file_an_added_file_and_a_missing_one(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("a", encoding="utf-8")
    (tmp_path / "b.html").write_text("b", encoding="utf-8")
    before = site_digests(tmp_path)
    (tmp_path / "a.html").write_text("A", encoding="utf-8")
    (tmp_path / "b.html").unlink()
    (tmp_path / "c.html").write_text("c", encoding="utf-8")
    assert differences(before, site_digests(tmp_path)) == [
        "missing: b.html",
        "added:   c.html",
        "changed: a.html",
    ]

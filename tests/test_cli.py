"""The command line: summaries, exit codes and messages without tracebacks; plain MkDocs works too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, VALID_RECORD, build, run_cli, site_config, write_record

LEAKY_RECORD = VALID_RECORD.replace(
    "synthetic: true", "synthetic: true\nprivate: {names: [Zelda Quixote]}"
).replace("male who", "male, Zelda Quixote, who")
LEAKY_ABOUT_PAGE = {"about.md": "# About\n\nThanks to Zelda Quixote for her case.\n"}


def test_check_reports_every_problem_without_a_traceback(tmp_path: Path) -> None:
    write_record(tmp_path, "a.md", VALID_RECORD.replace("decision: upheld", "decision: denied"))
    write_record(
        tmp_path,
        "b.md",
        VALID_RECORD.replace("CM99-9000001", "CM99-9000002").replace("items:", "itemz:"),
    )
    result = run_cli("check", "--content", tmp_path)
    assert result.code == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"ERROR: {tmp_path}/a.md: items[0].decision: found 'denied'; expected 'upheld' or 'overturned'",
        f"ERROR: {tmp_path}/b.md: items: missing; add this key",
        f"ERROR: {tmp_path}/b.md: itemz: unknown key; remove it or use one of: format, case_number, "
        "decision_date, injury_date, assigned_date, ur_denial_date, received_date, priority, worker, "
        "reviewer, items, private, synthetic",
        "ERROR: Aborted with 2 invalid records (of 2 read).",
    ]


def test_check_and_build_summaries(tmp_path: Path) -> None:
    write_record(tmp_path / "content", "a.md", VALID_RECORD)
    checked = run_cli("check", "--content", tmp_path / "content")
    assert (checked.code, checked.stderr.strip()) == (0, f"1 records valid in {tmp_path}/content.")
    unknown = VALID_RECORD.replace(
        "MTUS Chronic Pain Medical Treatment Guidelines, Section(s): Opioids.",
        "The Compendium of Zorbian Remedies, third edition.",
    ).replace("Norco 10/325mg #120", "Zorbian crystal alignment")
    write_record(tmp_path / "content", "a.md", unknown)
    built = build(
        tmp_path / "content", tmp_path / "site", "--report", str(tmp_path / "report.json")
    )
    assert built.code == 0, built.stderr
    assert built.stderr.splitlines() == [
        "Citations resolved to the guideline catalog: 3 of 4; items with a canonical treatment: 1 of 2.",
        built.stderr.splitlines()[-1],
    ]
    assert built.stderr.splitlines()[-1].startswith(
        "Read 1 records, wrote 1 determination pages, withheld 0, rejected 0 records in "
    )
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["unresolved_citations"] == {
        "The Compendium of Zorbian Remedies, third edition.": ["pkgp5qf3wdwc"]
    }
    assert report["unclassified_treatments"] == {"Zorbian crystal alignment": ["pkgp5qf3wdwc"]}
    assert (tmp_path / "site" / "index.html").is_file()


def test_failed_builds_leave_the_published_site_untouched(tmp_path: Path) -> None:
    write_record(tmp_path / "content", "a.md", VALID_RECORD)
    assert build(tmp_path / "content", tmp_path / "site").code == 0
    published = {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    write_record(tmp_path / "content", "a.md", VALID_RECORD.replace("items:", "items: []\nx:"))
    result = build(tmp_path / "content", tmp_path / "site")
    assert result.code == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == "ERROR: Aborted with 1 invalid record (of 1 read)."
    write_record(tmp_path / "content", "a.md", LEAKY_RECORD)
    config = site_config(tmp_path / "config", LEAKY_ABOUT_PAGE)
    assert build(tmp_path / "content", tmp_path / "site", "-f", str(config)).code == 2
    assert {p: p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()} == published
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config", "content", "site"]


def test_missing_content_folder_and_config_file(tmp_path: Path) -> None:
    result = run_cli("build", "--content", tmp_path / "none")
    assert (result.code, result.stderr.strip()) == (
        1,
        f"ERROR: {tmp_path}/none: the content folder does not exist; pass --content DIR or create it.",
    )
    result = run_cli("check", "-f", tmp_path / "mkdocs.yml")
    assert result.code == 1 and "no such file" in result.stderr and "Traceback" not in result.stderr


def test_leak_in_any_output_file_fails_the_build_naming_the_kind_not_the_identifier(
    tmp_path: Path,
) -> None:
    # The record's own text is scrubbed, so the leak comes from a hand-written page of the publisher.
    write_record(tmp_path / "content", "a.md", LEAKY_RECORD)
    config = site_config(tmp_path / "config", LEAKY_ABOUT_PAGE)
    result = build(tmp_path / "content", tmp_path / "site", "-f", str(config))
    assert result.code == 2, result.stderr
    assert "Zelda" not in result.stderr and "Traceback" not in result.stderr
    assert "ERROR: about/index.html: name of pkgp5qf3wdwc" in result.stderr
    assert "Leak audit failed" in result.stderr


def test_python_dash_m_and_plain_mkdocs_build(tmp_path: Path) -> None:
    assert "build" in run_cli("--help").stdout
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ},
    )
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "site" / "determinations").glob("*/index.html"))) >= 30

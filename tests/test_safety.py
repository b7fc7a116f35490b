"""Safe to run: a build or an export never touches a user's files, and every mistake a user can
make ends in one message naming the thing and the fix, with an exit code from the table."""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SAMPLE, VALID_RECORD, build, run_cli, site_config, write_record

from generator.exceptions import WorkerDiedError
from generator.ownership import SITE_MARKER
from generator.parallel import parallel_map, parallel_map_beside


def _files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (links as their targets' names), by relative path."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            found[path.relative_to(folder).as_posix()] = str(path.readlink()).encode()
        elif path.is_file():
            found[path.relative_to(folder).as_posix()] = path.read_bytes()
    return found


def _project(tmp_path: Path) -> tuple[Path, Path]:
    """A project folder: mkdocs.yml, its hand-written pages, a record, a user's own file."""
    config = site_config(tmp_path / "project", {"about.md": "# About\n\nOur own page.\n"})
    write_record(tmp_path / "project" / "records", "a.md", VALID_RECORD)
    (tmp_path / "project" / "notes.txt").write_text("the user's own notes\n")
    return config, tmp_path / "project" / "records"


@pytest.mark.parametrize(
    ("site", "code", "says"),
    [
        ("project", 1, "is the project folder"),
        ("project/records", 1, "is the content folder"),
        ("project/pages", 1, "is docs_dir"),
        (".", 1, "holds the project folder"),
        ("project/records/site", 1, "is inside the content folder"),
        ("mine", 1, "holds files that imr-site did not write"),
        ("project/notes.txt/site", 4, "which is a file"),
    ],
)
def test_a_site_folder_that_is_not_the_builds_own_is_refused(
    tmp_path: Path, site: str, code: int, says: str
) -> None:
    config, records = _project(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_text("a user's file")
    before = _files(tmp_path)
    result = run_cli(
        "build", "-f", config, "--content", records, "--site-dir", tmp_path / site, cwd=tmp_path
    )
    assert result.code == code, result.stderr
    assert "Traceback" not in result.stderr
    [message] = result.stderr.splitlines()
    assert message.startswith(f"ERROR: {(tmp_path / site).resolve()}: ") and says in message
    assert _files(tmp_path) == before


def test_a_site_dir_that_is_a_file_is_refused_not_renamed(tmp_path: Path) -> None:
    config, records = _project(tmp_path)
    text = config.read_text().replace("site_dir: site", "site_dir: notes.txt")
    config.write_text(text)
    before = _files(tmp_path)
    result = run_cli("build", "-f", config, "--content", records, cwd=tmp_path)
    assert result.code == 4, result.stderr
    assert result.stderr.strip() == (
        f"ERROR: {tmp_path}/project/notes.txt: the site folder is a file; choose a folder "
        "(remove or rename the file)"
    )
    assert _files(tmp_path) == before


def test_a_site_folder_the_build_wrote_is_replaced_and_marked(tmp_path: Path) -> None:
    write_record(tmp_path / "content", "a.md", VALID_RECORD)
    (tmp_path / "site").mkdir()  # empty: the build's to fill
    assert build(tmp_path / "content", tmp_path / "site").code == 0
    assert (tmp_path / "site" / SITE_MARKER).is_file()
    (tmp_path / "site" / "stale.html").write_text("left by the last build")
    assert build(tmp_path / "content", tmp_path / "site").code == 0
    assert not (tmp_path / "site" / "stale.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("safety") / "site"
    result = build(SAMPLE, site)
    assert result.code == 0, result.stderr
    return site


def test_export_docs_never_replaces_a_projects_docs_or_mkdocs_yml(
    tmp_path: Path, built_sample: Path
) -> None:
    config, _records = _project(tmp_path)
    (tmp_path / "project" / "docs").mkdir()
    (tmp_path / "project" / "docs" / "guide.md").write_text("# The project's own guide\n")
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "mkdocs.yml").write_text("site_name: theirs\n")
    before = _files(tmp_path)
    for out, says in [
        ("project", "is the project folder"),
        (".", "holds the project folder"),
        ("project/pages", "is docs_dir"),
        ("theirs", "holds files that imr-site did not write"),
    ]:
        result = run_cli("export-docs", "-f", config, "-d", built_sample, tmp_path / out)
        assert result.code == 1, result.stderr
        [message] = result.stderr.splitlines()
        assert says in message and "Traceback" not in message
    result = run_cli("export-docs", "-f", config, "-d", built_sample, built_sample)
    assert result.code == 1 and "is the site folder" in result.stderr
    assert _files(tmp_path) == before
    for _again in range(2):  # a folder of its own, exported into again
        result = run_cli("export-docs", "-f", config, "-d", built_sample, tmp_path / "export")
        assert result.code == 0, result.stderr
    assert (tmp_path / "export" / "docs" / "index.md").is_file()


@dataclass(frozen=True)
class _Chunk:
    paths: tuple[str, ...]


def _work(chunk: _Chunk) -> int:
    if "crash.md" in chunk.paths:
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer does
    time.sleep(0.05)
    return len(chunk.paths)


@pytest.mark.parametrize("beside", [False, True])
def test_a_worker_that_dies_is_reported_with_its_job_never_waited_for(
    monkeypatch: pytest.MonkeyPatch, beside: bool
) -> None:
    monkeypatch.setenv("IMR_SITE_WORKERS", "2")
    jobs = [_Chunk((f"{n}a.md", f"{n}b.md")) for n in range(6)]
    jobs.insert(3, _Chunk(("first.md", "crash.md", "last.md")))
    started = time.monotonic()
    with pytest.raises(WorkerDiedError) as died:
        if beside:
            list(parallel_map_beside(_work, jobs, [_Chunk(("local.md",))], desc="test"))
        else:
            list(parallel_map(_work, jobs, desc="test"))
    assert time.monotonic() - started < 30
    assert str(died.value) == (
        "a worker process was stopped by SIGKILL (out of memory?) while working on one of 3 "
        "files, first.md to last.md; nothing was published"
    )

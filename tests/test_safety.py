"""Safe to run: a build or an export never touches a user's files, and every mistake a user can
make ends in one message naming the thing and the fix, with an exit code from the table."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REPO, VALID_RECORD, build, run_cli, site_config, write_record

from generator.exceptions import WorkerDiedError
from generator.ownership import (
    SCRATCH_MARKER,
    SITE_MARKER,
    claim,
    release,
    remove_stale_scratch,
)
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


def test_export_docs_never_replaces_a_projects_docs_or_mkdocs_yml(
    tmp_path: Path, sample_site: Path
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
        result = run_cli("export-docs", "-f", config, "-d", sample_site, tmp_path / out)
        assert result.code == 1, result.stderr
        [message] = result.stderr.splitlines()
        assert says in message and "Traceback" not in message
    result = run_cli("export-docs", "-f", config, "-d", sample_site, sample_site)
    assert result.code == 1 and "is the site folder" in result.stderr
    assert _files(tmp_path) == before
    for _again in range(2):  # a folder of its own, exported into again
        result = run_cli("export-docs", "-f", config, "-d", sample_site, tmp_path / "export")
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


def test_usage_errors_exit_64_not_the_leak_audits_2(tmp_path: Path) -> None:
    for args in (["build", "--no-such-option"], ["no-such-command"], ["ingest"]):
        result = run_cli(*args, cwd=tmp_path)
        assert result.code == 64, (args, result.stderr)
        assert "Traceback" not in result.stderr and "Error:" in result.stderr


def test_a_cache_that_is_a_file_and_an_empty_content_folder_get_one_message(
    tmp_path: Path,
) -> None:
    config, records = _project(tmp_path)
    (tmp_path / "project" / ".imr-cache").write_text("not a folder")
    result = run_cli("build", "-f", config, "--content", records, cwd=tmp_path)
    assert result.code == 4, result.stderr
    assert result.stderr.splitlines() == [
        f"ERROR: {tmp_path}/project/.imr-cache: the build cache is a file; choose a folder "
        "(remove or rename the file)"
    ]
    (tmp_path / "empty").mkdir()
    for command in ("build", "check"):
        result = run_cli(command, "-f", config, "--content", tmp_path / "empty", cwd=tmp_path)
        assert result.code == 1, result.stderr
        assert result.stderr.splitlines() == [
            f"ERROR: {tmp_path}/empty: no record files (*.md) in the content folder; add records, "
            "pass --content DIR, or --allow-empty to build a site without any"
        ]
    result = run_cli("check", "-f", config, "--content", tmp_path / "empty", "--allow-empty")
    assert result.code == 0, result.stderr


def test_scratch_folders_of_dead_builds_are_removed_those_in_use_kept(tmp_path: Path) -> None:
    for name in ("dead", "alive"):
        (tmp_path / f"imr-site-{name}").mkdir()
        (tmp_path / f"imr-site-{name}" / SCRATCH_MARKER).write_text("scratch")
    claim(tmp_path / "imr-site-alive", SCRATCH_MARKER)  # as a build running holds it
    (tmp_path / "imr-site-older").mkdir()  # an older version's: no marker, an hour old
    os.utime(tmp_path / "imr-site-older", (time.time() - 7200, time.time() - 7200))
    (tmp_path / "imr-site-starting").mkdir()  # made a moment ago, its marker not yet written
    (tmp_path / "other").mkdir()
    removed = remove_stale_scratch(tmp_path)
    assert sorted(p.name for p in removed) == ["imr-site-dead", "imr-site-older"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "imr-site-alive",
        "imr-site-starting",
        "other",
    ]
    release(tmp_path / "imr-site-alive")


def _session_processes(session: int) -> list[int]:
    """The processes still alive in ``session`` (Linux: from /proc)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[3]) == session and fields[0] != "Z":
                    alive.append(int(entry.name))
    return alive


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_exits_130_with_one_line_and_leaves_nothing(
    tmp_path: Path, stop: signal.Signals
) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) or SIGTERM: exit 130,
    one line, no worker's traceback, no scratch folder, no child process left running."""
    records, temporary = tmp_path / "records", tmp_path / "tmp"
    temporary.mkdir()
    subprocess.run(
        [sys.executable, REPO / "bench" / "synth.py", "400", "--out", records],
        check=True,
        capture_output=True,
    )
    # Python takes SIGINT as in a terminal (a suite started with 'cmd &' inherits it ignored).
    imr_site = (
        "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
        "from generator.cli import main; main(sys.argv[1:], prog_name='imr-site')"
    )
    command = [sys.executable, "-c", imr_site, "build", "--no-cache", "--content", str(records),
               "--site-dir", str(tmp_path / "site")]  # fmt: skip
    env = {**os.environ, "TMPDIR": str(temporary), "IMR_SITE_NO_PROGRESS": "1"}
    build = subprocess.Popen(
        command, cwd=REPO, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while len(_session_processes(build.pid)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)  # until its workers run
    assert list(temporary.glob("imr-site-*")), "the build made no scratch folder"
    if stop == signal.SIGINT:
        os.killpg(build.pid, stop)
    else:
        build.send_signal(stop)
    _out, errors = build.communicate(timeout=60)
    assert build.returncode == 130, errors
    assert errors.splitlines() == [
        "ERROR: Interrupted: nothing was published (the site already published is unchanged)."
    ]
    deadline = time.monotonic() + 10
    while _session_processes(build.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session_processes(build.pid) == []
    assert list(temporary.iterdir()) == []
    assert not (tmp_path / "site").exists()


def test_hostile_records_end_in_messages_naming_their_files(tmp_path: Path) -> None:
    """A 60,000-level record (libyaml segfaulted: check exited 139 without a word, a build
    waited for ever), a 1,000-level one and an alias bomb, among valid records: check and build
    name each file and exit 1, within seconds."""
    content = tmp_path / "content"
    for number in range(3):
        write_record(content, f"ok{number}.md", VALID_RECORD.replace("9000001", f"900000{number}"))
    (content / "deep.md").write_text(
        f"---\ncase_number: A\nitems: {'[' * 60_000}{']' * 60_000}\n---\nS\n"
    )
    (content / "deeper.md").write_text(f"---\ncase_number: B\nitems:\n  {'- ' * 1_000}x\n---\nS\n")
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    (content / "bomb.md").write_text(
        "---\ncase_number: C\n" + "\n".join(lines) + "\nitems: *a9\n---\nS\n"
    )
    for command in (["check"], ["build", "--no-cache", "--site-dir", tmp_path / "site"]):
        started = time.monotonic()
        result = run_cli(*command, "--content", content)
        assert time.monotonic() - started < 120
        assert result.code == 1, result.stderr
        assert "Traceback" not in result.stderr
        problems = [line.split(": ", 2)[1] for line in result.stderr.splitlines()[:-1]]
        assert problems == [f"{content}/{name}.md" for name in ("bomb", "deep", "deeper")]
        assert (
            result.stderr.splitlines()[-1] == "ERROR: Aborted with 3 invalid records (of 6 read)."
        )

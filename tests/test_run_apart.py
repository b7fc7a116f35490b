"""``parallel.run_apart``: a function run in a forked child, its result or exception handed back,
and what it made on the way not left in this process."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import REPO

from generator.exceptions import (
    FileSystemError,
    InvalidRecordsError,
    RecordProblem,
    WorkerDiedError,
)
from generator.parallel import LOW_DISK_BYTES, lost_outcome, run_apart


def _pid_and_sum(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def test_the_result_comes_back_from_another_process(tmp_path: Path) -> None:
    pid, total = run_apart(_pid_and_sum, [1, 2, 3], scratch=tmp_path)
    assert total == 6
    assert pid != os.getpid()
    assert list(tmp_path.iterdir()) == []  # the hand-over file is gone


def _invalid() -> None:
    raise InvalidRecordsError([RecordProblem("a.md", "items", "found an empty list")], 3)


def test_a_users_mistake_is_raised_here_as_it_was_there(tmp_path: Path) -> None:
    with pytest.raises(InvalidRecordsError) as caught:
        run_apart(_invalid, scratch=tmp_path)
    assert (
        str(caught.value)
        == "a.md: items: found an empty list\nAborted with 1 invalid record (of 3 read)."
    )
    assert caught.value.records_checked == 3


def _bug() -> None:
    found: dict[str, int] = {}
    found["missing"]


def test_a_bug_keeps_the_childs_traceback(tmp_path: Path) -> None:
    with pytest.raises(KeyError) as caught:
        run_apart(_bug, scratch=tmp_path)
    [note] = caught.value.__notes__
    assert "in _bug" in note and 'found["missing"]' in note


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_child_that_dies_is_an_error_naming_the_function(tmp_path: Path) -> None:
    # A user's error (reported without a traceback), not a crash of this process
    with pytest.raises(
        WorkerDiedError, match=r"_killed was stopped by SIGKILL \(out of memory\?\)"
    ):
        run_apart(_killed, scratch=tmp_path)


def test_a_child_that_stopped_on_a_full_disk_is_an_error_saying_so(tmp_path: Path) -> None:
    error = lost_outcome("_load_and_render", 1, tmp_path, free=3 << 20)
    assert isinstance(error, FileSystemError) and error.exit_code == 4
    assert str(error).startswith(f"{tmp_path}: the disk is full (3 MB free)")
    assert "Free some space" in str(error)
    died = lost_outcome("_load_and_render", 1, tmp_path, free=LOW_DISK_BYTES)
    assert isinstance(died, WorkerDiedError) and "with exit code 1" in str(died)


def _make_and_drop_many_objects() -> int:
    made = [(number, str(number)) for number in range(2_000_000)]  # about 200 MB at once
    return len(made) // 100


def test_what_the_child_made_does_not_stay_here(tmp_path: Path) -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    assert run_apart(_make_and_drop_many_objects, scratch=tmp_path) == 20_000
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 20


def _unpicklable() -> object:
    return threading.Lock()


def test_an_outcome_that_does_not_pickle_is_an_error_saying_so(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="_unpicklable's outcome could not be handed back"):
        run_apart(_unpicklable, scratch=tmp_path)


INTERRUPTED = """
import os, signal, sys, threading, time
from pathlib import Path
from generator.parallel import run_apart

def sleep_then_mark(mark):
    time.sleep(3)
    mark.write_text("the child ran on")

scratch = Path(sys.argv[1])
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal (see the test)
threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
started = time.monotonic()
try:
    run_apart(sleep_then_mark, scratch / "mark", scratch=scratch)
except KeyboardInterrupt:
    print(f"interrupted after {time.monotonic() - started:.1f} s")
"""


def test_an_interrupted_parent_stops_the_child(tmp_path: Path) -> None:
    """In a Python process of its own that takes SIGINT as a terminal's Python does: a suite
    started in the background by a non-interactive shell (``cmd &``) inherits SIGINT ignored,
    which Python keeps, and this test failed so ("DID NOT RAISE") in 4 clean-clone runs."""
    run = subprocess.run(
        [sys.executable, "-c", INTERRUPTED, str(tmp_path)],
        capture_output=True, text=True, timeout=60, check=False, cwd=REPO,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    seconds = float(run.stdout.removeprefix("interrupted after ").split()[0])
    assert seconds < 2.5
    time.sleep(3)
    assert not (tmp_path / "mark").exists()

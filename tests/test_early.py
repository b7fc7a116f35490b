"""A process forked at the start of a build runs the leak audit for it at the end."""

from __future__ import annotations

import os
import sys

import pytest

from generator.early import EarlyProcess
from generator.parallel import WORKERS_ENV

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="forked processes")


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _fails(message: str) -> None:
    raise ValueError(message)


def test_a_call_runs_in_the_process_forked_before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_ENV, "2")
    with EarlyProcess() as early:
        pid, doubled = early.call(_pid_and, 21)
    assert doubled == 42
    assert pid != os.getpid()


def test_its_exception_is_raised_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_ENV, "2")
    with EarlyProcess() as early, pytest.raises(ValueError, match="no such thing"):
        early.call(_fails, "no such thing")


def test_with_one_worker_the_call_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_ENV, "1")
    with EarlyProcess() as early:
        assert early.call(_pid_and, 1) == (os.getpid(), 2)


def test_closing_it_uncalled_ends_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_ENV, "2")
    early = EarlyProcess()
    process = early._process
    assert process is not None
    assert process.is_alive()
    early.close()
    assert not process.is_alive()
    assert process.exitcode == 0

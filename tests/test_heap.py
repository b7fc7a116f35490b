"""The garbage collector during a build: paused while long-lived objects are made, those frozen
afterwards, and workers forked meanwhile still collecting their own garbage."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from generator.heap import collection_paused, thaw
from generator.parallel import parallel_map
from generator.settings import WORKERS_ENV


@pytest.fixture(autouse=True)
def _thawed() -> Iterator[None]:
    yield
    thaw()
    gc.enable()


def _collecting(_job: int) -> bool:
    return gc.isenabled()


def test_objects_made_while_paused_are_frozen_after() -> None:
    frozen_before = gc.get_freeze_count()
    with collection_paused():
        assert not gc.isenabled()
        made = [[number] for number in range(1000)]
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(made)
    thaw()
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("workers", ["1", "2"])
def test_jobs_run_while_paused_collect(monkeypatch: pytest.MonkeyPatch, workers: str) -> None:
    """In forked workers, and in this process when there is one core."""
    monkeypatch.setenv(WORKERS_ENV, workers)
    with collection_paused():
        assert list(parallel_map(_collecting, [1, 2, 3, 4], desc="test")) == [True] * 4
        assert not gc.isenabled()

"""Blobs in a scratch file: read back as written, in any order, by a forked worker, without
``os.pread``."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from generator.scratch import ScratchBlobs

BLOBS = [b"first", b"", bytes(range(256)) * 40, b"last \x00 one"]


def filled() -> ScratchBlobs:
    blobs = ScratchBlobs()
    assert [blobs.append(blob) for blob in BLOBS] == [0, 1, 2, 3]
    return blobs


def test_blobs_are_read_back_as_written_in_any_order() -> None:
    blobs = filled()
    assert len(blobs) == len(BLOBS)
    assert [blobs[number] for number in (3, 0, 2, 1)] == [BLOBS[n] for n in (3, 0, 2, 1)]
    assert list(blobs) == BLOBS
    assert list(blobs[1:3]) == BLOBS[1:3]
    with pytest.raises(IndexError):
        blobs[len(BLOBS)]


def test_a_blob_appended_after_a_read_is_read_back() -> None:
    blobs = filled()
    assert blobs[0] == BLOBS[0]
    blobs.append(b"more")
    assert blobs[4] == b"more"


SHARED: list[ScratchBlobs] = []
"""The blobs a forked worker inherits (a pool would pickle an argument)."""


def _shared_blob(number: int) -> bytes:
    return SHARED[0][number]


def test_a_forked_worker_reads_the_blobs_through_the_inherited_file() -> None:
    SHARED[:] = [filled()]
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            found = pool.map(_shared_blob, [2, 3, 0])
    finally:
        SHARED.clear()
    assert found == [BLOBS[2], BLOBS[3], BLOBS[0]]


def test_blobs_are_read_without_pread_where_there_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    blobs = filled()
    monkeypatch.delattr(os, "pread")
    assert [blobs[number] for number in (2, 0, 3)] == [BLOBS[2], BLOBS[0], BLOBS[3]]

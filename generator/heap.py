"""The garbage collector during a build: long-lived objects are built with collection paused and
then frozen, so that neither this process nor the forked workers walk them again.

A build's main process holds the site's columns, groups and vocabularies until it ends (the cards
are in a scratch file: ``cardstore.py``). Python's collector walks all tracked objects each time
their number has grown by a quarter, so loading 20,000 cached cards took 1.0-1.4 s with it and
0.4 s without, and cross-linking them 1.3-1.5 s against 0.9 s (round 5, when cards were objects).
Frozen objects (``gc.freeze``) are out of the collector's sight: a worker forked afterwards does
not touch them in its own collections, which would also copy their memory pages into the worker.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """Build long-lived objects without collections, then freeze what the block made. (Only
    cyclic garbage made in the block outlives it; ``thaw`` gives it back to the collector.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def freeze_before_fork() -> None:
    """Move every object out of the collector's sight before forking workers that share them."""
    gc.freeze()


@contextmanager
def collecting() -> Iterator[None]:
    """Collection on for the block, even inside ``collection_paused``: per-record work run in
    this process (one core) makes short-lived garbage, cycles among it."""
    enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not enabled:
            gc.disable()


def collect_in_worker() -> None:
    """A forked worker collects its own garbage, even when forked while collection was paused."""
    gc.enable()


def thaw() -> None:
    """At the end of a build: what was frozen is collected again as usual (``mkdocs serve``
    builds many times in one process)."""
    gc.unfreeze()

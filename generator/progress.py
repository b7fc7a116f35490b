"""Progress bars for long runs: shown on an interactive terminal, silent in pipes, tests and CI."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

from generator.settings import NO_PROGRESS_ENV

T = TypeVar("T")

MIN_ITEMS_FOR_BAR = 200


def progress(items: Iterable[T], *, desc: str, unit: str, total: int | None = None) -> Iterator[T]:
    """Iterate ``items`` with a progress bar on stderr when it is a terminal and the run is long."""
    count = total if total is not None else _len_or_none(items)
    quiet = (
        not sys.stderr.isatty()
        or os.environ.get(NO_PROGRESS_ENV)
        or (count is not None and count < MIN_ITEMS_FOR_BAR)
    )
    if quiet:
        yield from items
        return
    yield from tqdm(items, desc=desc, unit=unit, total=count, leave=False, dynamic_ncols=True)


def _len_or_none(items: Iterable[object]) -> int | None:
    try:
        return len(items)  # type: ignore[arg-type]
    except TypeError:
        return None

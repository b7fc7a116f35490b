"""Build into a staging folder beside the site and swap it in only when the whole build succeeded,
so a failed build (invalid records, a leak) never touches the site already published."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


@contextmanager
def staged_site(site_dir: Path) -> Iterator[Path]:
    """Yield a fresh staging folder; on success it replaces ``site_dir``, on failure it is removed."""
    site_dir = site_dir.resolve()
    staging = site_dir.with_name(f".{site_dir.name}.staging")
    previous = site_dir.with_name(f".{site_dir.name}.previous")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
    log.debug("Published %s", site_dir)

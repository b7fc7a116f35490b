"""Build into a staging folder beside the site and swap it in only when the whole build succeeded,
so a failed build (invalid records, a leak) never touches the site already published."""

from __future__ import annotations

import itertools
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


@contextmanager
def staged_site(site_dir: Path) -> Iterator[Path]:
    """Yield a fresh staging folder; on success it replaces ``site_dir``, on failure it is removed."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.staging-", dir=site_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must read the published site
    previous = staging.with_name(staging.name.replace(".staging-", ".previous-"))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    _remove(previous)
    log.debug("Published %s", site_dir)


BACKGROUND_REMOVAL_FILES = 2000
"""A previous site with more files than this is removed by a detached process."""


def _remove(folder: Path) -> None:
    """Remove the previous site. Deleting tens of thousands of files takes seconds of disk work
    that nobody needs to wait for (the new site is already in place), so a large one is left to a
    detached process; a small one goes at once."""
    if not folder.exists():
        return
    entries = itertools.islice(_walk(folder), BACKGROUND_REMOVAL_FILES + 1)
    if sum(1 for _ in entries) <= BACKGROUND_REMOVAL_FILES:
        shutil.rmtree(folder, ignore_errors=True)
        return
    command = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        os.posix_spawn(sys.executable, [sys.executable, "-c", command, str(folder)], os.environ)
    except (AttributeError, OSError):  # no posix_spawn (Windows) or it failed: remove it here
        shutil.rmtree(folder, ignore_errors=True)


def _walk(folder: Path) -> Iterator[str]:
    for _root, _folders, files in os.walk(folder):
        yield from files

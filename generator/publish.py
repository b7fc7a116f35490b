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
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass
class Staging:
    """Where a build writes (``path``), the site before last (``spare``) when one was kept: its
    unchanged pages can be moved in instead of written again (``adopt_folder``), and whether to
    keep the site this build replaces as the next build's spare (worth it with a build cache)."""

    path: Path
    spare: Path | None = None
    keep_spare: bool = False


@contextmanager
def staged_site(site_dir: Path) -> Iterator[Staging]:
    """Yield a fresh staging folder; on success it replaces ``site_dir``, on failure it is removed.

    With ``keep_spare`` set, the replaced site is kept beside it as ``.NAME.spare`` (instead of
    being removed) for the next build to take its pages from: creating and deleting tens of
    thousands of folders is most of what a small rebuild would otherwise cost the file system."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.staging-", dir=site_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must read the published site
    previous = staging.with_name(staging.name.replace(".staging-", ".previous-"))
    spare = site_dir.with_name(f".{site_dir.name}.spare")
    stage = Staging(staging, spare if spare.is_dir() else None)
    try:
        yield stage
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    if spare.exists():  # what the build did not take of the site before last
        doomed = spare.with_name(f"{spare.name}-{os.getpid()}")
        spare.rename(doomed)
        _remove(doomed)
    if stage.keep_spare and previous.exists():
        previous.rename(spare)
    _remove(previous)
    log.debug("Published %s", site_dir)


def adopt_folder(spare: Path | None, site_dir: Path, folder: str) -> bool:
    """Move ``folder`` of the site before last into the site being built, if it has none yet.

    Its files are then kept where the build would write the same (a page linked from the same
    cache entry), replaced where it would write something else, and removed where it writes
    nothing (``remove_unlisted``). True when the folder was moved."""
    if spare is None or not (spare / folder).is_dir() or (site_dir / folder).exists():
        return False
    (site_dir / folder).parent.mkdir(parents=True, exist_ok=True)
    (spare / folder).rename(site_dir / folder)
    return True


def remove_unlisted(folder: Path, names: set[str]) -> int:
    """Remove every entry of ``folder`` whose name is not in ``names``; returns how many."""
    with os.scandir(folder) as entries:
        stale = [entry for entry in entries if entry.name not in names]
    for entry in stale:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path)
        else:
            Path(entry.path).unlink()
    return len(stale)


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
    # At low priority: a build started right after this one should not wait for it.
    command = "import os, shutil, sys; os.nice(10); shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        os.posix_spawn(sys.executable, [sys.executable, "-c", command, str(folder)], os.environ)
    except (AttributeError, OSError):  # no posix_spawn (Windows) or it failed: remove it here
        shutil.rmtree(folder, ignore_errors=True)


def _walk(folder: Path) -> Iterator[str]:
    for _root, _folders, files in os.walk(folder):
        yield from files

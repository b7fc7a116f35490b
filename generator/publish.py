"""Build into a staging folder beside the site and swap it in only when the whole build succeeded,
so a failed build (invalid records, a leak) never touches the site already published."""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.ownership import (
    claim,
    guard_output_folder,
    is_abandoned,
    is_marked,
    looks_like_built_site,
    release,
)

log = logging.getLogger(__name__)


@dataclass
class Staging:
    """Where a build writes (``path``), the site before last (``spare``) when one was kept: its
    unchanged pages can be moved in instead of written again (``adopt_folder``), and whether to
    keep the site this build replaces as the next build's spare (worth it with a build cache)."""

    path: Path
    spare: Path | None = None
    keep_spare: bool = False
    spare_folders: tuple[str, ...] = ()
    """With ``keep_spare`` and no site before last (a first build): the folders of the new site a
    spare is made of, as hard links, so that the first rebuild has one too (``make_spare``)."""


def site_is_ours(site_dir: Path) -> bool:
    """Whether ``site_dir`` is a site this tool built (or a new or empty folder): only such a
    folder is replaced by a build, or removed as a spare."""
    return is_marked(site_dir) or looks_like_built_site(site_dir)


@contextmanager
def staged_site(site_dir: Path, protected: Sequence[tuple[str, Path]] = ()) -> Iterator[Staging]:
    """Yield a fresh staging folder; on success it replaces ``site_dir``, on failure it is removed.

    ``site_dir`` must be the tool's own (``ownership.guard_output_folder``: never the project,
    the records or the pages in ``protected``, never a folder of files the tool did not write).
    With ``keep_spare`` set, the replaced site is kept beside it as ``.NAME.spare`` (instead of
    being removed) for the next build to take its pages from: creating and deleting tens of
    thousands of folders is most of what a small rebuild would otherwise cost the file system.
    A first build replaces no site: its spare is made of hard links to its own ``spare_folders``."""
    site_dir = site_dir.resolve()
    guard_output_folder(
        site_dir, protected, what="site folder", owned=site_dir.is_dir() and site_is_ours(site_dir)
    )
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(site_dir)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{site_dir.name}.staging-{os.getpid()}-", dir=site_dir.parent)
    )
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must read the published site
    claim(staging)
    previous = staging.with_name(staging.name.replace(".staging-", ".previous-"))
    spare = site_dir.with_name(f".{site_dir.name}.spare")
    ours = spare.is_dir() and site_is_ours(spare)
    stage = Staging(staging, spare if ours else None)
    try:
        yield stage
    except BaseException:
        release(staging)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(stage, site_dir, previous)
    log.debug("Published %s", site_dir)


def _swap_in(stage: Staging, site_dir: Path, previous: Path) -> None:
    """Put the staging folder in ``site_dir``'s place; keep or remove the site it replaces."""
    spare = site_dir.with_name(f".{site_dir.name}.spare")
    if site_dir.exists():
        claim(site_dir)  # held while it is set aside, so no other build takes it for a leftover
        site_dir.rename(previous)
    stage.path.rename(site_dir)
    release(stage.path)
    # What the build did not take of the site before last:
    if spare.is_dir() and site_is_ours(spare):
        doomed = spare.with_name(f"{spare.name}-{os.getpid()}")
        spare.rename(doomed)
        _remove(doomed, site_dir)
    elif spare.exists():
        log.warning("%s was not written by imr-site: left as it is; remove it", spare)
    if stage.keep_spare and previous.exists():
        _keep_as_spare(previous, spare)
    elif stage.keep_spare and stage.spare_folders and not spare.exists():
        _make_spare_soon(site_dir, spare, stage.spare_folders)
    _remove(previous, site_dir)
    release(site_dir)


def _leftover_pattern(site_dir: Path) -> re.Pattern[str]:
    """The names a build gives beside the site, with the number of the process that made them: its
    staging folder and the site it replaced (``.NAME.staging-PID-*``, ``.NAME.previous-PID-*``), a
    spare being made or set aside for removal (``.NAME.spare.making-PID``, ``.NAME.spare-PID``), a
    folder a detached process is removing (``.NAME.removing-PID``)."""
    prefix = re.escape(f".{site_dir.name}.")
    kinds = r"(?:staging|previous)-(?P<a>\d+)-.+|spare(?:\.making)?-(?P<b>\d+)|removing-(?P<c>\d+)"
    return re.compile(rf"{prefix}(?:{kinds})")


def remove_leftovers(site_dir: Path) -> list[str]:
    """Remove what builds of this site left beside it when they were killed before they could
    clean up (out of memory, a power cut): only folders that carry the tool's marker and whose
    lock no live process holds (``ownership``; a process number can be in use again). Returns
    their names."""
    if not site_dir.parent.is_dir():
        return []
    pattern = _leftover_pattern(site_dir)
    removed: list[str] = []
    for entry in sorted(site_dir.parent.iterdir()):
        found = pattern.fullmatch(entry.name)
        if found is None or not entry.is_dir() or entry.is_symlink():
            continue
        if found["c"] is not None:  # being removed by a detached process: by its number
            if _running(int(found["c"])):
                continue
        elif not is_abandoned(entry):  # the tool's own, and no process of its build is alive
            continue
        log.info("Removing %s, left by a build or a removal that was stopped", entry)
        _remove(entry, site_dir)
        removed.append(entry.name)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal: only whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, and belongs to someone else
        return True
    return True


def _keep_as_spare(previous: Path, spare: Path) -> None:
    try:
        previous.rename(spare)
    except OSError:  # a spare made meanwhile (``make_spare``) is there already: keep that one
        log.debug("Kept the spare already in place; %s is removed", previous)


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


def adopt_subfolders(spare: Path | None, site_dir: Path, folder: str) -> list[str]:
    """Move each subfolder of ``folder`` of the site before last into the site being built, where
    the site has none of that name yet (MkDocs has written the folder's own index page already).
    Returns the folders moved, relative to the site: what they hold that the build does not
    write again is removed afterwards (``remove_unwritten``)."""
    source = spare / folder if spare is not None else None
    if source is None or not source.is_dir() or not (site_dir / folder).is_dir():
        return []
    with os.scandir(source) as entries:
        names = [entry.name for entry in entries if entry.is_dir(follow_symlinks=False)]
    moved = []
    for name in sorted(names):
        if not (site_dir / folder / name).exists():
            (source / name).rename(site_dir / folder / name)
            moved.append(f"{folder}/{name}")
    return moved


def remove_unwritten(site_dir: Path, folders: Sequence[str], written: set[str]) -> int:
    """Remove every file below ``folders`` (relative to ``site_dir``) whose relative path is not
    in ``written``, and the folders left empty; returns how many files."""
    removed = 0
    for folder in folders:
        for root, _folders, files in os.walk(site_dir / folder, topdown=False):
            relative = Path(root).relative_to(site_dir).as_posix()
            stale = [name for name in files if f"{relative}/{name}" not in written]
            for name in stale:
                os.unlink(f"{root}/{name}")  # noqa: PTH108 - a string path from os.walk
            removed += len(stale)
            if len(stale) == len(files):
                with contextlib.suppress(OSError):  # not empty: it keeps a written subfolder
                    os.rmdir(root)  # noqa: PTH106
    return removed


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


def make_spare(site_dir: Path, spare: Path, folders: Sequence[str]) -> None:
    """Make ``spare`` from hard links to the files of ``folders`` of ``site_dir``: the next build
    moves them in and keeps every page it would write the same (each is a link to its cache entry).
    Made under another name and renamed whole, so a build never takes a spare half made."""
    making = spare.with_name(f"{spare.name}.making-{os.getpid()}")
    try:
        making.mkdir()
        claim(making)
        for folder in folders:
            _link_tree(site_dir / folder, making / folder)
        making.rename(spare)  # fails if a build kept a spare meanwhile: then that one stays
    except OSError as error:  # the site was replaced meanwhile, or the disk is full: no spare
        log.debug("No spare made: %s", error)
        shutil.rmtree(making, ignore_errors=True)
    finally:
        release(making)


def _link_tree(source: Path, target: Path) -> None:
    """Hard-link every file below ``source`` at the same place below ``target``."""
    pending = [(str(source), str(target))]
    while pending:
        source_dir, target_dir = pending.pop()
        os.mkdir(target_dir)  # noqa: PTH102 - strings: a spare has tens of thousands of folders
        with os.scandir(source_dir) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{target_dir}/{entry.name}"))
                else:
                    os.link(entry.path, f"{target_dir}/{entry.name}")


def _make_spare_soon(site_dir: Path, spare: Path, folders: Sequence[str]) -> None:
    """``make_spare``, by a detached process at low priority for a large site (nobody needs to
    wait for it), at once for a small one."""
    if _more_files_than(site_dir, BACKGROUND_FILES):
        command = (
            "import os, sys; os.nice(10); from pathlib import Path; "
            "from generator.publish import make_spare; "
            "make_spare(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:])"
        )
        if _spawn(command, str(site_dir), str(spare), *folders):
            return
    make_spare(site_dir, spare, folders)


BACKGROUND_FILES = 2000
"""A folder with more files than this is removed, or a spare made of it, by a detached process."""


def _remove(folder: Path, site_dir: Path) -> None:
    """Remove ``folder``, set aside beside ``site_dir`` (the previous site, a spare). Deleting tens
    of thousands of files takes seconds of disk work that nobody needs to wait for (the new site
    is already in place), so a large one is left to a detached process; a small one goes at once."""
    if not folder.exists():
        return
    # At low priority: a build started right after this one should not wait for it. The process
    # first renames the folder after itself, so that a later build sees it is being removed.
    command = (
        "import os, shutil, sys; os.nice(10); "
        "target = sys.argv[2] + str(os.getpid()); os.rename(sys.argv[1], target); "
        "shutil.rmtree(target, ignore_errors=True)"
    )
    removing = site_dir.with_name(f".{site_dir.name}.removing-")
    if not _more_files_than(folder, BACKGROUND_FILES) or not _spawn(
        command, str(folder), str(removing)
    ):
        shutil.rmtree(folder, ignore_errors=True)


def _spawn(command: str, *arguments: str) -> bool:
    """Start ``python -c command arguments`` detached; False where that is not possible."""
    try:
        os.posix_spawn(sys.executable, [sys.executable, "-c", command, *arguments], os.environ)
    except OSError:
        return False
    return True


def _more_files_than(folder: Path, count: int) -> bool:
    return sum(1 for _ in itertools.islice(_walk(folder), count + 1)) > count


def _walk(folder: Path) -> Iterator[str]:
    for _root, _folders, files in os.walk(folder):
        yield from files

"""Which folders a build may write into, remove or replace: its own, never a user's.

A folder the tool writes (a site, its staging folder, the scratch folder of a build, an export)
carries a marker file of its own. While a build works in a folder it holds an ``flock`` on that
marker (inherited by the processes it forks), so a folder left by a build that was killed is told
apart from one in use by whether the lock can be taken, not by a process number (which is reused:
PID 1 in containers). A folder without the marker that holds anything is not the tool's: it is
refused, never emptied.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from generator.exceptions import FileSystemError, UnsafeOutputError

log = logging.getLogger(__name__)

SITE_MARKER = ".imr-site-output"
"""In a site folder (and its staging folder): written by ``imr-site build``."""
SITE_MARKER_TEXT = (
    b"Written by imr-site build: the next build replaces everything in this folder.\n"
)
SCRATCH_PREFIX = "imr-site-"
SCRATCH_MARKER = ".imr-scratch"
LOCKLESS_SECONDS = 3600
"""A scratch folder without a marker (made by an older version) is removed once this old."""

_HELD: dict[str, int] = {}
"""Descriptors of the markers this process locked, by folder (kept open: closing drops the lock)."""


def claim(folder: Path, marker: str = SITE_MARKER, text: bytes = SITE_MARKER_TEXT) -> None:
    """Write ``folder``'s marker (if missing) and lock it for as long as this process and the
    processes it forks live (or until ``release``)."""
    path = folder / marker
    try:
        descriptor = os.open(path, os.O_RDWR)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
    except FileNotFoundError:  # written under another name and locked first: never seen unlocked
        making = folder / f"{marker}.{os.getpid()}"
        descriptor = os.open(making, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        os.write(descriptor, text)
        making.replace(path)
    previous = _HELD.pop(str(folder), None)
    if previous is not None:
        os.close(previous)
    _HELD[str(folder)] = descriptor


def release(folder: Path) -> None:
    """Drop this process's lock on ``folder``'s marker (the folder is gone or handed on)."""
    descriptor = _HELD.pop(str(folder), None)
    if descriptor is not None:
        os.close(descriptor)


def is_marked(folder: Path, marker: str = SITE_MARKER) -> bool:
    return (folder / marker).is_file()


def is_abandoned(folder: Path, marker: str = SITE_MARKER) -> bool:
    """True when ``folder`` carries the tool's marker and no live process holds its lock."""
    try:
        descriptor = os.open(folder / marker, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # a build is working in it
    finally:
        os.close(descriptor)
    return True


def looks_like_built_site(folder: Path) -> bool:
    """A site that MkDocs built (before sites carried the marker): its home page, its 404 page
    and its assets. Replacing it is what ``mkdocs build`` itself does."""
    return (
        (folder / "index.html").is_file()
        and (folder / "404.html").is_file()
        and (folder / "assets").is_dir()
    )


def require_writable_folder(folder: Path, what: str) -> None:
    """A FileSystemError naming the fix when ``folder`` or one of its parents is a file."""
    for place in (folder, *folder.parents):
        if place.exists() and not place.is_dir():
            where = "is a file" if place == folder else f"is inside {place}, which is a file"
            raise FileSystemError(
                f"{folder}: the {what} {where}; choose a folder (remove or rename the file)"
            )


def guard_output_folder(
    folder: Path,
    protected: Sequence[tuple[str, Path]],
    *,
    what: str,
    owned: bool,
    marker: str = SITE_MARKER,
    fix: str = "Choose another folder (--site-dir, or site_dir in mkdocs.yml).",
) -> None:
    """Refuse ``folder`` as a place to write ``what`` unless it is the tool's own.

    ``protected``: folders the output must not be, contain, or (for all but the project folder)
    lie inside: the project, the records, hand-written pages, the cache. ``owned``: whether
    ``folder`` carries the tool's marker (or is an output of the tool from before markers)."""
    folder = folder.resolve()
    require_writable_folder(folder, what)
    for name, given in protected:
        path = given.resolve()
        inside = folder.is_relative_to(path) and name != "the project folder"
        if path == folder or path.is_relative_to(folder) or inside:
            relation = "is" if path == folder else ("holds" if not inside else "is inside")
            raise UnsafeOutputError(
                f"{folder}: the {what} {relation} {name} ({path}); the tool replaces what it "
                f"writes there. {fix}"
            )
    if folder.is_dir() and not owned and any(folder.iterdir()):
        raise UnsafeOutputError(
            f"{folder}: the {what} holds files that imr-site did not write (it has no "
            f"{marker} file), which the tool would replace. Choose an empty or new folder, or "
            "move those files away."
        )


def make_scratch_folder() -> Path:
    """A new private folder for a build's scratch files, locked for the build's lifetime; the
    scratch folders of builds that died (killed, out of memory) are removed first."""
    remove_stale_scratch()
    folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
    claim(folder, SCRATCH_MARKER, b"imr-site build scratch\n")
    _SCRATCH[str(folder)] = os.getpid()
    return folder


def remove_scratch(folder: Path) -> None:
    """Remove a scratch folder made by ``make_scratch_folder``."""
    release(folder)
    _SCRATCH.pop(str(folder), None)
    shutil.rmtree(folder, ignore_errors=True)


def remove_own_scratch() -> None:
    """Remove the scratch folders this process made and has not removed (a build interrupted,
    or stopped by an error MkDocs did not hand to the plugin)."""
    for folder, pid in list(_SCRATCH.items()):
        if pid == os.getpid():  # not a forked child's: they are its parent's to remove
            remove_scratch(Path(folder))


_SCRATCH: dict[str, int] = {}
"""The scratch folders made and not yet removed, with the process that made each."""


def remove_stale_scratch(root: Path | None = None) -> list[Path]:
    """Remove the scratch folders (``imr-site-*`` in the temporary folder) of this user's builds
    that no longer run; returns them."""
    root = root or Path(tempfile.gettempdir())
    removed = []
    with contextlib.suppress(OSError), os.scandir(root) as entries:
        candidates = [
            Path(entry.path)
            for entry in entries
            if entry.name.startswith(SCRATCH_PREFIX) and entry.is_dir(follow_symlinks=False)
        ]
    for folder in candidates:
        if _is_stale_scratch(folder):
            log.debug("Removing %s, left by a build that was stopped", folder)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _is_stale_scratch(folder: Path) -> bool:
    try:
        status = folder.stat()
    except OSError:
        return False
    if status.st_uid != os.getuid():
        return False
    if is_marked(folder, SCRATCH_MARKER):
        return is_abandoned(folder, SCRATCH_MARKER)
    return time.time() - status.st_mtime > LOCKLESS_SECONDS

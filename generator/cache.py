"""The build cache: what a rebuild can take from the previous build instead of redoing it.

Entries are keyed by a hash of everything they depend on: the record file's bytes (for its public
form, facts and search terms) or the page body (for the page framed by the theme), plus a
fingerprint of the code, data, templates and theme. So a cached entry is only ever used where a
fresh computation would give the same bytes, and a rebuild is byte-identical to a full build.
Entries the last build did not use are removed after it, so the cache holds one build's worth.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Protocol

import jinja2
import jinja2.bccache

from generator.exceptions import FileSystemError

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
KINDS = ("records", "chunks", "pages", "audit")
"""Folders of entries; "records" and "audit" hold entries of earlier versions only, pruned."""
ENTRY_MODE = 0o644
"""Entries are only read by the build; the mode they always had."""


def fingerprint(*extra_dirs: Path, settings: Iterable[str] = ()) -> str:
    """A hash of the generator's code and data, the given folders' files and other settings."""
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    for package in ("mkdocs", "mkdocs-material", "jinja2", "pydantic"):
        digest.update(f"{package}={version(package)}".encode())
    for folder in (PACKAGE_DIR, *extra_dirs):
        for path in sorted(
            p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts
        ):
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())
    for setting in settings:
        digest.update(setting.encode())
    return digest.hexdigest()


class BuildCache:
    """Content-addressed files below ``root`` (or nothing at all when ``root`` is None)."""

    def __init__(self, root: Path | None, code_fingerprint: str) -> None:
        self.root = root
        self.code_fingerprint = code_fingerprint

    def key(self, *parts: bytes | str) -> str:
        digest = hashlib.sha256(self.code_fingerprint.encode())
        for part in parts:
            digest.update(part.encode() if isinstance(part, str) else part)
            digest.update(b"\0")
        return digest.hexdigest()

    def path(self, kind: str, key: str) -> Path:
        assert self.root is not None
        return self.root / kind / key[:2] / key[2:]

    def load(self, kind: str, key: str) -> bytes | None:
        """An entry's bytes, checked against their digest; None if there is none, or if it was
        damaged (it is then removed, and what it held made afresh)."""
        if self.root is None:
            return None
        return _read_checked(f"{self.root}/{kind}/{key[:2]}/{key[2:]}")

    def store(self, kind: str, key: str, data: bytes) -> None:
        """Write an entry whole or not at all (several workers may store at once), with the
        digest of its bytes."""
        if self.root is None:
            return
        write_whole(self.path(kind, key), _sealed(data), ENTRY_MODE)

    def store_link(self, kind: str, key: str, source: Path, data: bytes | None = None) -> None:
        """Keep ``source``'s bytes (``data``, read when not given) as an entry: a copy, never a
        link, so that a site file edited in place cannot damage the cache."""
        if self.root is None:
            return
        # Written even if there is an entry: it was not taken (it may be damaged, unread).
        self.store(kind, key, source.read_bytes() if data is None else data)

    def place(self, kind: str, key: str, target: Path | str) -> bool:
        """Write an entry's bytes, checked against their digest, at ``target`` (a copy: the site
        and the cache never share a file). A target that holds those bytes already (a page of
        the site before last) is left as it is. False when there is no entry, or it was damaged.
        (Paths as strings are fastest: tens of thousands of pages are placed per build.)"""
        data = self.load(kind, key)
        if data is None:
            return False
        _write_unless_same(str(target), data)
        return True

    def load_file(self, name: str) -> bytes | None:
        """A file of the cache's own (outside the entries), checked; None if missing or damaged."""
        if self.root is None:
            return None
        return _read_checked(str(self.root / name))

    def store_file(self, name: str, data: bytes) -> None:
        """Write a file of the cache's own (outside the entries) whole or not at all."""
        if self.root is not None:
            write_whole(self.root / name, _sealed(data), 0o600)

    def prune(self, used: KeysUsed) -> int:
        """Remove the entries this build did not use; returns how many."""
        if self.root is None:
            return 0
        removed = 0
        for kind in KINDS:
            for prefix, folder in _subfolders(f"{self.root}/{kind}"):
                with os.scandir(folder) as entries:
                    unused = [
                        e.path
                        for e in entries
                        if prefix + e.name not in used and not e.name.startswith(".")
                    ]  # (".tmp-" files: entries being written, maybe by another build)
                for path in unused:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(path)  # noqa: PTH108 - strings: tens of thousands of entries
                removed += len(unused)
        log.debug("Build cache: %d entries used, %d removed", len(used), removed)
        return removed


def _subfolders(folder: str) -> list[tuple[str, str]]:
    """(name, path) of each folder in ``folder`` (none if it is missing), hidden ones aside."""
    try:
        with os.scandir(folder) as entries:
            return [
                (e.name, e.path)
                for e in entries
                if e.is_dir(follow_symlinks=False) and not e.name.startswith(".")
            ]
    except FileNotFoundError:
        return []


SEAL = b"\0imr-cache-1"
DIGEST_BYTES = 16
"""Every entry ends with the BLAKE2b digest of its bytes and SEAL: an entry truncated, emptied,
flipped or edited is found out when it is read, and never used."""


def _sealed(data: bytes) -> bytes:
    return data + hashlib.blake2b(data, digest_size=DIGEST_BYTES).digest() + SEAL


def _read_checked(path: str) -> bytes | None:
    """The bytes of a sealed file, or None if it is missing or damaged (then it is removed)."""
    try:
        with open(path, "rb") as file:  # noqa: PTH123 - a string path, once per page
            sealed = file.read()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        sealed = b""
    end = len(sealed) - len(SEAL) - DIGEST_BYTES
    data = sealed[:end] if end >= 0 else b""
    digest_found = sealed[end : -len(SEAL)] if end >= 0 and sealed.endswith(SEAL) else b""
    if digest_found and hashlib.blake2b(data, digest_size=DIGEST_BYTES).digest() == digest_found:
        return data
    _discard(path)
    return None


def _discard(path: str) -> None:
    """Remove a damaged cache file (it is made again), or say how to when that fails."""
    log.warning(
        "Build cache: %s is damaged (or from an earlier version); discarded, and made again", path
    )
    try:
        if os.path.isdir(path):  # noqa: PTH112
            shutil.rmtree(path)
        else:
            os.unlink(path)  # noqa: PTH108
    except FileNotFoundError:
        pass
    except OSError as error:
        raise FileSystemError(
            f"{path}: a damaged build cache file that cannot be removed ({error.strerror}); "
            "remove the cache folder or build with --no-cache"
        ) from None


def _write_unless_same(target: str, data: bytes) -> None:
    """Write ``data`` at ``target`` as a new file (never through a link another file shares),
    unless it holds those bytes already; the target's folder made only when it is missing
    (creating folders is slow on some file systems; most already exist)."""
    try:
        if os.stat(target).st_size == len(data):  # noqa: PTH116
            with open(target, "rb") as existing:  # noqa: PTH123
                if existing.read() == data:
                    return
        os.unlink(target)  # noqa: PTH108
    except FileNotFoundError:
        pass
    try:
        out = open(target, "xb")  # noqa: PTH123, SIM115
    except FileNotFoundError:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        out = open(target, "xb")  # noqa: PTH123, SIM115
    with out:
        out.write(data)


def write_whole(path: Path, data: bytes, mode: int) -> None:
    """Write a file whole or not at all (several workers may write at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    Path(temporary).chmod(mode)
    Path(temporary).replace(path)


class KeysUsed(Protocol):
    """The cache entries a build used (``store.UsedKeys``, or a set)."""

    def __contains__(self, key: object, /) -> bool: ...

    def __len__(self) -> int: ...


class CheckedBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja2's compiled templates in the build cache, sealed like its entries: a damaged one
    (which Jinja2 might load as other code, or fail to unpickle) is compiled again."""

    def __init__(self, directory: str) -> None:
        super().__init__(directory, "imr-%s.cache")  # not Jinja2's own (unsealed) files

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = _read_checked(self._get_cache_filename(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        path = Path(self._get_cache_filename(bucket))
        write_whole(path, _sealed(bucket.bytecode_to_string()), 0o600)

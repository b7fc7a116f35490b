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
import stat
import sys
import tempfile
from collections.abc import Container, Iterable
from importlib.metadata import version
from itertools import chain
from pathlib import Path

from generator.digests import SortedRecords, digest, digest_set, records_in

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
KINDS = ("records", "chunks", "pages", "audit")
"""Folders of entries; "records" and "audit" hold entries of earlier versions only, pruned."""
ENTRY_MODE = 0o644
"""Pages are hard-linked from the cache into the site, which a web server must be able to read."""


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
        if self.root is None:
            return None
        try:
            return self.path(kind, key).read_bytes()
        except FileNotFoundError:
            return None

    def store(self, kind: str, key: str, data: bytes) -> None:
        """Write an entry whole or not at all (several workers may store at once)."""
        if self.root is None:
            return
        _write_whole(self.path(kind, key), data, ENTRY_MODE)

    def store_link(self, kind: str, key: str, source: Path, data: bytes | None = None) -> None:
        """Keep ``source`` (whose bytes are ``data``, read when needed) as an entry: a hard link to
        it where the file system allows (no second copy written), else a copy. The source must
        never be changed in place afterwards (the build replaces files, never rewrites them)."""
        if self.root is None:
            return
        path = self.path(kind, key)
        if stat.S_IMODE(source.stat().st_mode) != ENTRY_MODE:  # a stat is cheaper than a chmod
            source.chmod(ENTRY_MODE)
        try:
            _link(source, path)
        except FileExistsError:
            pass  # stored already: the same key is made from the same inputs, so the same bytes
        except OSError:
            self.store(kind, key, source.read_bytes() if data is None else data)

    def place(self, kind: str, key: str, target: Path | str) -> bool:
        """Put an entry at ``target``: a hard link to it (entries are never changed in place, only
        replaced), or a copy where links are not possible. False when there is none. (Paths as
        strings are fastest: tens of thousands of pages are placed per build.)"""
        if self.root is None:
            return False
        entry = f"{self.root}/{kind}/{key[:2]}/{key[2:]}"
        try:
            try:
                _link(entry, target)
            except FileExistsError:
                # String paths, not Path objects: most pages of a rebuild are already in place.
                if not os.path.samefile(entry, target):  # noqa: PTH121 - else: a reused page
                    os.unlink(target)  # noqa: PTH108
                    os.link(entry, target)
        except FileNotFoundError:
            return False  # no such entry (or another build pruned it meanwhile)
        except OSError:
            try:
                shutil.copyfile(entry, target)
            except FileNotFoundError:
                return False
        return True

    def load_file(self, name: str) -> bytes | None:
        """A file of the cache's own (outside the entries), or None."""
        if self.root is None:
            return None
        try:
            return (self.root / name).read_bytes()
        except FileNotFoundError:
            return None

    def store_file(self, name: str, data: bytes) -> None:
        """Write a file of the cache's own (outside the entries) whole or not at all."""
        if self.root is not None:
            _write_whole(self.root / name, data, 0o600)

    def prune(self, used: UsedKeys | set[str]) -> int:
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


def _link(source: Path | str, target: Path | str) -> None:
    """Hard-link ``source`` at ``target``, making the target's folder only when it is missing
    (creating folders is slow on some file systems; most already exist)."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        if not Path(source).exists():
            raise
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        os.link(source, target)


def _write_whole(path: Path, data: bytes, mode: int) -> None:
    """Write a file whole or not at all (several workers may write at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    Path(temporary).chmod(mode)
    Path(temporary).replace(path)


USED_KEY_BYTES = 16
"""What ``UsedKeys`` keeps of a key: a 16-byte digest (a collision would only keep an unused
entry one build longer)."""


class UsedKeys(Container[str]):
    """The cache keys a build used, as 16-byte digests in one ``bytes`` object (sorted when first
    searched): a set of the keys took about 150 bytes a key, and a build of a million
    determinations uses over a million. Pickles as its bytes."""

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._added = bytearray()
        self._sorted = digest_set((), USED_KEY_BYTES)
        self.update(keys)

    def update(self, keys: Iterable[str]) -> None:
        for key in keys:
            self._added += _used_key(key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and _used_key(key) in self._table()

    def __len__(self) -> int:
        return len(self._table())

    def _table(self) -> SortedRecords:
        """The keys each once, sorted (what was added since merged in)."""
        if self._added:
            merged = chain(
                records_in(self._sorted.data, USED_KEY_BYTES),
                records_in(bytes(self._added), USED_KEY_BYTES),
            )
            self._sorted = digest_set(merged, USED_KEY_BYTES).searchable()
            self._added = bytearray()
        return self._sorted

    def __reduce__(self) -> tuple[object, ...]:
        return (_unpickled_used_keys, (self._table().data,))


def _used_key(key: str) -> bytes:
    return digest(key.encode("utf-8", errors="surrogatepass"), USED_KEY_BYTES)


def _unpickled_used_keys(data: bytes) -> UsedKeys:
    keys = UsedKeys()
    keys._sorted = SortedRecords(data, USED_KEY_BYTES, USED_KEY_BYTES)
    return keys

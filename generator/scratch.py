"""Byte strings kept in a scratch file instead of in memory, read back when asked for.

The build holds some data from the records stage to the end (each chunk's declared identifiers, for
the leak audit): in memory, a million records' worth is hundreds of MB that the main process and
every worker forked from it would carry. Here each is written once and read with ``os.pread``
(forked workers too, through the descriptor they inherit); in memory, 12 bytes a blob. A file
made in the build's scratch folder is named, so that it can be handed from the process that wrote
it to another by name (``parallel.run_apart``).
"""

from __future__ import annotations

import os
import tempfile
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import IO, overload

from generator.parallel import forks


def read_at(file: IO[bytes], start: int, length: int) -> bytes:
    """``length`` bytes from ``start``: ``os.pread`` where there is one (it leaves the file's
    position alone, which forked workers share); elsewhere (Windows, where workers are not forked)
    a seek and a read."""
    if hasattr(os, "pread"):
        return os.pread(file.fileno(), length, start)
    file.seek(start)
    return file.read(length)


def scratch_file(folder: Path | None, prefix: str, *, buffering: int = -1) -> IO[bytes]:
    """A new file for writing and reading: named in ``folder`` (it can then be pickled by name
    and opened again: ``reopened``; whoever made the folder removes it), unnamed without one
    (it goes when closed). Where there is no fork (Windows) nothing is handed between processes,
    and the file is unnamed too: an open file could not be removed with the folder there."""
    if folder is None or not forks():
        return tempfile.TemporaryFile(dir=folder, buffering=buffering)
    return tempfile.NamedTemporaryFile(dir=folder, prefix=prefix, delete=False, buffering=buffering)


def file_name(file: IO[bytes]) -> str:
    """The path of a named scratch file (pickling one without a name is an error)."""
    if not isinstance(file.name, str):
        raise TypeError("an unnamed scratch file cannot be pickled: make it in a folder")
    return file.name


def reopened(name: str) -> IO[bytes]:
    """A pickled scratch file, opened again for reading."""
    return open(name, "rb")  # noqa: PTH123 - kept open by its reader


class ScratchBlobs(Sequence[bytes]):
    """Blobs appended to a scratch file (``append``) and read back by their number. Pickled, it
    is the file's name and where each blob is: the unpickled copy reads the same file."""

    def __init__(self, folder: Path | None = None) -> None:
        # Unbuffered: what is appended is in the file at once, for forked readers too.
        self._file = scratch_file(folder, "blobs-", buffering=0)
        self._starts, self._lengths = array("Q"), array("I")
        self._written = 0

    def __getstate__(self) -> tuple[str, array[int], array[int], int]:
        return (file_name(self._file), self._starts, self._lengths, self._written)

    def __setstate__(self, state: tuple[str, array[int], array[int], int]) -> None:
        name, self._starts, self._lengths, self._written = state
        self._file = reopened(name)

    def append(self, blob: bytes) -> int:
        """Write ``blob``; returns its number (blobs are numbered as appended)."""
        if self._file.write(blob) != len(blob):
            raise OSError(f"short write to the scratch file {self._file.name}")
        self._starts.append(self._written)
        self._lengths.append(len(blob))
        self._written += len(blob)
        return len(self._starts) - 1

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> bytes: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...

    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            return [self[number] for number in range(len(self))[index]]
        return read_at(self._file, self._starts[index], self._lengths[index])

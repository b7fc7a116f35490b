"""Sets and tables of fixed-width digests, each kept as one sorted ``bytes`` object: what a build
remembers of every file or identifier of the last one (the leak audit's state) costs the width of
a digest per entry, not a Python object per entry, and a worker forked with it shares its memory
instead of copying it as it reads (a ``bytes`` object's contents are never written to).
"""

from __future__ import annotations

import hashlib
import sys
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import chain


def digest(data: bytes, width: int) -> bytes:
    """The first ``width`` bytes of a BLAKE2b digest of ``data``."""
    return hashlib.blake2b(data, digest_size=width).digest()


PREFIX_BYTES = 8
"""Records are searched by the first bytes of their key, as unsigned integers in an array: the
binary search then compares integers in C (``bisect`` over an ``array``) instead of calling back
into Python for a slice of the bytes at each step."""


@dataclass(frozen=True)
class SortedRecords:
    """Fixed-width records sorted by their first ``key_width`` bytes, each key once."""

    data: bytes = b""
    record_width: int = 16
    key_width: int = 16

    @classmethod
    def of(cls, records: Iterable[bytes], record_width: int, key_width: int) -> SortedRecords:
        """The records, sorted; of records with the same key, the first one sorted is kept."""
        return cls.merged([records], record_width, key_width)

    @classmethod
    def merged(
        cls, parts: Iterable[Iterable[bytes]], record_width: int, key_width: int
    ) -> SortedRecords:
        """One table of the records of several (sorted and joined at C speed: a table of a
        hundred thousand records takes a few tens of milliseconds)."""
        records = chain.from_iterable(parts)
        return cls(_sorted_once(records, record_width, key_width), record_width, key_width)

    def records(self) -> list[bytes]:
        """Every record, in order."""
        return split(self.data, self.record_width)

    def __len__(self) -> int:
        return len(self.data) // self.record_width

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.records())

    def find(self, key: bytes) -> bytes | None:
        """The record whose key is ``key``, or None."""
        if len(key) != self.key_width:
            return None
        prefixes, width = self._prefixes, self.record_width
        prefix = int.from_bytes(key[:PREFIX_BYTES], "big")
        index = bisect_left(prefixes, prefix)
        while index < len(prefixes) and prefixes[index] == prefix:
            start = index * width
            if self.data[start : start + self.key_width] == key:
                return self.data[start : start + width]
            index += 1
        return None

    def searchable(self) -> SortedRecords:
        """This table, its search array made now (before forking workers that search it, which
        would each make their own)."""
        _ = self._prefixes
        return self

    def with_prefix(self, prefix: bytes) -> list[bytes]:
        """Every record whose key starts with ``prefix`` (of at most PREFIX_BYTES), in order."""
        size = min(PREFIX_BYTES, self.key_width)
        if len(prefix) > size:
            raise ValueError(f"a prefix of {len(prefix)} bytes, not at most {size}")
        prefixes, width = self._prefixes, self.record_width
        start = bisect_left(prefixes, int.from_bytes(prefix.ljust(size, b"\0"), "big"))
        end = bisect_right(prefixes, int.from_bytes(prefix.ljust(size, b"\xff"), "big"))
        return [self.data[n * width : (n + 1) * width] for n in range(start, end)]

    @cached_property
    def _prefixes(self) -> array[int]:
        """The first PREFIX_BYTES of each key, as big-endian unsigned integers (so in the order
        of the keys); made where first searched, and not pickled."""
        width, size = self.record_width, min(PREFIX_BYTES, self.key_width)
        if size == PREFIX_BYTES and width % PREFIX_BYTES == 0:
            words = array("Q", self.data)[:: width // PREFIX_BYTES]
            if sys.byteorder == "little":
                words.byteswap()
            return words
        data = self.data
        return array(
            "Q", (int.from_bytes(data[n : n + size], "big") for n in range(0, len(data), width))
        )

    def __reduce__(self) -> tuple[type[SortedRecords], tuple[bytes, int, int]]:
        return (SortedRecords, (self.data, self.record_width, self.key_width))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, bytes) and self.find(key) is not None


def split(data: bytes, width: int) -> list[bytes]:
    """The ``width``-byte records joined in ``data``."""
    if len(data) % width:
        raise ValueError(f"{len(data)} bytes are not a whole number of {width}-byte records")
    return [data[n : n + width] for n in range(0, len(data), width)]


def _by_first_byte(records: Iterable[bytes], width: int) -> list[bytes]:
    """The records joined in 256 parts, by their first byte: sorting or telling them apart a part
    at a time makes a 256th of the objects at once (a million records as objects took 150 MB)."""
    parts = [bytearray() for _ in range(256)]
    for record in records:
        if len(record) != width:
            raise ValueError(
                f"a record of {len(record)} bytes, not {width}: these are {width}-byte records"
            )
        parts[record[0]] += record
    return [bytes(part) for part in parts]


def _sorted_once(records: Iterable[bytes], width: int, key_width: int) -> bytes:
    """The records sorted and joined, the first sorted of those with the same key only, sorted a
    part at a time (``_by_first_byte``)."""
    parts = _by_first_byte(records, width)
    return b"".join([_first_of_each_key(part, width, key_width) for part in parts])


def _first_of_each_key(data: bytes, width: int, key_width: int) -> bytes:
    ordered = sorted(set(split(data, width)))
    if key_width < width:  # records with the same key are next to each other: keep the first
        ordered = [
            r for n, r in enumerate(ordered) if not n or ordered[n - 1][:key_width] != r[:key_width]
        ]
    return b"".join(ordered)


def all_different(digests: Iterable[bytes], width: int) -> bool:
    """Whether no two of ``digests`` (each ``width`` bytes) are the same, told a part at a time
    (``_by_first_byte``; a set of every digest took about 100 bytes one)."""
    parts = _by_first_byte(digests, width)
    return all(len(set(split(part, width))) == len(part) // width for part in parts)


def records_in(data: bytes, width: int) -> Iterator[bytes]:
    """``split``, one record at a time."""
    return (data[n : n + width] for n in range(0, len(data), width))


def digest_set(keys: Iterable[bytes], width: int) -> SortedRecords:
    """A set of ``width``-byte keys."""
    return SortedRecords.of(keys, width, width)

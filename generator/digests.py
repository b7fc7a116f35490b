"""Sets and tables of fixed-width digests, each kept as one sorted ``bytes`` object: what a build
remembers of every file or identifier of the last one (the leak audit's state) costs the width of
a digest per entry, not a Python object per entry, and a worker forked with it shares its memory
instead of copying it as it reads (a ``bytes`` object's contents are never written to).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain


def digest(data: bytes, width: int) -> bytes:
    """The first ``width`` bytes of a BLAKE2b digest of ``data``."""
    return hashlib.blake2b(data, digest_size=width).digest()


class _Entries(Sequence[bytes]):
    """The keys of a sorted table of fixed-width records, as a sequence ``bisect`` can search."""

    def __init__(self, data: bytes, record: int, key: int) -> None:
        self.data, self.record, self.key = data, record, key

    def __len__(self) -> int:
        return len(self.data) // self.record

    def __getitem__(self, index: int) -> bytes:  # type: ignore[override]
        start = index * self.record
        return self.data[start : start + self.key]


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
        ordered = sorted(set(records) if key_width == record_width else records)
        wrong = next((len(record) for record in ordered if len(record) != record_width), None)
        if wrong is not None:
            raise ValueError(f"a record of {wrong} bytes, not {record_width}")
        if key_width < record_width:
            ordered = list({record[:key_width]: record for record in reversed(ordered)}.values())
            ordered.reverse()
        return cls(b"".join(ordered), record_width, key_width)

    def records(self) -> list[bytes]:
        """Every record, in order."""
        width = self.record_width
        return [self.data[n : n + width] for n in range(0, len(self.data), width)]

    def __len__(self) -> int:
        return len(self.data) // self.record_width

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.records())

    def find(self, key: bytes) -> bytes | None:
        """The record whose key is ``key``, or None."""
        entries = _Entries(self.data, self.record_width, self.key_width)
        index = bisect_left(entries, key)
        if index < len(entries) and entries[index] == key:
            start = index * self.record_width
            return self.data[start : start + self.record_width]
        return None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, bytes) and self.find(key) is not None


def digest_set(keys: Iterable[bytes], width: int) -> SortedRecords:
    """A set of ``width``-byte keys."""
    return SortedRecords.of(keys, width, width)

"""What the main process keeps of each chunk of records read (stages 1-2), in compact form.

A chunk's result (``stages.ReadResult``) arrives as objects: a key object per record with its
file's path, public id and case key as strings, the record's cache key as a string, its file's
status as a tuple of five integers. Kept to the end of the records stage they took about 1.5 KB a
record in the main process, and the memory they left when let go stayed with the process (Python
keeps an arena while any object in it lives). Here each result is turned, as it arrives, into a
``ChunkEntry``: the public ids in one object, arrays and byte strings of fixed-size fields; the
declared identifiers go to a scratch file. The result is then let go.

From the entries: the duplicate-case check, the records left out, the site's order, the
redirects of rotated ids and the record index the next build starts from.
"""

from __future__ import annotations

import hashlib
import heapq
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.cache import BuildCache, UsedKeys
from generator.cardstore import CardStoreWriter
from generator.columns import TextColumn
from generator.digests import all_different, split
from generator.exceptions import RecordProblem, WithheldRecord
from generator.records import RecordKey, duplicate_case_problems
from generator.scratch import ScratchBlobs
from generator.stages import INDEX_KEY_BYTES, ReadJob, ReadResult, SourceKeys, index_key
from generator.stages import save_record_index as _save_record_index

CASE_DIGEST_BYTES = 16
"""Case keys are compared by their first bytes: 128 bits tell a million apart."""
UNPLACED = 0xFFFFFFFF
"""In ``SiteOrder.chunk_places`` while it is made: a record left out."""


@dataclass(frozen=True)
class SiteOrder:
    """The published cards in the site's order (``ReadLedger.site_order``)."""

    cards: array[int]
    """Each card's number in the card store."""
    chunk_places: tuple[array[int], ...]
    """For each chunk (in job order), the place in the site's order of each of its published
    records, in the chunk's order (that of its public forms' scratch file)."""
    sources: SourceKeys
    """Each card's record's cache key, shortened."""


@dataclass(frozen=True)
class ChunkEntry:
    """One chunk's records as the rest of the build needs them, a record at the same place in
    every field."""

    job: ReadJob
    ids: TextColumn
    """Public ids (in one object: as strings they took about 70 bytes one, and the strings kept
    between results freed kept the memory around them from being reused)."""
    ages: array[int]
    """Minus each card's recency (the site lists the newest first)."""
    cards: array[int]
    """Each card's number in the card store."""
    files: array[int]
    """Each record's file, by its place in ``job.paths``."""
    sources: bytes
    """Each record's cache key, shortened (``index_key``)."""
    cases: bytes
    """Each record's case key, shortened to CASE_DIGEST_BYTES."""
    previous_ids: tuple[tuple[int, tuple[str, ...]], ...]
    """(record's place, its ids under earlier secrets), for the records that have any."""
    problems: tuple[RecordProblem, ...]
    chunk_key: str
    statuses: bytes | None
    cache_keys: frozenset[str]
    withheld: tuple[WithheldRecord, ...] = ()

    def path(self, place: int) -> str:
        return self.job.paths[self.files[place]]


class ReadLedger:
    """The entries of every chunk read, in job order once ``sorted`` is called."""

    def __init__(self, folder: Path | None = None) -> None:
        self.entries: list[ChunkEntry] = []
        self.identifiers = ScratchBlobs(folder)
        """Each chunk's declared identifiers, pickled (the leak audit unpickles them)."""
        self.computed = self.unread = 0

    def add(self, result: ReadResult, store: CardStoreWriter) -> None:
        """Keep what the build needs of ``result``, its cards written to ``store``."""
        file_of = {path: place for place, path in enumerate(result.job.paths)}
        ids = TextColumn(key.public_id for key in result.keys)
        self.entries.append(
            ChunkEntry(
                job=result.job,
                ids=ids,
                ages=array("q", [-card.recency for card in result.cards]),
                cards=array("Q", [store.add(card) for card in result.cards]),
                files=array("I", [file_of[key.source] for key in result.keys]),
                sources=b"".join([index_key(source) for source in result.sources]),
                cases=b"".join([_case_digest(key.case_key) for key in result.keys]),
                previous_ids=tuple(
                    (place, key.previous_ids)
                    for place, key in enumerate(result.keys)
                    if key.previous_ids
                ),
                problems=result.problems,
                chunk_key=result.chunk_key,
                statuses=result.statuses,
                cache_keys=result.cache_keys,
                withheld=result.withheld,
            )
        )
        self.identifiers.append(result.identifiers)
        self.computed += result.computed
        self.unread += result.unread

    def sort(self) -> None:
        self.entries.sort(key=lambda entry: entry.job.number)

    def problems(self) -> list[RecordProblem]:
        """Every problem the records have: their own and those of shared case numbers."""
        found = [problem for entry in self.entries for problem in entry.problems]
        return found + self._duplicate_case_problems()

    def _duplicate_case_problems(self) -> list[RecordProblem]:
        """``duplicate_case_problems``, with key objects made only when two records share a case
        key or a public id (``all_different``)."""
        cases = (case for entry in self.entries for case in split(entry.cases, CASE_DIGEST_BYTES))
        ids = (_case_digest(i) for entry in self.entries for i in entry.ids)
        if all_different(cases, CASE_DIGEST_BYTES) and all_different(ids, CASE_DIGEST_BYTES):
            return []
        return duplicate_case_problems(self._keys())

    def _keys(self) -> Iterator[RecordKey]:
        for entry in self.entries:
            for place, public_id in enumerate(entry.ids):
                case = _at(entry.cases, place, CASE_DIGEST_BYTES)
                yield RecordKey(entry.path(place), public_id, case.hex())

    def withheld(self) -> tuple[WithheldRecord, ...]:
        """The records the leak audit's screen withheld, in file order."""
        return tuple(sorted(record for entry in self.entries for record in entry.withheld))

    def withheld_ids(self, ids: frozenset[str], kind: str) -> tuple[WithheldRecord, ...]:
        """Records of ``ids`` (found by the audit of the built site) withheld as ``kind``."""
        return tuple(
            sorted(
                WithheldRecord(entry.path(place), public_id, (kind,))
                for entry in self.entries
                for place, public_id in enumerate(entry.ids)
                if public_id in ids
            )
        )

    def excluded(self, problems: Sequence[RecordProblem]) -> frozenset[str]:
        """The public ids of the records ``problems`` name (left out with keep_going)."""
        if not problems:
            return frozenset()
        files = {problem.file for problem in problems}
        return frozenset(
            public_id
            for entry in self.entries
            for place, public_id in enumerate(entry.ids)
            if entry.path(place) in files
        )

    def site_order(self, excluded: frozenset[str]) -> SiteOrder:
        """The published cards in the site's order (newest first, ties by public id): their
        numbers in the card store, the place of each chunk's published records in that order
        and their records' cache keys. Each chunk is sorted on its own and the chunks merged, so
        no object is made a record (a list of every record took about 150 bytes one)."""
        order, sources = array("Q"), bytearray()
        places = [array("I", [UNPLACED]) * len(entry.ids) for entry in self.entries]
        ranked = [self._ranked(chunk, excluded) for chunk in range(len(self.entries))]
        for number, (_, _, chunk, place) in enumerate(heapq.merge(*ranked)):
            entry = self.entries[chunk]
            order.append(entry.cards[place])
            sources += _at(entry.sources, place, INDEX_KEY_BYTES)
            places[chunk][place] = number
        published = tuple(array("I", [p for p in found if p != UNPLACED]) for found in places)
        return SiteOrder(order, published, SourceKeys(bytes(sources)))

    def _ranked(self, chunk: int, excluded: frozenset[str]) -> Iterator[tuple[int, str, int, int]]:
        """A chunk's published records in the site's order, as (age, public id, chunk, place),
        made as they are asked for (the chunk's places in that order are kept: 4 bytes each)."""
        entry = self.entries[chunk]
        kept = [place for place, public_id in enumerate(entry.ids) if public_id not in excluded]
        ranked = array("I", sorted(kept, key=lambda place: (entry.ages[place], entry.ids[place])))
        return ((entry.ages[place], entry.ids[place], chunk, place) for place in ranked)

    def redirects(self, excluded: frozenset[str]) -> tuple[tuple[str, str], ...]:
        """(previous id, current id) of every published record that had other ids."""
        moved = [
            (old, entry.ids[place])
            for entry in self.entries
            for place, olds in entry.previous_ids
            if entry.ids[place] not in excluded
            for old in olds
        ]
        if not moved:
            return ()
        current = {public_id for entry in self.entries for public_id in entry.ids}
        return tuple(sorted({(old, new) for old, new in moved if old not in current}))

    def cache_keys(self) -> UsedKeys:
        keys = UsedKeys()
        for entry in self.entries:
            keys.update(entry.cache_keys)
        return keys

    def save_record_index(self, cache: BuildCache) -> None:
        """Note, for the next build, which chunk entry holds each record and each chunk's file
        statuses (``stages.save_record_index``)."""
        _save_record_index(
            cache,
            (
                (entry.job, entry.chunk_key, entry.statuses, split(entry.sources, INDEX_KEY_BYTES))
                for entry in self.entries
            ),
        )


def _case_digest(case_key: str) -> bytes:
    return hashlib.blake2b(case_key.encode(), digest_size=CASE_DIGEST_BYTES).digest()


def _at(data: bytes, place: int, size: int) -> bytes:
    return data[place * size : (place + 1) * size]

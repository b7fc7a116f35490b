"""Search postings on disk: each chunk of determinations writes its postings to a part file, split
into term buckets, and the search index reads them back one group of buckets at a time. So no
process holds the postings of the whole site: the main process keeps only how many documents hold
each term (the vocabulary's size, which grows far slower than the site), and a worker writing some
term shards reads only the buckets of those shards' terms.

The chunk's result rows (what a result shows of each of its items, ``index.result_rows``) go in
the same file, bucketed by the number of the card file that holds them (``ITEMS_PER_CARD_FILE``
items a file) modulo BUCKETS, so a job writing card files reads only its rows.

A part file: 2 * BUCKETS + 2 little-endian offsets, then the term counts (pickled
``dict[str, int]``), then one pickled ``Postings`` per bucket, then one pickled list of rows per
bucket. Offset 0 is where the counts start, offset b + 1 where term bucket b starts, offset
BUCKETS + 1 + b where row bucket b starts, the last one the end of the file.
"""

from __future__ import annotations

import pickle
import struct
from array import array
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from generator.search.terms import TREATMENT_FIELD, fnv1a
from generator.settings import ITEMS_PER_CARD_FILE

BUCKETS = 256
"""Term buckets in a part file: a power of two, so a shard's terms (``fnv1a % shard count``, also
a power of two) are whole buckets, or a bucket is whole shards."""
_OFFSETS = struct.Struct(f"<{2 * BUCKETS + 2}Q")
"""Items a result-card file holds (``index.py`` writes ``cards/<n>.json``)."""
PROTOCOL = pickle.HIGHEST_PROTOCOL

Postings = dict[str, "array[int]"]
"""Each term's documents (search document numbers), in the order they were added."""
Rows = list[tuple[int, str]]
"""Result rows: (item's document number, its JSON text)."""


def term_hash(term: str) -> int:
    """Where a term goes: a treatment-field term with its plain term, so one shard holds both."""
    return fnv1a(term.removeprefix(TREATMENT_FIELD))


def card_file(doc: int) -> int:
    """The number of the result-card file that holds document ``doc``."""
    return doc // ITEMS_PER_CARD_FILE


def write_part(path: Path, postings: Postings, rows: Sequence[tuple[int, str]] = ()) -> bytes:
    """Write ``postings`` and result ``rows`` as a part file at ``path``; returns the pickled
    term counts."""
    buckets: list[Postings] = [{} for _ in range(BUCKETS)]
    for term, docs in postings.items():
        buckets[term_hash(term) % BUCKETS][term] = docs
    row_buckets: list[Rows] = [[] for _ in range(BUCKETS)]
    for row in rows:
        row_buckets[card_file(row[0]) % BUCKETS].append(row)
    counts = pickle.dumps({term: len(docs) for term, docs in postings.items()}, PROTOCOL)
    pieces = [
        counts,
        *(pickle.dumps(bucket, PROTOCOL) for bucket in buckets),
        *(pickle.dumps(bucket, PROTOCOL) for bucket in row_buckets),
    ]
    offsets = [_OFFSETS.size]
    for piece in pieces:
        offsets.append(offsets[-1] + len(piece))
    path.write_bytes(_OFFSETS.pack(*offsets) + b"".join(pieces))
    return counts


def part_counts(path: Path) -> bytes:
    """A part file's term counts, pickled (as ``write_part`` returns them)."""
    with path.open("rb") as file:
        offsets = _OFFSETS.unpack(file.read(_OFFSETS.size))
        return file.read(offsets[1] - offsets[0])


def add_counts(into: dict[str, int], pickled: bytes) -> None:
    """Add a part's term counts (``part_counts``) to ``into``."""
    counts: Mapping[str, int] = pickle.loads(pickled)  # noqa: S301 - the build's own part files
    for term, count in counts.items():
        into[term] = into.get(term, 0) + count


def read_buckets(paths: Iterable[Path], buckets: Iterable[int]) -> Postings:
    """The postings of the given buckets, gathered from every part file."""
    wanted = sorted(buckets)
    postings: Postings = {}
    for path in paths:
        with path.open("rb") as file:
            offsets = _OFFSETS.unpack(file.read(_OFFSETS.size))
            for bucket in wanted:
                start, end = offsets[bucket + 1], offsets[bucket + 2]
                file.seek(start)
                part: Postings = pickle.loads(file.read(end - start))  # noqa: S301 - the build's own
                for term, docs in part.items():
                    existing = postings.get(term)
                    if existing is None:
                        postings[term] = docs
                    else:
                        existing.extend(docs)
    return postings


def read_rows(paths: Iterable[Path], buckets: Iterable[int]) -> Rows:
    """The result rows of the given buckets, gathered from every part file."""
    wanted = sorted(buckets)
    rows: Rows = []
    for path in paths:
        with path.open("rb") as file:
            offsets = _OFFSETS.unpack(file.read(_OFFSETS.size))
            for bucket in wanted:
                start, end = offsets[BUCKETS + bucket + 1], offsets[BUCKETS + bucket + 2]
                file.seek(start)
                rows += pickle.loads(file.read(end - start))  # noqa: S301 - the build's own
    return rows

"""The binary encodings of the search index: sets of document numbers and the term shards.

A document set is stored as whichever is smaller: a list of gaps in LEB128 varints, or a bitmap of
one bit per document (bit i of byte i // 8, least significant first). Both decode in a few lines of
JavaScript (``imr-search.js``).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from itertools import chain
from operator import sub

SHARD_MAGIC = b"IMR1"
KIND_LIST = 0
KIND_BITMAP = 1


def varint(value: int) -> bytes:
    if value < 0x80:
        return bytes((value,))
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def gaps(sorted_docs: Sequence[int]) -> bytes:
    steps = list(map(sub, sorted_docs, chain((0,), sorted_docs)))
    if not steps or max(steps) < 0x80:  # the common case: every step fits one byte
        return bytes(steps)
    return b"".join(map(varint, steps))


def bitmap(sorted_docs: Iterable[int], documents: int) -> bytes:
    bits = bytearray((documents + 7) // 8)
    for doc in sorted_docs:
        bits[doc >> 3] |= 1 << (doc & 7)
    return bytes(bits)


def doc_set(sorted_docs: Sequence[int], documents: int) -> tuple[int, bytes]:
    """(kind, payload) for a sorted, duplicate-free set of document numbers."""
    if len(sorted_docs) * 8 > documents:  # a list takes at least a byte per document
        return KIND_BITMAP, bitmap(sorted_docs, documents)
    listed = gaps(sorted_docs)
    if len(listed) * 8 <= documents:
        return KIND_LIST, listed
    return KIND_BITMAP, bitmap(sorted_docs, documents)


def encoded_set(sorted_docs: Sequence[int], documents: int) -> bytes:
    """A self-describing document set: kind byte, count, payload length, payload."""
    kind, payload = doc_set(sorted_docs, documents)
    return bytes([kind]) + varint(len(sorted_docs)) + varint(len(payload)) + payload


def shard(entries: Iterable[tuple[str, array[int]]], documents: int) -> bytes:
    """A shard file: magic, term count, then per term its UTF-8 name and its document set."""
    body = bytearray()
    count = 0
    for term, docs in entries:
        name = term.encode("utf-8")
        body += varint(len(name)) + name + encoded_set(docs, documents)
        count += 1
    return SHARD_MAGIC + varint(count) + bytes(body)

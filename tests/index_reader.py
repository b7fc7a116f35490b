"""Reading the search index in Python, as imr-search.js reads it: document sets, term shards, facet
files, and the search itself (intersection, newest first, treatment matches first), so that tests
can check the browser's answers against an independent reading of the same files."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.search.encode import KIND_BITMAP, SHARD_MAGIC
from generator.search.terms import fnv1a, terms


def read_varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


@dataclass(frozen=True)
class DocSet:
    kind: int
    docs: list[int]


def read_set(data: bytes, at: int, documents: int) -> tuple[DocSet, int]:
    """The set at ``at`` and where the next thing starts."""
    kind, (count, at) = data[at], read_varint(data, at + 1)
    length, at = read_varint(data, at)
    payload = data[at : at + length]
    if kind == KIND_BITMAP:
        docs = [doc for doc in range(documents) if payload[doc >> 3] >> (doc & 7) & 1]
    else:
        docs, position, previous = [], 0, 0
        while position < len(payload):
            step, position = read_varint(payload, position)
            previous += step
            docs.append(previous)
    assert len(docs) == count
    return DocSet(kind, docs), at + length


def read_shard(data: bytes, documents: int) -> dict[str, DocSet]:
    assert data[: len(SHARD_MAGIC)] == SHARD_MAGIC
    count, at = read_varint(data, len(SHARD_MAGIC))
    entries = {}
    for _ in range(count):
        length, at = read_varint(data, at)
        name = data[at : at + length].decode("utf-8")
        entries[name], at = read_set(data, at + length, documents)
    assert at == len(data)
    return entries


class SiteIndex:
    """A built site's search index, read whole."""

    def __init__(self, site: Path) -> None:
        self.data = site / "search" / "data"
        self.manifest: dict[str, Any] = json.loads((self.data / "manifest.json").read_text("utf-8"))
        self.documents: int = self.manifest["documents"]
        self.kinds_read: set[tuple[str, int]] = set()  # (what was read, its encoding)

    def shard(self, number: int) -> dict[str, DocSet]:
        return read_shard((self.data / "terms" / f"{number}.bin").read_bytes(), self.documents)

    def term(self, term: str) -> list[int]:
        base = term.removeprefix(self.manifest["treatment_field"])
        found = self.shard(fnv1a(base) % self.manifest["shards"]).get(term)
        if found is None:
            return []
        self.kinds_read.add(("word" if base == term else "treatment", found.kind))
        return found.docs

    def facet(self, name: str, slug: str) -> list[int]:
        data = (self.data / "facets" / name / f"{slug}.bin").read_bytes()
        found, end = read_set(data, 0, self.documents)
        assert end == len(data)
        self.kinds_read.add(("facet", found.kind))
        return found.docs

    def search(self, query: str, filters: dict[str, str]) -> list[int]:
        """Document numbers in the order the search page shows them."""
        words = list(dict.fromkeys(terms(query)))
        sets = [set(self.term(word)) for word in words]
        sets += [set(self.facet(name, slug)) for name, slug in filters.items()]
        if not sets:
            return []
        newest_first = sorted(set.intersection(*sets), reverse=True)
        in_treatment = [set(self.term(self.manifest["treatment_field"] + word)) for word in words]
        return sorted(newest_first, key=lambda doc: -sum(doc in found for found in in_treatment))

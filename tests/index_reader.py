"""Reading the search index in Python, as imr-search.js reads it: document sets, term shards, facet
files, and the search itself (a query's groups from the vocabulary, their intersection with the
filters, items ranked by how their treatment or citation matches, newest first, grouped by
determination), so that tests can check the browser's answers against an independent reading of
the same files."""

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


PRIMARY, SECONDARY, WRITTEN, GROUP_TOP = 3, 2, 1, 4
GUIDELINE_CONCEPT = ("g:", "f:", "s:")
TYPO_MIN_LENGTH = 5


def one_edit_apart(a: str, b: str) -> bool:
    """A letter added, dropped or changed, or two neighbours swapped (a plain reading)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        changed = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = len(changed) == 2 and changed[1] == changed[0] + 1
        return len(changed) == 1 or (
            swapped and a[changed[0]] == b[changed[1]] and a[changed[1]] == b[changed[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@dataclass(frozen=True)
class Group:
    words: tuple[str, ...]
    concepts: tuple[int, ...]
    alternatives: tuple[str, ...]


class SiteIndex:
    """A built site's search index, read whole."""

    def __init__(self, site: Path) -> None:
        self.data = site / "search" / "data"
        self.manifest: dict[str, Any] = json.loads((self.data / "manifest.json").read_text("utf-8"))
        self.documents: int = self.manifest["documents"]
        self.vocabulary: dict[str, Any] = self.manifest["vocabulary"]
        self.kinds_read: set[tuple[str, int]] = set()  # (what was read, its encoding)
        starts = (self.data / "starts.bin").read_bytes()
        self.determination_of: list[int] = []
        number = -1
        for doc in range(self.documents):
            number += starts[doc >> 3] >> (doc & 7) & 1
            self.determination_of.append(number)

    def shard(self, number: int) -> dict[str, DocSet]:
        return read_shard((self.data / "terms" / f"{number}.bin").read_bytes(), self.documents)

    def term(self, term: str) -> list[int]:
        base = term.removeprefix(self.manifest["treatment_field"])
        found = self.shard(fnv1a(base) % self.manifest["shards"]).get(term)
        if found is None:
            return []
        kind = "concept" if ":" in base else "word" if base == term else "treatment"
        self.kinds_read.add((kind, found.kind))
        return found.docs

    def facet(self, name: str, slug: str) -> list[int]:
        data = (self.data / "facets" / name / f"{slug}.bin").read_bytes()
        found, end = read_set(data, 0, self.documents)
        assert end == len(data)
        self.kinds_read.add(("facet", found.kind))
        return found.docs

    def expand(self, query: str) -> list[Group]:
        """The query's groups: the longest known phrase at each place, else a word (with the
        vocabulary's words one edit away when it is a longer word the vocabulary lacks)."""
        words, phrases = terms(query), self.vocabulary["phrases"]
        typo = set(self.vocabulary["typo"]) | {
            key
            for key in phrases
            if " " not in key and len(key) >= TYPO_MIN_LENGTH and not key.isdigit()
        }
        groups, at = [], 0
        while at < len(words):
            length = min(self.vocabulary["longest"], len(words) - at)
            while length > 1 and " ".join(words[at : at + length]) not in phrases:
                length -= 1
            key = " ".join(words[at : at + length])
            concepts = list(phrases.get(key, []))
            alternatives: list[str] = []
            if (
                length == 1
                and key not in phrases
                and len(key) >= TYPO_MIN_LENGTH
                and not key.isdigit()
            ):
                alternatives = sorted(w for w in typo if one_edit_apart(key, w))
            groups.append(
                Group(
                    tuple(words[at : at + length]),
                    tuple(dict.fromkeys(concepts)),
                    tuple(alternatives),
                )
            )
            at += length
        return groups

    def corrected(self, group: Group) -> Group:
        """A word no item holds read as its candidates one edit away, with their concepts."""
        if not group.alternatives:
            return group
        if self.term(group.words[0]):
            return Group(group.words, group.concepts, ())
        phrases = self.vocabulary["phrases"]
        extra = [c for word in group.alternatives for c in phrases.get(word, [])]
        return Group(
            group.words, tuple(dict.fromkeys([*group.concepts, *extra])), group.alternatives
        )

    def _group_sets(self, group: Group) -> dict[str, Any]:
        field, concepts = self.manifest["treatment_field"], self.vocabulary["concepts"]
        spellings = [group.words, *((word,) for word in group.alternatives)]
        written: set[int] = set()
        treatment: set[int] = set()
        for words in spellings:
            written |= set.intersection(*(set(self.term(w)) for w in words))
            treatment |= set.intersection(*(set(self.term(field + w)) for w in words))
        by_kind: dict[bool, set[int]] = {True: set(), False: set()}
        for number in group.concepts:
            name = concepts[number][0]
            by_kind[name.startswith(GUIDELINE_CONCEPT)] |= set(self.term(name))
        return {
            "match": written | by_kind[True] | by_kind[False],
            "treatment": treatment,
            "treatment_concepts": by_kind[False],
            "guideline_concepts": by_kind[True],
            "optional": all(word.isdigit() for word in group.words),
        }

    def search(self, query: str, filters: dict[str, str], *, mentions: bool = False) -> list[int]:
        """Item numbers in the order the search page ranks them."""
        groups = [self.corrected(group) for group in self.expand(query)]
        found = [self._group_sets(group) for group in groups]
        if all(sets["optional"] for sets in found):
            for sets in found:
                sets["optional"] = False
        required = [sets["match"] for sets in found if not sets["optional"]]
        required += [set(self.facet(name, slug)) for name, slug in filters.items()]
        if not required:
            return []
        concepts = self.vocabulary["concepts"]
        about_guidelines = any(
            group.concepts
            and all(concepts[n][0].startswith(GUIDELINE_CONCEPT) for n in group.concepts)
            for group in groups
        )
        decided: list[tuple[int, int]] = []
        mentioned: list[tuple[int, int]] = []
        for doc in sorted(set.intersection(*required), reverse=True):
            score, every = 0, True
            for sets in found:
                primary, secondary = ("guideline_concepts", "treatment_concepts")[
                    :: 1 if about_guidelines else -1
                ]
                own = (
                    PRIMARY if doc in sets[primary] else SECONDARY if doc in sets[secondary] else 0
                )
                own += WRITTEN if doc in sets["treatment"] else 0
                score += own
                every = every and (own > 0 or sets["optional"])
            (decided if every else mentioned).append((-score, -doc))
        decided.sort()
        mentioned.sort()
        named = any(group.concepts for group in groups)
        only_mentioned = not decided and not named
        listed = decided + (mentioned if only_mentioned or mentions else [])
        return [-doc for _score, doc in listed]

    def determinations(self, docs: list[int]) -> list[list[int]]:
        """Items grouped by determination, in the order of each's first."""
        grouped: dict[int, list[int]] = {}
        for doc in docs:
            grouped.setdefault(self.determination_of[doc], []).append(doc)
        return list(grouped.values())

    def card(self, doc: int) -> list[Any]:
        size = self.manifest["cards_per_chunk"]
        chunk = json.loads((self.data / "cards" / f"{doc // size}.json").read_text("utf-8"))
        return chunk[doc % size]  # type: ignore[no-any-return]

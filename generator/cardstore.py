"""The site's cards in a scratch file, not in memory: each card is read back when asked for.

A build's main process holds the cards from the records stage to the end, and the forked workers
share them. As Python objects they took about 1 KB a card, and more than that again in freed
memory the process could not give back and in memory pages copied into the workers (reading an
object writes its reference count). Here each card is a ``marshal`` record in a file, its words
(decision, treatment slug and label, category, body part, diagnosis groups, specialty and the
citations: a few hundred values for the whole site) numbered in a vocabulary; in memory there is
only the vocabulary and where each card's record is: 12 bytes a card.

A card is read with ``os.pread`` (forked workers too, through the descriptor they inherit) and
decoded when asked for; the last CARDS_KEPT decoded are kept, as the items of one card are often
asked for in a row. A slice of the store is a store: a view of the same file, in the slice's order.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, overload

from generator.cards import Card
from generator.classify import Citation, ItemFacts
from generator.columns import Vocabulary
from generator.scratch import file_name, read_at, reopened, scratch_file

CARDS_KEPT = 4096
"""Decoded cards kept per process (a few MB)."""
MARSHAL_VERSION = 4


def _citation(citation: Citation, words: Vocabulary) -> int:
    """A citation's number: citations are told apart by their text."""
    return words.number(citation, ("citation", citation.text))


def encoded(card: Card, words: Vocabulary) -> bytes:
    """``card`` as one marshal record, its shared words by number."""
    fields = (
        card.public_id,
        card.year,
        card.recency,
        tuple(_item_fields(item, words) for item in card.items),
        words.number(card.diagnoses),
        words.number(card.specialty),
        card.synthetic,
        card.snippet_start,
        card.snippet_cut,
        card.case_number,
    )
    return marshal.dumps(fields, MARSHAL_VERSION)


def _item_fields(item: ItemFacts, words: Vocabulary) -> tuple[Any, ...]:
    """An item's fields in ItemFacts' order, the shared ones by number."""
    word = words.number
    return (
        item.number,
        word(item.decision),
        item.treatment_text,
        word(item.treatment_slug),
        word(item.treatment_label),
        word(item.category_slug),
        word(item.category_label),
        item.quantity,
        word(item.body_part),
        _citation(item.claims, words),
        _citation(item.reviewer, words),
    )


def decoded(record: bytes, words: Sequence[Any]) -> Card:
    """The card ``encoded`` wrote."""
    fields = marshal.loads(record)  # noqa: S302 - the file this build wrote
    public_id, year, recency, items, diagnoses, specialty, synthetic, snippet, cut, case = fields
    return Card(
        public_id=public_id,
        year=year,
        recency=recency,
        items=tuple([_item(fields, words) for fields in items]),
        diagnoses=words[diagnoses],
        specialty=words[specialty],
        synthetic=synthetic,
        snippet_start=snippet,
        snippet_cut=cut,
        case_number=case,
    )


def _item(fields: tuple[Any, ...], words: Sequence[Any]) -> ItemFacts:
    """The item ``_item_fields`` wrote."""
    number, decision, text, slug, label, category, category_label, quantity, body, claims, own = (
        fields
    )
    return ItemFacts(
        number,
        words[decision],
        text,
        words[slug],
        words[label],
        words[category],
        words[category_label],
        quantity,
        words[body],
        words[claims],
        words[own],
    )


class _StoreFile:
    """The file of card records (a scratch file: ``scratch.py``; forked workers read it through
    the descriptor they inherit) and the cards this process decoded last."""

    def __init__(self, file: IO[bytes], words: Sequence[Any]) -> None:
        self.file = file
        self.words = words
        self._kept: dict[int, Card] = {}

    def __getstate__(self) -> tuple[str, Sequence[Any]]:
        """Pickled by the file's name (a named store: ``CardStoreWriter(folder)``) and the words,
        without the decoded cards."""
        return (file_name(self.file), self.words)

    def __setstate__(self, state: tuple[str, Sequence[Any]]) -> None:
        name, self.words = state
        self.file = reopened(name)
        self._kept = {}

    def card(self, start: int, length: int) -> Card:
        found = self._kept.get(start)
        if found is None:
            if len(self._kept) >= CARDS_KEPT:
                self._kept.clear()
            record = read_at(self.file, start, length)
            found = self._kept[start] = decoded(record, self.words)
        return found


class CardStore(Sequence[Card]):
    """Cards read from their file when asked for, in the order of ``starts``."""

    def __init__(self, file: _StoreFile, starts: array[int], lengths: array[int]) -> None:
        self._file = file
        self._starts = starts
        self._lengths = lengths

    def __len__(self) -> int:
        return len(self._starts)

    @overload
    def __getitem__(self, index: int) -> Card: ...

    @overload
    def __getitem__(self, index: slice) -> CardStore: ...

    def __getitem__(self, index: int | slice) -> Card | CardStore:
        if isinstance(index, slice):
            return CardStore(self._file, self._starts[index], self._lengths[index])
        return self._file.card(self._starts[index], self._lengths[index])

    def __iter__(self) -> Iterator[Card]:
        card = self._file.card
        for start, length in zip(self._starts, self._lengths, strict=True):
            yield card(start, length)

    def picked(self, places: Iterable[int]) -> CardStore:
        """The cards at ``places``, in that order."""
        starts, lengths = array("Q"), array("I")
        for place in places:
            starts.append(self._starts[place])
            lengths.append(self._lengths[place])
        return CardStore(self._file, starts, lengths)


class CardStoreWriter:
    """Cards written as they come (``add``); ``store`` gives them back in an order."""

    def __init__(self, folder: Path | None = None) -> None:
        self.words = Vocabulary()
        self._file = scratch_file(folder, "cards-")
        self._starts, self._lengths = array("Q"), array("I")
        self._written = 0

    def add(self, card: Card) -> int:
        """Write ``card``; returns its number (cards are numbered as added)."""
        record = encoded(card, self.words)
        self._file.write(record)
        self._starts.append(self._written)
        self._lengths.append(len(record))
        self._written += len(record)
        return len(self._starts) - 1

    def store(self, order: Iterable[int]) -> CardStore:
        """The cards numbered ``order``, in that order."""
        self._file.flush()
        words = tuple(self.words.values)
        every = CardStore(_StoreFile(self._file, words), self._starts, self._lengths)
        return every.picked(order)

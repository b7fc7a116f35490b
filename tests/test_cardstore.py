"""The card store gives back the cards written to it, in the order asked, to this process and to
forked workers; it keeps a bounded number decoded. Groups' packed items say what the cards say."""

from __future__ import annotations

import multiprocessing
import os
from functools import cache

import pytest
from conftest import SAMPLE

from generator import cardstore
from generator.anonymize import DEMO_SECRET, anonymize
from generator.cards import Card, card_of
from generator.cardstore import CardStore, CardStoreWriter
from generator.classify import classify
from generator.columns import CountedItem
from generator.crosslink import Outcomes, build_index
from generator.records import load_records
from generator.search.index import FACETS


@cache
def sample_cards() -> tuple[Card, ...]:
    cards = []
    for record in load_records(SAMPLE):
        public = anonymize(record, DEMO_SECRET)
        cards.append(card_of(public, classify(public)))
    return tuple(cards)


def stored(cards: tuple[Card, ...], order: list[int]) -> CardStore:
    writer = CardStoreWriter()
    for card in cards:
        writer.add(card)
    return writer.store(order)


def test_the_store_gives_back_each_card_in_the_order_asked() -> None:
    cards = sample_cards()
    order = [*range(1, len(cards), 2), *range(0, len(cards), 2)]
    store = stored(cards, order)
    assert len(store) == len(cards) > 30
    assert list(store) == [cards[number] for number in order]
    assert [store[place] for place in range(len(store))] == list(store)
    assert list(store[::-1]) == list(store)[::-1]
    assert list(store[3:7]) == list(store)[3:7]
    assert list(store.picked([5, 0, 5])) == [store[5], store[0], store[5]]


def test_cards_share_their_words_once_read_back() -> None:
    store = stored(sample_cards(), list(range(len(sample_cards()))))
    decisions = {id(item.decision) for card in store for item in card.items}
    citations = {item.reviewer.text: id(item.reviewer) for card in store for item in card.items}
    texts = [item.reviewer.text for card in store for item in card.items]
    assert len(decisions) == 2
    assert len(citations) < len(texts)  # the same citation text: one object
    assert all(
        id(item.reviewer) == citations[item.reviewer.text] for card in store for item in card.items
    )


STORE: list[CardStore] = []


def _public_ids_in_worker(places: list[int]) -> list[str]:
    return [STORE[0][place].public_id for place in places]


def test_a_forked_worker_reads_the_store_it_inherits() -> None:
    store = stored(sample_cards(), list(range(len(sample_cards())))[::-1])
    STORE[:] = [store]
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            read = pool.apply(_public_ids_in_worker, ([0, 1, len(store) - 1],))
    finally:
        STORE.clear()
    assert read == [store[0].public_id, store[1].public_id, store[len(store) - 1].public_id]


def test_only_a_bounded_number_of_cards_is_kept_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cardstore, "CARDS_KEPT", 5)
    store = stored(sample_cards(), list(range(len(sample_cards()))))
    seen, again = list(store), list(store)  # (objects held: an id can be reused once freed)
    assert seen == again == list(sample_cards())
    # Read twice, in full: the first cards were decoded again (a bounded cache), and a card read
    # twice in a row is the same object (a cache at all).
    assert seen[0] is not again[0]
    assert store[7] is store[7]


def test_a_groups_packed_items_say_what_the_cards_say() -> None:
    index = build_index(list(sample_cards()))
    checked = 0
    for group in index.groups():
        refs = list(group.items)
        assert group.outcomes == Outcomes.of_items(ref.item for ref in refs)
        assert list(group.items.decisions()) == [ref.item.decision for ref in refs]
        expected = [
            (
                ref.card.year,
                ref.item.decision,
                CountedItem(
                    ref.item.treatment_slug,
                    ref.item.reviewer.guideline_ids,
                    ref.item.section_refs,
                    ref.item.claims.guideline_ids,
                ),
            )
            for ref in refs
        ]
        assert list(group.items.counted_items()) == expected
        cards = {ref.card.public_id for ref in (*refs, *group.claims_items)}
        assert [card.public_id for card in group.cards] == [
            card.public_id for card in index.cards if card.public_id in cards
        ]
        checked += len(refs)
    assert checked > 100


def test_the_one_pass_over_the_cards_gathers_what_they_say() -> None:
    index = build_index(list(sample_cards()))
    oldest_first = list(index.cards)[::-1]
    checked = 0
    for facet, found in zip(FACETS, index.search_facets, strict=True):
        assert found.name == facet.name and found.values
        for value in found.values:
            items = [(card, item) for card in oldest_first for item in card.items]
            expected = [  # search documents are items, oldest determination first
                doc
                for doc, (card, item) in enumerate(items)
                for slug, _label in facet.values_of(card, item)
                if slug == value.slug
            ]
            assert list(value.documents) == expected
            checked += len(expected)
    assert checked >= len(oldest_first)
    assert index.outcomes == Outcomes.of(list(index.cards))
    assert index.synthetic_count == sum(card.synthetic for card in index.cards) > 0


def test_cards_are_read_without_pread_where_there_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    store = stored(sample_cards(), list(range(len(sample_cards())))[::-1])
    monkeypatch.delattr(os, "pread")
    assert list(store) == list(sample_cards())[::-1]

"""Sorted digest tables (``generator/digests.py``): what the leak audit remembers between builds."""

from __future__ import annotations

import pickle
import random

import pytest

from generator.digests import SortedRecords, all_different, digest, digest_set, split


def test_a_digest_set_finds_exactly_its_keys() -> None:
    keys = [digest(word.encode(), 8) for word in ("knee", "lumbar", "norco", "massage")]
    found = digest_set([*keys, keys[0]], 8)  # a key given twice is kept once
    assert len(found) == 4
    assert list(found) == sorted(keys)
    assert all(key in found for key in keys)
    assert digest(b"shoulder", 8) not in found
    assert b"" not in found and "knee" not in found
    assert digest(b"knee", 8) not in digest_set([], 8)


def test_all_different_finds_a_digest_given_twice_in_any_sixteenth() -> None:
    keys = [digest(str(number).encode(), 16) for number in range(2000)]
    assert all_different(keys, 16) and all_different([], 16)
    assert {key[0] >> 4 for key in keys} == set(range(16))
    for twice in (keys[0], keys[999], keys[-1]):
        assert not all_different([*keys, twice], 16)
    with pytest.raises(ValueError, match="16-byte records"):
        all_different([b"short"], 16)


def test_records_are_found_by_their_key_and_merged_parts_keep_one_record_a_key() -> None:
    first = SortedRecords.of([b"bbbb1111", b"aaaa2222", b"dddd4444"], 8, 4)
    second = SortedRecords.of([b"cccc3333", b"bbbb9999"], 8, 4)
    merged = SortedRecords.merged([first, second], 8, 4)
    assert list(merged) == [b"aaaa2222", b"bbbb1111", b"cccc3333", b"dddd4444"]
    assert merged.find(b"cccc") == b"cccc3333"
    assert merged.find(b"bbbb") == b"bbbb1111"  # the first of equal keys, in sorted order
    assert merged.find(b"eeee") is None and merged.find(b"aaa") is None
    assert pickle.loads(pickle.dumps(merged)) == merged


def test_a_record_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError, match="a record of 7 bytes, not 8"):
        SortedRecords.of([b"aaaa222"], 8, 4)


def test_keys_sharing_their_first_bytes_are_told_apart_and_tables_pickle_without_their_index() -> (
    None
):
    same_start = [b"01234567" + tail for tail in (b"zzzzzzzz", b"aaaaaaaa", b"mmmmmmmm")]
    table = SortedRecords.of([key + b"payload!" for key in same_start], 24, 16)
    for key in same_start:
        assert table.find(key) == key + b"payload!"
    assert table.find(b"01234567bbbbbbbb") is None
    assert table.find(b"01234567") is None  # a key of the wrong width
    copied = pickle.loads(pickle.dumps(table))
    assert "_prefixes" in vars(table) and "_prefixes" not in vars(copied)
    assert copied.find(same_start[0]) == same_start[0] + b"payload!"


def test_joined_records_split_back_into_the_records_and_a_torn_record_is_refused() -> None:
    records = [digest(str(n).encode(), 8) for n in range(5)]
    assert split(b"".join(records), 8) == records
    assert split(b"", 8) == []
    with pytest.raises(ValueError, match="13 bytes"):
        split(b"".join(records)[:13], 8)


def test_records_are_found_by_the_start_of_their_key() -> None:
    owners = {name: digest(name.encode(), 8) for name in ("aaaa", "bbbb", "cccc")}
    dates = {"aaaa": ["2014-01-02", "2016-10-13"], "bbbb": ["2015-05-05"], "cccc": []}
    records = [owners[name] + iso.encode() for name, isos in dates.items() for iso in isos]
    table = SortedRecords.of(records, 18, 18).searchable()
    for name, isos in dates.items():
        assert [record[8:].decode() for record in table.with_prefix(owners[name])] == isos
    assert table.with_prefix(digest(b"dddd", 8)) == []
    assert sorted(table.with_prefix(b"")) == sorted(records)
    first = owners["aaaa"][:1]
    assert table.with_prefix(first) == sorted(r for r in records if r.startswith(first))
    with pytest.raises(ValueError, match="9 bytes"):
        table.with_prefix(bytes(9))
    assert SortedRecords.of([], 18, 18).with_prefix(owners["aaaa"]) == []


def test_a_digest_set_is_sorted_a_first_byte_at_a_time_and_equals_a_plain_sort() -> None:
    keys = [digest(str(number).encode(), 8) for number in range(3000)]
    found = digest_set([*keys, *keys[:500]], 8)
    assert found.data == b"".join(sorted(set(keys)))
    assert len({key[0] for key in keys}) == 256  # every part is used
    with pytest.raises(ValueError, match="a record of 7 bytes, not 8"):
        digest_set([*keys, b"7 bytes"], 8)


@pytest.mark.parametrize("key_width", [2, 4, 8])
def test_records_sorted_in_parts_keep_the_first_sorted_of_each_key(key_width: int) -> None:
    """Against a plain sort and a dict of the keys (the way it was done before)."""
    rng = random.Random(3)
    records = [rng.randbytes(4) + bytes(rng.randrange(3) for _ in range(4)) for _ in range(5000)]
    ordered = sorted(records)
    first = list({record[:key_width]: record for record in reversed(ordered)}.values())
    first.reverse()
    assert SortedRecords.of(records, 8, key_width).data == b"".join(first)

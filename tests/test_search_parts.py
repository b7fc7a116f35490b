"""Search postings on disk (``search/parts.py``): what a render job writes is read back by the
jobs writing term shards, each reading its own buckets; together they write every shard once,
each with exactly the terms and documents an index held whole in memory would give it. Likewise
the result rows, read back by the jobs writing the card files."""

from __future__ import annotations

import json
import pickle
import random
from array import array
from pathlib import Path

import pytest
from index_reader import read_shard

from generator.search.index import (
    CARD_JOBS,
    JOB_POSTINGS_BYTES,
    SHARD_JOBS,
    card_files,
    shard_jobs,
    shards_of_job,
)
from generator.search.parts import (
    BUCKETS,
    Postings,
    add_counts,
    part_counts,
    read_buckets,
    read_rows,
    term_hash,
    write_part,
)
from generator.search.terms import TREATMENT_FIELD, fnv1a
from generator.settings import ITEMS_PER_CARD_FILE

DOCUMENTS = 600


def _random_parts(tmp_path: Path, parts: int = 3) -> tuple[list[Path], dict[str, list[int]]]:
    """Part files of ``parts`` chunks of documents, and every term's documents over all of them."""
    rng = random.Random(7)
    words = [f"word{n}" for n in range(400)] + ["é-accent", "ß", "12mg"]
    whole: dict[str, list[int]] = {}
    paths = []
    for number in range(parts):
        postings: Postings = {}
        for doc in range(number, DOCUMENTS, parts):  # interleaved, as places are over chunks
            chosen = rng.sample(words, 30)
            found = sorted({*chosen, *(TREATMENT_FIELD + w for w in chosen[:3])})
            for term in found:
                postings.setdefault(term, array("I")).append(doc)
                whole.setdefault(term, []).append(doc)
        path = tmp_path / f"part-{number}.search"
        assert pickle.loads(write_part(path, postings)) == {t: len(d) for t, d in postings.items()}
        paths.append(path)
    return paths, {term: sorted(docs) for term, docs in whole.items()}


def test_a_part_gives_back_its_counts_and_its_postings(tmp_path: Path) -> None:
    paths, whole = _random_parts(tmp_path)
    counts: dict[str, int] = {}
    for path in paths:
        add_counts(counts, part_counts(path))
    assert counts == {term: len(docs) for term, docs in whole.items()}
    everything = read_buckets(paths, range(BUCKETS))
    assert {term: sorted(docs) for term, docs in everything.items()} == whole


def test_a_bucket_holds_a_treatment_term_with_its_plain_term(tmp_path: Path) -> None:
    paths, whole = _random_parts(tmp_path)
    for bucket in (0, 1, 77, BUCKETS - 1):
        found = read_buckets(paths, [bucket])
        assert set(found) == {t for t in whole if term_hash(t) % BUCKETS == bucket}
        for term in found:
            plain = term.removeprefix(TREATMENT_FIELD)
            assert term_hash(term) == term_hash(TREATMENT_FIELD + plain) == fnv1a(plain)


@pytest.mark.parametrize(("shard_count", "jobs"), [(1, 1), (4, 2), (64, 16), (512, 256), (512, 8)])
def test_the_shard_jobs_write_each_shard_once_and_whole(
    tmp_path: Path, shard_count: int, jobs: int
) -> None:
    paths, whole = _random_parts(tmp_path)
    written: dict[str, bytes] = {}
    for job in range(jobs):
        for name, data in shards_of_job(paths, job, jobs, shard_count, DOCUMENTS):
            assert name not in written
            written[name] = data
    assert sorted(written) == sorted(f"{n}.bin" for n in range(shard_count))
    read: dict[str, list[int]] = {}
    for name, data in written.items():
        for term, docs in read_shard(data, DOCUMENTS).items():
            # Where the search script looks for the term (``imr-search.js``, ``index_reader``).
            assert f"{fnv1a(term.removeprefix(TREATMENT_FIELD)) % shard_count}.bin" == name
            read[term] = docs.docs
    assert read == whole


def test_more_postings_mean_more_shard_jobs_each_of_whole_buckets() -> None:
    small = {"pain": 10, "t:pain": 3}
    assert shard_jobs(small, 1) == 1
    assert shard_jobs(small, 8) == 8
    assert shard_jobs(small, 1024) == SHARD_JOBS
    postings_per_job = JOB_POSTINGS_BYTES // 4
    large = {f"w{n}": postings_per_job for n in range(40)}  # 40 jobs' worth: 64 jobs
    assert shard_jobs(large, 1024) == 64
    assert shard_jobs(large, 32) == 32
    huge = {f"w{n}": postings_per_job for n in range(1000)}
    assert shard_jobs(huge, 4096) == BUCKETS


def test_result_rows_come_back_as_whole_card_files(tmp_path: Path) -> None:
    """Each part holds the rows of some items; the jobs writing card files, each reading its own
    buckets, write every card file once, its rows in document order."""
    rng = random.Random(3)
    documents = list(range(200))
    rng.shuffle(documents)
    paths = []
    for number, share in enumerate((documents[:70], documents[70:150], documents[150:])):
        path = tmp_path / f"part-{number}.search"
        write_part(path, {}, [(doc, json.dumps([f"item {doc}"])) for doc in share])
        paths.append(path)
    written: dict[str, bytes] = {}
    for job in range(CARD_JOBS):
        for name, data in card_files(paths, range(job, BUCKETS, CARD_JOBS)):
            assert name not in written
            written[name] = data
    assert sorted(written, key=lambda name: int(name.split(".")[0])) == [
        f"{n}.json" for n in range(200 // ITEMS_PER_CARD_FILE)
    ]
    for name, data in written.items():
        first = int(name.split(".")[0]) * ITEMS_PER_CARD_FILE
        assert json.loads(data) == [
            [f"item {doc}"] for doc in range(first, first + ITEMS_PER_CARD_FILE)
        ]
    assert read_rows(paths, []) == []

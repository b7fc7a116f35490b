"""The records stage's ledger (``ledger.py``): what the build keeps of each chunk read, checked
through ``prepare_site`` on records spread over several chunks."""

from __future__ import annotations

import pickle
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import REPO, VALID_RECORD, write_record

from generator import pipeline
from generator.anonymize import DEMO_SECRET, public_id
from generator.audit import known_identifiers
from generator.cache import BuildCache, fingerprint
from generator.exceptions import InvalidRecordsError
from generator.parallel import stable_chunks
from generator.pipeline import PreparedSite, Settings, prepare_site
from generator.records import load_records, record_paths
from generator.stages import index_key

RECORDS = 200
CHUNK = 16
"""Records per job in these tests: at most four times as many in a chunk, so several chunks."""


def case_number(number: int) -> str:
    return f"CM99-{9200000 + number}"


def write_records(content: Path) -> None:
    """RECORDS records, decided a day apart, written in an order unlike the site's."""
    start = date(2015, 1, 1)
    for number in range(RECORDS):
        decided = start + timedelta(days=(number * 7) % 400)
        text = VALID_RECORD.replace("CM99-9000001", case_number(number)).replace(
            "decision_date: 2016-12-09", f"decision_date: {decided.isoformat()}"
        )
        write_record(content, f"r{number:04d}.md", text)


def prepared(tmp_path: Path, content: Path, **settings: object) -> PreparedSite:
    scratch = tmp_path / "scratch"
    scratch.mkdir(exist_ok=True)
    options = Settings(
        content_dir=content, templates_dir=REPO / "templates", id_secret=DEMO_SECRET,
        cache_dir=tmp_path / "cache",
    )  # fmt: skip
    return prepare_site(Settings(**{**options.__dict__, **settings}), scratch)


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(pipeline, "RECORDS_PER_JOB", CHUNK)
    folder = tmp_path / "content"
    write_records(folder)
    assert len(stable_chunks(record_paths(folder), CHUNK)) >= RECORDS // (4 * CHUNK)
    return folder


def test_the_site_order_places_and_record_keys_follow_the_cards(
    tmp_path: Path, content: Path
) -> None:
    site = prepared(tmp_path, content)
    cards = list(site.index.cards)
    assert len(cards) == RECORDS
    assert [card.public_id for card in cards] == [
        card.public_id for card in sorted(cards, key=lambda card: (-card.recency, card.public_id))
    ]
    # Each chunk's places name its records in the order of its public forms' file.
    chunks = stable_chunks(record_paths(content), CHUNK)
    assert [len(places) for places in site.chunk_places] == [len(chunk) for chunk in chunks]
    for chunk, places, forms in zip(chunks, site.chunk_places, site.public_form_files, strict=True):
        numbers = [int(Path(path).stem[1:]) for path in chunk]
        expected = [public_id(case_number(number), DEMO_SECRET) for number in numbers]
        assert [cards[place].public_id for place in places] == expected
        assert [form.public.public_id for form in pickle.loads(forms.read_bytes())] == expected
    assert sorted(place for places in site.chunk_places for place in places) == list(range(RECORDS))
    key = BuildCache(tmp_path / "cache", fingerprint()).key
    place_of = {card.public_id: place for place, card in enumerate(cards)}
    assert len(site.sources) == RECORDS
    for path in record_paths(content):
        raw = Path(path).read_bytes()
        number = int(Path(path).stem[1:])
        expected_key = index_key(key(DEMO_SECRET, raw))
        assert (
            site.sources.at(place_of[public_id(case_number(number), DEMO_SECRET)]) == expected_key
        )


def test_the_declared_identifiers_come_back_from_the_scratch_file(
    tmp_path: Path, content: Path
) -> None:
    site = prepared(tmp_path, content)
    assert len(site.identifiers) == len(stable_chunks(record_paths(content), CHUNK))
    expected = known_identifiers(load_records(content), DEMO_SECRET)
    assert Counter(site.known_identifiers()) == Counter(expected)
    assert len(expected) >= 2 * RECORDS


def test_a_case_number_shared_across_chunks_names_both_files(tmp_path: Path, content: Path) -> None:
    duplicate = content / f"r{RECORDS - 1:04d}.md"
    duplicate.write_text(duplicate.read_text().replace(case_number(RECORDS - 1), case_number(0)))
    chunks = stable_chunks(record_paths(content), CHUNK)
    assert str(content / "r0000.md") not in chunks[-1] and str(duplicate) in chunks[-1]
    with pytest.raises(InvalidRecordsError) as caught:
        prepared(tmp_path, content)
    assert [str(problem) for problem in caught.value.problems] == [
        f"{content}/r0000.md: case_number: the same case number is used by {duplicate}; "
        "keep one record per case",
        f"{duplicate}: case_number: the same case number is used by {content}/r0000.md; "
        "keep one record per case",
    ]
    site = prepared(tmp_path, content, keep_going=True)
    assert site.summary().rejected_files == (f"{content}/r0000.md", str(duplicate))
    assert site.excluded_ids == {public_id(case_number(0), DEMO_SECRET)}
    assert len(site.index.cards) == RECORDS - 2
    left_out = public_id(case_number(0), DEMO_SECRET)
    assert left_out not in {card.public_id for card in site.index.cards}
    rejected = set(site.summary().rejected_files)
    chunks = stable_chunks(record_paths(content), CHUNK)
    assert [len(places) for places in site.chunk_places] == [
        len([path for path in chunk if path not in rejected]) for chunk in chunks
    ]


def test_rotated_secrets_redirect_the_old_ids_of_published_records(
    tmp_path: Path, content: Path
) -> None:
    site = prepared(tmp_path, content, id_secret="new secret", previous_id_secrets=(DEMO_SECRET,))
    assert site.redirects == tuple(
        sorted(
            (public_id(case_number(n), DEMO_SECRET), public_id(case_number(n), "new secret"))
            for n in range(RECORDS)
        )
    )

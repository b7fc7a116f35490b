"""ingest_paths: files and folders in, one valid record per letter out, failures reported, bytes stable."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import build, run_cli, soup

from generator.anonymize import DEMO_SECRET, anonymize, public_id
from generator.ingest import IngestFailure, ingest_paths
from generator.records import parse_record_file
from generator.schema import Record

LETTERS = Path(__file__).parent / "fixtures" / "letters"


def test_folder_of_letters_gives_valid_records(tmp_path: Path) -> None:
    report = ingest_paths([LETTERS], tmp_path / "out")
    letters = sorted(p for p in LETTERS.iterdir() if p.suffix in {".txt", ".pdf"})
    assert report.letters_read == len(letters)
    assert report.failures == ()
    assert [p.name for p in report.records_written] == [f"{p.stem}.md" for p in letters]
    for path in report.records_written:
        record = parse_record_file(path)
        assert isinstance(record, Record), record
        assert record.meta.items


def test_record_round_trip_keeps_every_item_and_decision(tmp_path: Path) -> None:
    source = LETTERS / "synthetic_2016_many_items.txt"
    (path,) = ingest_paths([source], tmp_path).records_written
    record = parse_record_file(path)
    assert isinstance(record, Record)
    assert len(record.meta.items) == 12
    assert record.meta.items[2].decision == "overturned"
    assert record.summary.startswith("The injured worker is a female warehouse clerk")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\nformat: 1\ncase_number: CM99-0000104\n")
    assert "\nprivate:" not in text  # a redacted letter writes no empty private section


def test_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    first = ingest_paths([LETTERS], tmp_path / "a")
    second = ingest_paths([LETTERS], tmp_path / "b")
    for a, b in zip(first.records_written, second.records_written, strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_failures_are_reported_with_reasons_and_others_still_written(tmp_path: Path) -> None:
    letters = tmp_path / "letters"
    letters.mkdir()
    shutil.copy(LETTERS / "synthetic_2016_basic.txt", letters)
    (letters / "empty.txt").write_text("nothing to see\n")
    (letters / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (letters / "notes.doc").write_text("ignored: not a letter suffix")
    out = tmp_path / "out"
    report = ingest_paths([letters, tmp_path / "missing.txt", letters / "notes.doc"], out)
    assert report.letters_read == 5
    assert [p.name for p in report.records_written] == ["synthetic_2016_basic.md"]
    reasons = {Path(f.letter).name: f.reason for f in report.failures}
    assert set(reasons) == {"empty.txt", "broken.pdf", "missing.txt", "notes.doc"}
    assert reasons["empty.txt"].startswith("no clinical case summary")
    assert reasons["broken.pdf"].startswith("unreadable PDF")
    assert reasons["missing.txt"] == "no such file or folder"
    assert sorted(p.name for p in out.iterdir()) == ["synthetic_2016_basic.md"]  # no temp files


def test_two_letters_with_one_stem_do_not_overwrite(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        folder.mkdir()
        shutil.copy(LETTERS / "synthetic_2016_basic.txt", folder)
    report = ingest_paths([one, two], tmp_path / "out")
    assert len(report.records_written) == 1
    assert report.failures == (
        IngestFailure(
            str(two / "synthetic_2016_basic.txt"),
            f"same file name as {one / 'synthetic_2016_basic.txt'}; "
            "one record would overwrite the other",
        ),
    )


def test_ingest_then_build_shows_every_item_with_its_decision(tmp_path: Path) -> None:
    """Round trip through the real CLI: letters -> records -> site pages listing every item."""
    content, site = tmp_path / "content", tmp_path / "site"
    ingested = run_cli("ingest", LETTERS, "--out", content)
    assert ingested.code == 0, ingested.stderr
    built = build(content, site)
    assert built.code == 0, built.stderr
    for path in sorted(content.glob("*.md")):
        record = parse_record_file(path)
        assert isinstance(record, Record)
        page = soup(
            site / "determinations" / public_id(record.meta.case_number, DEMO_SECRET) / "index.html"
        )
        decisions = [div["data-decision"] for div in page.select("div.imr-item")]
        assert decisions == [item.decision for item in record.meta.items], path.name
        headings = [" ".join(h.get_text().split()) for h in page.select("h3[id^=item-]")]
        # Pages show the anonymized treatment text (dates inside it reduced to the year).
        published = anonymize(record, DEMO_SECRET).items
        assert headings == [
            f"{item.number}. {' '.join(item.treatment.split())}" for item in published
        ]


def test_cli_ingest_exits_non_zero_when_a_letter_fails(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_text("not a letter\n")
    result = run_cli("ingest", tmp_path / "bad.txt", "--out", tmp_path / "out")
    assert result.code != 0
    assert "bad.txt" in result.stderr

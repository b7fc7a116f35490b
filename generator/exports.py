"""Data exports: for each decision year, ``data/<year>/determinations-<part>.json`` (one entry per
determination) and ``data/<year>/items-<part>.csv`` (one row per disputed item), listed in
``data/files.json``; anonymized like the pages because they are made from the same public forms.

A year's determinations are cut into parts of PART_SIZE counted from its oldest, so every file
stays under the size limits of static hosts at any corpus size, and newer determinations change
only the newest file. Workers write their chunk's rows (JSON and CSV) to scratch files sorted by
document number; the parent merges them newest first, so memory stays flat. The schema is on the
site's Data page.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import logging
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from generator.anonymize import PublicDetermination
from generator.cache import BuildCache
from generator.cards import Card
from generator.classify import Citation, ItemFacts
from generator.settings import PART_SIZE

log = logging.getLogger(__name__)

DATA_DIR = "data"
FILES_NAME = "files.json"
UNDATED = "undated"
CSV_COLUMNS = (
    "determination_id", "url", "decision_year", "item_number", "treatment", "canonical_treatment",
    "treatment_id", "category", "decision", "claims_administrator_guideline_ids",
    "reviewer_guideline_ids", "reviewer_specialty", "age_band", "sex", "case_number",
)  # fmt: skip


def determination_entry(public: PublicDetermination, card: Card, url: str) -> dict[str, Any]:
    """The JSON export entry of one determination."""
    return {
        "id": public.public_id,
        "url": url,
        "decision_year": public.year,
        "age_band": public.age_band,
        "sex": public.sex,
        "reviewer_specialty": card.specialty,
        "reviewer_licensure": list(public.reviewer_licensure),
        "diagnosis_groups": [slug for slug, _title in card.diagnoses],
        "synthetic": public.synthetic,
        "case_number": public.published_case_number,
        "items": [
            _item_entry(item, facts) for item, facts in zip(public.items, card.items, strict=True)
        ],
    }


def _item_entry(item: Any, facts: ItemFacts) -> dict[str, Any]:
    return {
        "number": item.number,
        "treatment": item.treatment,
        "canonical_treatment": facts.treatment_label if facts.treatment_slug else None,
        "treatment_id": facts.treatment_slug,
        "category": facts.category_slug,
        "quantity": facts.quantity,
        "body_part": facts.body_part,
        "decision": item.decision,
        "claims_administrator_guideline": item.claims_administrator_guideline,
        "claims_administrator_guideline_ids": list(facts.claims.guideline_ids),
        "reviewer_guideline": item.reviewer_guideline,
        "reviewer_guideline_ids": list(facts.reviewer.guideline_ids),
        "reviewer_guideline_sections": _sections(facts.reviewer),
        "rationale": item.rationale,
    }


def _sections(citation: Citation) -> list[dict[str, str | None]]:
    return [
        {"guideline_id": ref.guideline_id, "section": ref.section_slug, "pages": ref.pages}
        for ref in citation.refs
        if ref.section_slug or ref.pages
    ]


def csv_rows(entry: dict[str, Any]) -> list[list[Any]]:
    """The items.csv rows of one determination's JSON entry."""
    return [
        [
            entry["id"],
            entry["url"],
            entry["decision_year"],
            item["number"],
            item["treatment"],
            item["canonical_treatment"],
            item["treatment_id"],
            item["category"],
            item["decision"],
            ";".join(item["claims_administrator_guideline_ids"]),
            ";".join(item["reviewer_guideline_ids"]),
            entry["reviewer_specialty"],
            entry["age_band"],
            entry["sex"],
            entry["case_number"],
        ]
        for item in entry["items"]
    ]


def entry_line(entry: dict[str, Any]) -> str:
    """An entry as one line of JSON, as the export holds it."""
    return json.dumps(entry, ensure_ascii=False, sort_keys=True)


def export_row(document: int, entry: dict[str, Any]) -> tuple[int, str]:
    """A determination's line of a worker's part: its document number, its JSON line and its CSV
    rows (as a JSON string), tab-separated (JSON holds no raw tab or newline). The parent copies
    both into the files without parsing them."""
    rows = io.StringIO()
    csv.writer(rows, lineterminator="\n").writerows(csv_rows(entry))
    return document, f"{document}\t{entry_line(entry)}\t{json.dumps(rows.getvalue())}"


def write_chunk(path: Path, rows: Sequence[tuple[int, str]]) -> None:
    """A worker's part: its ``export_row`` lines by search document number (oldest first) from
    the highest: newest first."""
    with path.open("w", encoding="utf-8") as out:
        for _number, line in sorted(rows, key=lambda row: row[0], reverse=True):
            out.write(f"{line}\n")


@dataclass(frozen=True)
class ExportFile:
    """One year's part of the exports: the cards at positions ``start:end`` of the site's newest-first
    order."""

    year: str
    part: int
    """1 for the year's oldest PART_SIZE determinations, 2 for the next, ..."""
    start: int
    end: int
    items: int

    @property
    def determinations(self) -> int:
        return self.end - self.start

    @property
    def json_path(self) -> str:
        return f"{self.year}/determinations-{self.part}.json"

    @property
    def csv_path(self) -> str:
        return f"{self.year}/items-{self.part}.csv"


def export_files(years: Sequence[int | None], item_counts: Sequence[int]) -> list[ExportFile]:
    """The export files of the cards whose years (None or 0: not stated) and numbers of items are
    given, newest first (so each year's are consecutive: ``CardColumns``), newest first."""
    files: list[ExportFile] = []
    for year, members in groupby(enumerate(years), key=lambda pair: pair[1]):
        numbers = [number for number, _year in members]
        first, end = numbers[0], numbers[-1] + 1
        for part in range(-(-(end - first) // PART_SIZE), 0, -1):
            start, stop = max(first, end - part * PART_SIZE), end - (part - 1) * PART_SIZE
            items = sum(item_counts[start:stop])
            files.append(ExportFile(str(year) if year else UNDATED, part, start, stop, items))
    return files


def write_exports(
    site_dir: Path,
    chunks: Sequence[Path],
    files: Sequence[ExportFile],
    cache: BuildCache,
    keys: Sequence[str] = (),
) -> set[str]:
    """Merge the workers' parts into the export files and their list. A file whose key (``keys``,
    one per file: what it is made from) is in the cache is taken from it and its rows skipped.
    Returns the cache keys used."""
    folder = site_dir / DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    reused = 0
    with closing(_merged(chunks)) as lines:
        for file, key in zip(files, keys or [""] * len(files), strict=True):
            targets = {"j": folder / file.json_path, "c": folder / file.csv_path}
            if key and all(
                cache.place("pages", key + kind, path) for kind, path in targets.items()
            ):
                for _row in range(file.determinations):
                    next(lines)
                reused += 1
            else:
                _write_file(targets["j"], targets["c"], lines, file.determinations)
                for kind, path in targets.items() if key else ():
                    cache.store_link("pages", key + kind, path)
            used.update(key + kind for kind in targets if key)
    listing = [
        {"year": f.year, "part": f.part, "determinations": f.determinations, "items": f.items,
         "json": f.json_path, "csv": f.csv_path}
        for f in files
    ]  # fmt: skip
    text = json.dumps(listing, ensure_ascii=False, indent=1)
    (folder / FILES_NAME).write_text(text + "\n", encoding="utf-8")
    log.debug("Exports: %d of %d parts taken from the cache", reused, len(files))
    return used


def _write_file(json_path: Path, csv_path: Path, lines: Iterator[bytes], count: int) -> None:
    """The next ``count`` entries, as a JSON array and as CSV rows of their items."""
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.unlink(missing_ok=True)  # never write through a link to a cache entry
    csv_path.unlink(missing_ok=True)
    with json_path.open("wb") as json_out, csv_path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerow(CSV_COLUMNS)
        json_out.write(b"[")
        for position in range(count):
            _number, entry, rows = next(lines).rstrip(b"\n").split(b"\t")
            json_out.write(b",\n" if position else b"\n")
            json_out.write(entry)
            out.write(json.loads(rows))
        json_out.write(b"\n]\n")


def _merged(chunks: Sequence[Path]) -> Generator[bytes, None, None]:
    """The chunks' lines newest first (document numbers from the highest), as bytes: the lines of
    files taken from the cache are skipped without being decoded."""
    files = [chunk.open("rb") for chunk in chunks]
    try:
        keyed = [((int(line[: line.index(b"\t")]), line) for line in handle) for handle in files]
        for _number, line in heapq.merge(*keyed, reverse=True):
            yield line
    finally:
        for handle in files:
            handle.close()

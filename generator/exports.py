"""Data exports: ``data/determinations.json`` (one entry per determination) and ``data/items.csv``
(one row per disputed item), anonymized like the pages because they are made from the same public
forms. Workers write their chunk's rows to scratch files sorted by document number; the parent merges
them newest first, so memory stays flat at any corpus size. The schema is on the site's Data page.
"""

from __future__ import annotations

import csv
import heapq
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from generator.anonymize import PublicDetermination
from generator.cards import Card
from generator.classify import Citation, ItemFacts

DATA_DIR = "data"
JSON_NAME = "determinations.json"
CSV_NAME = "items.csv"
CSV_COLUMNS = (
    "determination_id", "url", "decision_year", "item_number", "treatment", "canonical_treatment",
    "treatment_id", "category", "decision", "claims_administrator_guideline_ids",
    "reviewer_guideline_ids", "reviewer_specialty", "age_band", "sex",
)  # fmt: skip


def determination_entry(public: PublicDetermination, card: Card, url: str) -> dict[str, Any]:
    """The JSON export entry of one determination."""
    return {
        "id": public.public_id,
        "url": url,
        "decision_year": public.year,
        "age_band": public.age_band,
        "sex": public.sex,
        "reviewer_specialty": public.reviewer_specialty,
        "reviewer_licensure": list(public.reviewer_licensure),
        "diagnosis_groups": [slug for slug, _title in card.diagnoses],
        "synthetic": public.synthetic,
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
        ]
        for item in entry["items"]
    ]


def entry_line(entry: dict[str, Any]) -> str:
    """An entry as one line of JSON, as the export holds it."""
    return json.dumps(entry, ensure_ascii=False, sort_keys=True)


def write_chunk(path: Path, rows: Sequence[tuple[int, str]]) -> None:
    """A worker's part: one line per determination, ``<number>\\t<entry line>``, sorted by number."""
    with path.open("w", encoding="utf-8") as out:
        for number, line in sorted(rows, key=lambda row: row[0]):
            out.write(f"{number}\t{line}\n")


def write_exports(site_dir: Path, chunks: Sequence[Path]) -> tuple[int, int]:
    """Merge the workers' parts into the two export files; returns (determinations, items)."""
    folder = site_dir / DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    determinations = items = 0
    with (
        (folder / JSON_NAME).open("w", encoding="utf-8", newline="\n") as json_out,
        (folder / CSV_NAME).open("w", encoding="utf-8", newline="") as csv_out,
    ):
        table = csv.writer(csv_out, lineterminator="\n")
        table.writerow(CSV_COLUMNS)
        json_out.write("[")
        for line in _merged(chunks):
            json_out.write(",\n" if determinations else "\n")
            json_out.write(line)
            rows = csv_rows(json.loads(line))
            table.writerows(rows)
            determinations += 1
            items += len(rows)
        json_out.write("\n]\n")
    return determinations, items


def _merged(chunks: Sequence[Path]) -> Iterator[str]:
    """The chunk lines in document-number order, without their numbers."""
    files = [chunk.open(encoding="utf-8") for chunk in chunks]
    try:
        keyed = [((int(line.split("\t", 1)[0]), line) for line in handle) for handle in files]
        for _number, line in heapq.merge(*keyed):
            yield line.split("\t", 1)[1].rstrip("\n")
    finally:
        for handle in files:
            handle.close()

"""Ingest accuracy: parse every corpus letter (PDF and text) and the seed letter; score each field.

Expectations live in ``bench/expected/ingest.json``: hand-checked, keyed by the SHA-256 of the file stem
(the case number for the DWC letters), and holding no letter text: item counts,
decision sequences, values that do not identify (age, sex, specialty, licensure) and hashes of the
normalized treatment, guideline, rationale and header-date strings.

    .venv/bin/python bench/ingest_accuracy.py                      # score (needs ../shared/corpus)
    .venv/bin/python bench/ingest_accuracy.py --write-candidates   # regenerate, then check by hand
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.ingest import LetterError, read_letter  # noqa: E402
from generator.schema import FrontMatter  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus"
EXPECTED = REPO / "bench" / "expected" / "ingest.json"
ITEM_FIELDS = (
    "treatment",
    "decision",
    "claims_administrator_guideline",
    "reviewer_guideline",
    "rationale",
    "request_note",
)
LETTER_FIELDS = ("items", "header_dates", "age", "sex", "specialty", "licensure")


def digest(text: str | None) -> str | None:
    """First 16 hex digits of the SHA-256 of the whitespace-normalized text."""
    if text is None:
        return None
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()[:16]


def letter_key(path: Path) -> str:
    """SHA-256 (24 hex digits) of the file stem, which is the case number for the DWC letters."""
    return hashlib.sha256(path.stem.encode()).hexdigest()[:24]


def facts(meta: FrontMatter) -> dict[str, object]:
    """What the expectation file records for one letter."""
    dates = [
        meta.decision_date,
        meta.injury_date,
        meta.assigned_date,
        meta.ur_denial_date,
        meta.received_date,
    ]
    return {
        "items": len(meta.items),
        "header_dates": digest("|".join(str(d) for d in dates)),
        "age": meta.worker.age,
        "sex": meta.worker.sex,
        "specialty": meta.reviewer.specialty,
        "licensure": list(meta.reviewer.licensure),
        "item_fields": {
            name: [
                item.decision if name == "decision" else digest(getattr(item, name))
                for item in meta.items
            ]
            for name in ITEM_FIELDS
        },
    }


def letters(kind: str) -> list[Path]:
    if kind == "seed":
        return sorted((CORPUS / "seed").glob("*.txt"))
    return sorted((CORPUS / "dwc-imr" / kind).glob(f"*.{kind}"))


def score(
    kind: str, expected: dict[str, dict[str, object]]
) -> tuple[Counter[str], Counter[str], float]:
    """Right and total counts per field, and letters per second, for one set of letters."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    paths = letters(kind)
    started = time.perf_counter()
    parsed = {}
    for path in paths:
        try:
            parsed[path] = read_letter(path).meta
        except LetterError:
            parsed[path] = None
    seconds = time.perf_counter() - started
    for path, meta in parsed.items():
        want = expected[letter_key(path)]
        got = facts(meta) if meta else {"item_fields": {}}
        for field in LETTER_FIELDS:
            total[field] += 1
            right[field] += got.get(field) == want[field]
        for field in ITEM_FIELDS:
            wanted = want["item_fields"][field]  # type: ignore[index]
            found = got["item_fields"].get(field, [])  # type: ignore[union-attr]
            total[field] += len(wanted)
            right[field] += sum(a == b for a, b in zip(wanted, found, strict=False))
    return right, total, len(paths) / seconds if seconds else 0.0


def write_candidates() -> None:
    """Expectations from the current parser (from the text letters), to be checked by hand."""
    expected = {
        letter_key(path): facts(read_letter(path).meta)
        for kind in ("txt", "seed")
        for path in letters(kind)
    }
    EXPECTED.parent.mkdir(parents=True, exist_ok=True)
    EXPECTED.write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(expected)} letters' expectations to {EXPECTED}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write-candidates", action="store_true")
    args = parser.parse_args()
    if not (CORPUS / "dwc-imr").is_dir():
        print(f"no corpus at {CORPUS}; nothing to measure")
        return 0
    if args.write_candidates:
        write_candidates()
        return 0
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    fields = ("items", *ITEM_FIELDS, *LETTER_FIELDS[1:])
    print(f"{'field':<32}" + "".join(f"{kind:>18}" for kind in ("txt", "pdf", "seed")))
    results = {kind: score(kind, expected) for kind in ("txt", "pdf", "seed")}
    for field in fields:
        cells = ""
        for right, total, _ in results.values():
            share = 100 * right[field] / total[field] if total[field] else 100.0
            cells += f"{share:>9.1f}% {right[field]:>3}/{total[field]:<3}"
        print(f"{field:<32}{cells}")
    for kind in ("txt", "pdf"):
        print(f"{kind}: {results[kind][2]:.0f} letters/s (extract + parse, one process)")
    perfect = all(r[f] == t[f] for r, t, _ in results.values() for f in fields)
    return 0 if perfect else 1


if __name__ == "__main__":
    sys.exit(main())

"""Leaks and kept must-keep strings of the anonymization on a letter set with an answer key.

    .venv/bin/python bench/anonymize_leaks.py [LETTERS_DIR [ANSWER_KEY]] [--quiet] [--detectors-only]

Each letter is ingested (``parse_letter_text``), anonymized, and every published text field of its
public form is searched (case-insensitive, whitespace-normalized, whole words) for each identifier of
the answer key and each must-keep string. Prints leaks by kind, the share of must-keep strings kept,
records scrubbed per second on one core, and the leaked identifiers' kinds per letter (never the text
itself when run on letters kept back: pass --quiet). ``--detectors-only`` drops what the records
declare, to measure the free-text detectors alone.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from generator.anonymize import DEMO_SECRET, PublicDetermination, anonymize
from generator.ingest import parse_letter_text
from generator.schema import Private, Record

HERE = Path(__file__).resolve().parent
DEFAULT_LETTERS = HERE.parent / "tests" / "fixtures" / "phi" / "letters"


def published_text(public: PublicDetermination) -> str:
    """Every text the site shows for a determination, joined and normalized."""
    parts = [public.summary, public.reviewer_specialty or "", *public.reviewer_licensure]
    for item in public.items:
        parts += [item.treatment, item.rationale, item.request_note or ""]
        parts += [item.claims_administrator_guideline or "", item.reviewer_guideline or ""]
    parts.append(str(public.year or ""))
    return normalize(" \n ".join(parts))


def normalize(text: str) -> str:
    return " ".join(text.split()).casefold()


def occurs(needle: str, haystack: str) -> bool:
    """``needle`` as whole words (no letter or digit touching either end)."""
    pattern = rf"(?<![^\W_]){re.escape(normalize(needle))}(?![^\W_])"
    return re.search(pattern, haystack) is not None


def main(argv: list[str]) -> int:
    quiet = "--quiet" in argv
    undeclared = "--detectors-only" in argv
    args = [a for a in argv if not a.startswith("--")]
    letters = Path(args[0]) if args else DEFAULT_LETTERS
    key_path = Path(args[1]) if len(args) > 1 else letters.parent / "answer_key.yaml"
    key = yaml.safe_load(key_path.read_text(encoding="utf-8"))
    records = []
    for name in sorted(key):
        parsed = parse_letter_text(
            (letters / f"{name}.txt").read_text(encoding="utf-8"), source=name
        )
        meta = parsed.meta.model_copy(update={"private": Private()}) if undeclared else parsed.meta
        records.append((name, Record(source=name, meta=meta, summary=parsed.summary)))
    started = time.perf_counter()
    public = {name: anonymize(record, DEMO_SECRET) for name, record in records}
    elapsed = time.perf_counter() - started
    leaks: Counter[str] = Counter()
    total: Counter[str] = Counter()
    kept = keep_total = 0
    for name, determination in public.items():
        text = published_text(determination)
        for ident in key[name]["identifiers"]:
            total[ident["kind"]] += 1
            if occurs(ident["text"], text):
                leaks[ident["kind"]] += 1
                print(f"LEAK {name}: {ident['kind']}" + ("" if quiet else f": {ident['text']!r}"))
        for string in key[name]["keep"]:
            keep_total += 1
            if occurs(string, text):
                kept += 1
            elif not quiet:
                print(f"LOST {name}: {string!r}")
    identifiers = sum(total.values())
    print(f"letters: {len(records)}")
    print(f"identifiers: {identifiers}, leaked: {sum(leaks.values())}")
    for kind in sorted(total):
        print(f"  {kind:24s} {leaks[kind]:3d} of {total[kind]:4d} leaked")
    print(f"must-keep strings: {keep_total}, kept: {kept} ({100 * kept / keep_total:.1f}%)")
    print(f"anonymized {len(records) / elapsed:.0f} records/s on one core")
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

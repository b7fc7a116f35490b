"""Leaks, must-keep strings kept, what the leak audit alone catches, and what it withholds, on a
letter set with an answer key (and, with --corpus, on the real letters).

    .venv/bin/python bench/anonymize_leaks.py [LETTERS_DIR [ANSWER_KEY]] [--quiet] [--detectors-only]
    .venv/bin/python bench/anonymize_leaks.py --corpus [CORPUS_TXT_DIR]

Each letter is ingested (``parse_letter_text``), anonymized, and every published text field of its
public form is searched (case-insensitive, whitespace-normalized, whole words) for each identifier of
the answer key and each must-keep string. Prints:

- leaked: identifiers of the answer key in the published text (scrubber on), by kind;
- audit alone: with the scrubber switched off (the public form made of the raw text), how many of
  the identifiers present the leak audit's screen (``audit.screen_record``: its own detectors and
  the record's declared identifiers) flags, every occurrence covered by a span it found;
- must-keep kept: the share of must-keep strings still in the published text;
- withheld: letters the audit's screen would withhold from the site (scrubber on).

Never prints an identifier's text with --quiet (for letters kept back). ``--detectors-only`` drops
what the records declare, to measure the free-text detectors alone. ``--corpus`` reads the real
letters (no answer key): letters withheld and full dates left in any published string.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import yaml

import generator.anonymize as anonymize_module
from generator.anonymize import DEMO_SECRET, PublicDetermination, anonymize
from generator.audit import _declared, published_strings, screen_record
from generator.detectors import Screen
from generator.ingest import parse_letter_text
from generator.schema import Private, Record

HERE = Path(__file__).resolve().parent
DEFAULT_LETTERS = HERE.parent / "tests" / "fixtures" / "phi" / "letters"
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "dwc-imr" / "txt"
FULL_DATE = re.compile(
    # The bench's own check, apart from the audit's detectors: m/d/y in any separator and
    # spacing, ISO, and a month name with a day and a year.
    r"(?<![\w/.-])(?:0?[1-9]|1[0-2])\s*([/.-])\s*(?:[12]\d|3[01]|0?[1-9])\s*\1\s*(?:\d{4}|\d\d)(?![\w/])"
    r"|\b(?:19|20)\d\d-\d\d-\d\d\b"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?"
    r"\s+(?:19|20)\d\d\b",
    re.IGNORECASE,
)


def published_text(public: PublicDetermination) -> str:
    """Every text the site shows for a determination, joined and normalized."""
    parts = [*published_strings(public), str(public.year or "")]
    return normalize(" \n ".join(parts))


def normalize(text: str) -> str:
    return " ".join(text.split()).casefold()


def occurs(needle: str, haystack: str) -> bool:
    """``needle`` as whole words (no letter or digit touching either end)."""
    return whole_words(needle).search(haystack) is not None


def whole_words(needle: str) -> re.Pattern[str]:
    words = r"\s+".join(map(re.escape, needle.split()))
    return re.compile(rf"(?<![^\W_]){words}(?![^\W_])", re.IGNORECASE)


@contextmanager
def scrubber_off() -> Iterator[None]:
    """The test-only switch: public forms made of the raw text (``anonymize`` scrubs nothing)."""
    original = anonymize_module.scrubber_for
    anonymize_module.scrubber_for = lambda record: _unchanged  # type: ignore[assignment,return-value]
    try:
        yield
    finally:
        anonymize_module.scrubber_for = original


def _unchanged(text: str) -> str:
    return text


def read_letters(
    letters: Path, names: list[str], *, undeclared: bool = False
) -> list[tuple[str, Record]]:
    records = []
    for name in names:
        parsed = parse_letter_text(
            (letters / f"{name}.txt").read_text(encoding="utf-8"), source=name
        )
        meta = parsed.meta.model_copy(update={"private": Private()}) if undeclared else parsed.meta
        records.append((name, Record(source=name, meta=meta, summary=parsed.summary)))
    return records


def audit_alone(
    records: list[tuple[str, Record]], key: dict, show: Callable[[str], None]
) -> tuple[int, int]:  # type: ignore[type-arg]
    """(identifiers flagged, identifiers present) with the scrubber off."""
    flagged = present = 0
    with scrubber_off():
        for name, record in records:
            strings = published_strings(anonymize(record, DEMO_SECRET))
            declared = [(t, k) for k, texts in _declared(record).items() for t in texts]
            screen = Screen.of(declared)
            spans = screen.spans_of_record(strings)
            for ident in key[name]["identifiers"]:
                pattern = whole_words(ident["text"])
                places = [
                    (n, m.start(), m.end())
                    for n, t in enumerate(strings)
                    for m in pattern.finditer(t)
                ]
                if not places:
                    continue
                present += 1
                if all(any(s.start < e and b < s.end for s in spans[n]) for n, b, e in places):
                    flagged += 1
                else:
                    show(f"AUDIT MISSES {name}: {ident['kind']}" + f": {ident['text']!r}")
    return flagged, present


def main(argv: list[str]) -> int:
    if "--corpus" in argv:
        rest = [a for a in argv if not a.startswith("--")]
        return corpus(Path(rest[0]) if rest else DEFAULT_CORPUS)
    quiet = "--quiet" in argv
    undeclared = "--detectors-only" in argv
    args = [a for a in argv if not a.startswith("--")]
    letters = Path(args[0]) if args else DEFAULT_LETTERS
    key_path = Path(args[1]) if len(args) > 1 else letters.parent / "answer_key.yaml"
    key = yaml.safe_load(key_path.read_text(encoding="utf-8"))
    records = read_letters(letters, sorted(key), undeclared=undeclared)
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
    withheld = [
        found
        for name, record in records
        if (found := screen_record(record, public[name], name)) is not None
    ]
    for record in withheld:
        print(f"WITHHELD {record}" + ("" if quiet else f" {list(record.found)}"))
    shown = (lambda line: None) if quiet else print
    flagged, present = audit_alone(records, key, shown)
    identifiers = sum(total.values())
    print(f"letters: {len(records)}")
    print(f"identifiers: {identifiers}, leaked: {sum(leaks.values())}")
    for kind in sorted(total):
        print(f"  {kind:24s} {leaks[kind]:3d} of {total[kind]:4d} leaked")
    print(f"must-keep strings: {keep_total}, kept: {kept} ({100 * kept / keep_total:.1f}%)")
    print(
        f"audit alone (scrubber off): flags {flagged} of {present} identifiers present "
        f"({100 * flagged / max(present, 1):.1f}%)"
    )
    print(f"withheld by the audit (scrubber on): {len(withheld)} of {len(records)} letters")
    print(f"anonymized {len(records) / elapsed:.0f} records/s on one core")
    return 1 if leaks else 0


def corpus(folder: Path) -> int:
    """The real letters: letters withheld by the audit's screen, full dates left (bench's check)."""
    paths = sorted(folder.glob("*.txt"))
    withheld = dated = 0
    for path in paths:
        letter = parse_letter_text(path.read_text(encoding="utf-8"), source=path.name)
        record = Record(source=path.name, meta=letter.meta, summary=letter.summary)
        public = anonymize(record, DEMO_SECRET)
        found = screen_record(record, public, path.name)
        if found is not None:
            withheld += 1
            print(f"WITHHELD {found}")
        if any(FULL_DATE.search(text) for text in published_strings(public)):
            dated += 1
            print(f"FULL DATE LEFT {path.name}")
    print(f"real letters: {len(paths)}, withheld: {withheld}, with a full date left: {dated}")
    return 1 if withheld or dated else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

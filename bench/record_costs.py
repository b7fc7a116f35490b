"""Where a record's time goes in the records stage: CPU milliseconds a record for each step
``stages._read_record`` takes, over a folder of records, in this process (no workers, no profiler).

    .venv/bin/python bench/record_costs.py RECORDS [N]

Steps: parse (front matter and schema), anonymize (the scrubber: of which "scrubber" is building the
record's scrubber, its declared identifiers and the names found in its text), identifiers (what the
leak audit will look for), screen (the record's public strings against the detectors and its
declared identifiers), classify (treatments, citations, diagnosis groups) and terms (search terms).
The first record is read once before timing, so one-time loads (catalogs, lexicons) are left out.
"""

from __future__ import annotations

import argparse
import collections
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.anonymize import DEMO_SECRET, anonymize
from generator.audit import known_identifiers, screen_record
from generator.classify import classify
from generator.records import parse_record_bytes
from generator.scrub import scrubber_for
from generator.search.index import determination_terms

STEPS = ("parse", "anonymize", "scrubber", "identifiers", "screen", "classify", "terms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", type=Path)
    parser.add_argument("count", type=int, nargs="?", help="the first N records only")
    args = parser.parse_args()
    files = sorted(args.records.glob("*.md"))[: args.count]
    raws = [(str(path), path.read_bytes()) for path in files]
    seconds: dict[str, float] = collections.defaultdict(float)

    def timed(step: str, function: Callable[..., Any], *arguments: Any) -> Any:
        started = time.process_time()
        result = function(*arguments)
        seconds[step] += time.process_time() - started
        return result

    _read(raws[0], lambda _step, function, *arguments: function(*arguments))
    for raw in raws:
        _read(raw, timed)
    total = sum(seconds[step] for step in STEPS if step != "scrubber")
    print(f"{len(raws)} records from {args.records}: CPU ms a record")
    for step in STEPS:
        share = 100 * seconds[step] / total
        label = f"  {step} (within anonymize)" if step == "scrubber" else step
        print(f"{label:28} {1000 * seconds[step] / len(raws):6.2f}  {share:5.1f}%")
    print(f"{'total':28} {1000 * total / len(raws):6.2f}")


def _read(raw: tuple[str, bytes], timed: Callable[..., Any]) -> None:
    path, data = raw
    record = timed("parse", parse_record_bytes, path, data)
    if isinstance(record, list):
        raise SystemExit(f"{path}: not a valid record")
    timed("scrubber", scrubber_for, record)
    public = timed("anonymize", anonymize, record, DEMO_SECRET)
    timed("identifiers", known_identifiers, [record], DEMO_SECRET)
    timed("screen", screen_record, record, public, path)
    facts = timed("classify", classify, public)
    timed("terms", determination_terms, public, facts)


if __name__ == "__main__":
    main()

"""Time the leak audit alone on a built site: ``python bench/audit_speed.py RECORDS SITE``.

Reads the records once (their declared identifiers, pickled next to the site for later runs), then
audits the site without a cache, as ``imr-site build --no-cache`` does, and prints the seconds, the
CPU seconds of the process tree and the number of findings.
"""

from __future__ import annotations

import argparse
import os
import pickle
import time
from pathlib import Path

from generator.anonymize import DEMO_SECRET
from generator.audit import audit_site, known_identifiers
from generator.records import load_records


def identifiers_of(records_dir: Path, saved: Path) -> list:
    if saved.exists():
        return pickle.loads(saved.read_bytes())
    started = time.perf_counter()
    found = known_identifiers(load_records(records_dir), DEMO_SECRET)
    saved.write_bytes(pickle.dumps(found))
    print(f"read the records' identifiers in {time.perf_counter() - started:.1f} s")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("records", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    identifiers = identifiers_of(args.records, args.site.parent / f".{args.site.name}.identifiers")
    for _ in range(args.repeat):
        cpu0, started = os.times(), time.perf_counter()
        findings = audit_site(args.site, identifiers)
        cpu1, wall = os.times(), time.perf_counter() - started
        cpu = sum(cpu1[:4]) - sum(cpu0[:4])
        print(
            f"audit: {wall:.2f} s wall, {cpu:.1f} s CPU, {len(identifiers)} identifiers, "
            f"{len(findings)} findings"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

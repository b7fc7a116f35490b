"""Digest every file of a built site, to check that a change leaves the output byte-identical.

    python bench/site_digests.py SITE_DIR --write DIGESTS.json   # record the current output
    python bench/site_digests.py SITE_DIR --check DIGESTS.json   # compare (exit 1 on a difference)

The digests file maps each file's path (relative, '/'-separated) to its SHA-256. The check lists the
files added, removed and changed. ``tests/test_output_digests.py`` uses it on the sample and on a
synthetic set; at 20,000 records run it by hand around a change:

    python bench/synth.py 20000 --out RECORDS
    imr-site build --content RECORDS --site-dir SITE --no-cache
    python bench/site_digests.py SITE --write before.json    # then, after the change:
    python bench/site_digests.py SITE --check before.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

MARKER = ".imr-site-output"
"""The build's ownership marker: not part of the site a reader sees."""


def site_digests(site_dir: Path) -> dict[str, str]:
    """The SHA-256 of every file under ``site_dir``, by relative path, in path order."""
    digests = {}
    for path in sorted(site_dir.rglob("*")):
        if path.is_file() and path.name != MARKER:
            relative = path.relative_to(site_dir).as_posix()
            digests[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def differences(expected: dict[str, str], found: dict[str, str]) -> list[str]:
    """One line per file added, removed or changed."""
    lines = [f"missing: {name}" for name in sorted(expected.keys() - found.keys())]
    lines += [f"added:   {name}" for name in sorted(found.keys() - expected.keys())]
    lines += [
        f"changed: {name}"
        for name in sorted(expected.keys() & found.keys())
        if expected[name] != found[name]
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", type=Path)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, help="write the digests to this JSON file")
    group.add_argument("--check", type=Path, help="compare with the digests in this JSON file")
    args = parser.parse_args()
    found = site_digests(args.site_dir)
    if args.write:
        args.write.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{len(found)} files digested into {args.write}")
        return 0
    expected = json.loads(args.check.read_text(encoding="utf-8"))
    lines = differences(expected, found)
    for line in lines:
        print(line)
    print(f"{len(found)} files, {len(lines)} differences")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())

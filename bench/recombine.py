"""Records recombined from real letters, for building a realistic site at a size the corpus does not
have, with the leak audit on.

    .venv/bin/python bench/recombine.py RECORDS_DIR N OUT_DIR [--seed 1]

RECORDS_DIR holds records ingested from real letters (``imr-site ingest ../shared/corpus/dwc-imr/txt
--out RECORDS_DIR``). Each of the N records written to OUT_DIR takes the header (dates, worker,
reviewer) of one record, the clinical summary of another and one to four disputed items drawn from
others, under a new case number (``CM90-`` and seven digits, never a real one). The text is the real
letters' text, so the leak audit meets every shape the real letters hold, in new combinations; the
output stays outside the repository (it holds the letters' text and must never be committed).

Then build it and read the closing line (records read = pages written + withheld + rejected) and the
leak audit's share of the build (``imr-site -v build`` prints each stage's seconds):

    .venv/bin/imr-site -v build --content OUT_DIR --site-dir SITE_DIR --no-cache
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import frontmatter


def recombine(source: Path, count: int, out: Path, seed: int) -> int:
    """Write ``count`` recombined records to ``out``; returns how many were written."""
    letters = [frontmatter.load(path) for path in sorted(source.glob("*.md"))]
    if not letters:
        sys.exit(f"{source}: no records here; ingest the real letters into it first")
    items = [item for letter in letters for item in letter.metadata["items"]]
    chooser = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        header, summary = chooser.choice(letters), chooser.choice(letters)
        metadata = dict(header.metadata)
        metadata["case_number"] = f"CM90-{number:07d}"
        metadata["items"] = chooser.sample(items, chooser.randint(1, 4))
        record = frontmatter.Post(summary.content, **metadata)
        (out / f"recombined-{number:07d}.md").write_text(
            frontmatter.dumps(record, sort_keys=False) + "\n", encoding="utf-8"
        )
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("records", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    written = recombine(arguments.records, arguments.count, arguments.out, arguments.seed)
    print(f"Wrote {written} recombined records to {arguments.out}")


if __name__ == "__main__":
    main()

"""Baseline: a bare Material for MkDocs site of N plain Markdown pages, built with ``mkdocs build``.

    .venv/bin/python bench/baseline_mkdocs.py 20000 --work build/bench [--search both|on|off]

The site: ``docs/index.md`` (the only page in the nav) and N pages ``docs/p/NNNNNNN.md`` out of the
nav (``validation: nav: omitted_files: ignore``), each a heading and two paragraphs (about 150 words,
a determination summary's length), ``theme: material`` and nothing else. "Bare" means MkDocs'
defaults, which turn Material's ``search`` plugin on (``plugins`` not set); ``--search off`` builds
the same site with ``plugins: []``. Timed and measured like the pipeline (``bench/scale.py``'s
``measure``: wall, CPU = cores used, peak PSS / RSS of the process tree, load).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import measure, tree_size

WORDS = [
    "patient",
    "treatment",
    "request",
    "guideline",
    "review",
    "therapy",
    "lumbar",
    "cervical",
    "shoulder",
    "knee",
    "pain",
    "function",
    "improvement",
    "documentation",
    "medication",
    "opioid",
    "injection",
    "imaging",
    "physical",
    "sessions",
    "chronic",
    "injury",
    "examination",
    "tenderness",
    "range",
    "motion",
    "strength",
    "evidence",
    "criteria",
    "necessary",
    "recommended",
    "trial",
    "response",
    "conservative",
    "care",
    "failure",
    "provider",
    "utilization",
    "records",
]


def paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def write_site(folder: Path, count: int, *, search: bool) -> None:
    docs = folder / "docs"
    pages = docs / "p"
    if not (pages.is_dir() and sum(1 for _ in pages.glob("*.md")) == count):
        shutil.rmtree(docs, ignore_errors=True)
        pages.mkdir(parents=True)
        rng = random.Random(1)
        (docs / "index.md").write_text("# Baseline\n\nA bare Material for MkDocs site.\n")
        for number in range(1, count + 1):
            (pages / f"{number:07d}.md").write_text(
                f"# Page {number}\n\n{paragraph(rng, 75)}\n\n{paragraph(rng, 75)}\n",
                encoding="utf-8",
            )
    config = (
        "site_name: Baseline\n"
        "theme:\n  name: material\n"
        "nav:\n  - Home: index.md\n"
        "validation:\n  nav:\n    omitted_files: ignore\n"
    )
    if not search:
        config += "plugins: []\n"
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, metavar="N")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--search", choices=["on", "off", "both"], default="both")
    args = parser.parse_args()
    folder = args.work.resolve() / f"baseline-{args.count}"
    mkdocs = Path(sys.executable).with_name("mkdocs")
    for search in {"on": [True], "off": [False], "both": [True, False]}[args.search]:
        write_site(folder, args.count, search=search)
        site = folder / "site"
        shutil.rmtree(site, ignore_errors=True)
        label = "default plugins (search on)" if search else "plugins: [] (search off)"
        run = measure([str(mkdocs), "build", "-q"], cwd=folder)
        files, content, _ = tree_size(site)
        search_index = site / "search" / "search_index.json"
        index_mb = search_index.stat().st_size / 1e6 if search_index.exists() else 0.0
        print(f"Bare Material, N = {args.count}, {label}:")
        print(f"  {run.summary()}")
        print(
            f"  {args.count / run.wall_s:.0f} pages/s; site {files} files, {content / 1e6:.0f} MB; "
            f"search_index.json {index_mb:.1f} MB",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

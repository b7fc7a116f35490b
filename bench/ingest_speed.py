"""Ingest speed: letters per second on one core, for text and PDF letters, full ingest to record files.

Pins itself to one CPU, ingests the corpus letters (``../shared/corpus/dwc-imr``, else the synthetic
fixtures) into a temporary folder several times, and prints the best round. For context it also prints
PDFium's own rate for loading the same PDFs' text, the ceiling any PDFium-based ingest can reach here.

    .venv/bin/python bench/ingest_speed.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.ingest import ingest_paths  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "dwc-imr"
FIXTURES = REPO / "tests" / "fixtures" / "letters"


def letter_files(suffix: str) -> list[Path]:
    folder = CORPUS / suffix.lstrip(".")
    if folder.is_dir():
        return sorted(folder.glob(f"*{suffix}"))
    return sorted(FIXTURES.glob(f"*{suffix}"))


def best_rate(paths: list[Path], rounds: int) -> float:
    """Letters per second of ``ingest_paths`` (extract, parse, validate, write), best of ``rounds``."""
    best = 0.0
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            report = ingest_paths(paths, Path(out))
            seconds = time.perf_counter() - started
        if report.failures:
            raise SystemExit(f"{len(report.failures)} letters failed: {report.failures[0]}")
        best = max(best, len(paths) / seconds)
    return best


def pdfium_ceiling(paths: list[Path], rounds: int) -> float:
    """PDFs per second for PDFium alone to open each PDF and load every page's text."""
    best = 0.0
    for _ in range(rounds):
        started = time.perf_counter()
        for path in paths:
            document = pdfium.PdfDocument(path)
            for index in range(len(document)):
                document[index].get_textpage().get_text_range()
            document.close()
        best = max(best, len(paths) / (time.perf_counter() - started))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    os.environ["IMR_SITE_NO_PROGRESS"] = "1"
    texts, pdfs = letter_files(".txt"), letter_files(".pdf")
    print(
        f"text letters: {best_rate(texts, args.rounds):7.0f} letters/s ({len(texts)} letters, one core)"
    )
    print(
        f"PDF letters:  {best_rate(pdfs, args.rounds):7.0f} letters/s ({len(pdfs)} letters, one core)"
    )
    print(
        f"PDFium alone: {pdfium_ceiling(pdfs, args.rounds):7.0f} PDFs/s (opening and loading text only)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

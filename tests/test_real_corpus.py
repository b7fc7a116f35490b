"""The real letters in ../shared, ingested and built end to end with the leak audit on: every letter
publishes (none withheld, none rejected, exit 0), no full date in any shape is left in any output
file (checked here with this test's own patterns, apart from the audit's), and no scrubbing mark
stands inside a guideline citation. Skipped when ../shared is absent."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SHARED, build, reader_text, run_cli

CORPUS = SHARED / "corpus"
LETTER_FOLDERS = ("txt", "pdf")
SEED = CORPUS / "seed"

pytestmark = pytest.mark.skipif(
    not (CORPUS / "dwc-imr" / "txt").is_dir(), reason="the real letters in ../shared are absent"
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
FULL_DATE = re.compile(
    # month/day/year or day/month/year, any separator and spacing, the same separator twice
    r"(?<![\w/.-])(?:[12]\d|3[01]|0?[1-9])\s*([/.\-\u2013])\s*(?:[12]\d|3[01]|0?[1-9])\s*\1\s*"
    r"(?:(?:19|20)\d\d|\d\d)(?![\w/]|[.-]\d)"
    r"|(?<![\w/.-])(?:19|20)\d\d-[01]\d-[0-3]\d(?!\d)"  # ISO
    rf"|\b{_MONTH}\s*[-/ ]\s*\d{{1,2}}(?:st|nd|rd|th)?,?\s*[-/ ]\s*(?:19|20)\d\d\b"  # Oct 12, 2016
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s*[-/ ]?\s*{_MONTH}\s*[-/ ,]?\s*(?:19|20)?\d\d\b",  # 12-Oct-16
    re.IGNORECASE,
)
SITEMAP_DATE = re.compile(r"<lastmod>[^<]*</lastmod>|<(?:pubDate|lastBuildDate|updated)>[^<]*<")
SCRUB_MARK = re.compile(
    r"\[(?:address|case number|city|date|e-mail|ip address|name|number|organization|phone|ssn"
    r"|url|zip|age)\]"
)
"""The scrubber's marks ("[otc]" in a drug's names is the letter's own)."""


def readable(path: Path) -> str:
    return SITEMAP_DATE.sub(" ", reader_text(path))


@pytest.fixture(scope="module", params=LETTER_FOLDERS)
def corpus_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp(f"corpus-{request.param}")
    letters = CORPUS / "dwc-imr" / request.param
    ingested = run_cli("ingest", letters, *sorted(SEED.glob("*.txt")), "--out", base / "content")
    assert ingested.code == 0, ingested.stderr
    count = len(list(letters.glob(f"*.{request.param}"))) + len(list(SEED.glob("*.txt")))
    built = build(base / "content", base / "site", "--site-url", "https://imr.example.org/")
    assert built.code == 0, built.stderr  # strict: a withheld letter would fail the build
    assert f"Read {count} records, wrote {count} determination pages, withheld 0, rejected 0" in (
        built.stderr
    )
    return base / "site"


def test_every_letter_publishes(corpus_site: Path) -> None:
    pages = list((corpus_site / "determinations").glob("*/index.html"))
    assert len(pages) >= 160


def test_no_full_date_in_any_shape_in_any_output_file(corpus_site: Path) -> None:
    dated = sorted(
        path.relative_to(corpus_site).as_posix()
        for path in corpus_site.rglob("*")
        if path.is_file()
        and path.suffix in {".html", ".json", ".xml", ".txt", ".csv", ".gz"}
        and not path.relative_to(corpus_site).as_posix().startswith("assets/")
        and FULL_DATE.search(readable(path))
    )
    assert dated == []


def test_no_scrubbing_mark_inside_a_guideline_citation(corpus_site: Path) -> None:
    citations = []
    for export in sorted((corpus_site / "data").glob("*/determinations-*.json")):
        for entry in json.loads(export.read_text(encoding="utf-8")):
            for item in entry["items"]:
                fields = ("claims_administrator_guideline", "reviewer_guideline")
                citations += [item[field] for field in fields if item.get(field)]
    assert len(citations) > 300
    marked = [text for text in citations if SCRUB_MARK.search(text)]
    assert marked == []

"""The search index: its document sets decode to what was encoded; its manifest in the search
page's head: what the built page carries, and that no text in it can end its script element; and,
on a small site of synthetic letters read as the search script reads it (``index_reader``, which
the browser tests hold the script to), what a query finds: PT and PT/PTT told apart, a guideline
by what the reviewer cited, brand and generic names, numbers, filters and counts per item."""

from __future__ import annotations

import json
import re
import textwrap
from array import array
from pathlib import Path

import pytest
from conftest import build, write_record
from index_reader import SiteIndex, read_set

from generator.search.encode import KIND_BITMAP, KIND_LIST, encoded_set
from generator.search.index import MANIFEST_PLACE, _inline_manifest

INLINED = re.compile(
    r'<script id="imr-search-manifest">window\.imrSearchManifest = (.*?);</script>'
)


def test_the_search_page_carries_the_manifest(sample_site: Path) -> None:
    html = (sample_site / "search" / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((sample_site / "search" / "data" / "manifest.json").read_text("utf-8"))
    found = INLINED.search(html)
    assert found is not None
    assert json.loads(found.group(1)) == manifest
    assert manifest["documents"] > 0 and manifest["shards"] >= 1


def test_a_manifest_cannot_end_its_script(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(f"<head>{MANIFEST_PLACE}</head><body></body>", encoding="utf-8")
    manifest = {"facets": [{"label": "Acupuncture</script><script>alert(1)</script><!-- x"}]}
    _inline_manifest(page, json.dumps(manifest, ensure_ascii=False))
    html = page.read_text(encoding="utf-8")
    assert html.count("</script>") == 1 and "<!--" not in html and "<script>alert" not in html
    found = INLINED.search(html)
    assert found is not None and json.loads(found.group(1)) == manifest


def test_a_page_without_the_place_is_left_alone(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text("<head></head><body>another theme</body>", encoding="utf-8")
    _inline_manifest(page, json.dumps({"documents": 1}))
    assert page.read_text(encoding="utf-8") == "<head></head><body>another theme</body>"


@pytest.mark.parametrize(
    ("docs", "kind"),
    [
        ([], KIND_LIST),
        ([0], KIND_LIST),
        ([19_999], KIND_LIST),  # a first step of three bytes
        ([5, 6, 7, 100, 227], KIND_LIST),  # every step under 128
        ([1, 129, 130, 16_515, 16_516], KIND_LIST),  # steps of one, two and three bytes
        (list(range(0, 20_000, 8)), KIND_LIST),  # a byte each: no larger than the bitmap
        ([*range(2_300), *range(2_449, 19_000, 150)], KIND_BITMAP),  # 2-byte steps tip it
        (list(range(0, 20_000, 3)), KIND_BITMAP),  # dense: a bit each is smaller
        (list(range(0, 20_000, 7)), KIND_BITMAP),  # a byte each would be larger than the bitmap
    ],
)
def test_a_document_set_decodes_to_what_was_encoded(docs: list[int], kind: int) -> None:
    data = encoded_set(array("l", docs), 20_000)
    assert data[0] == kind
    found, end = read_set(data, 0, 20_000)
    assert end == len(data) and found.docs == docs


def _record(number: int, items: str, summary: str) -> str:
    return f"""\
---
format: 1
case_number: "CM99-90001{number:02d}"
synthetic: true
decision_date: 2016-0{number}-15
worker: {{age: 45, sex: female}}
reviewer: {{specialty: Orthopedic Surgery, licensure: [California]}}
items:
{textwrap.indent(textwrap.dedent(items), "  ")}
---
{summary}
"""


SMALL_SITE = {
    "pt.md": _record(
        1,
        """\
        - treatment: "Physical therapy 2 times a week for 4 weeks for the lumbar spine"
          decision: upheld
          claims_administrator_guideline: "Decision based on ODG Low Back chapter."
          reviewer_guideline: "Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Section(s): Physical medicine."
          rationale: "Physical medicine is recommended for a short course with a home program."
        """,
        "The injured worker has low back pain treated with medication (synthetic).",
    ),
    "labs.md": _record(
        2,
        """\
        - treatment: "Pre-operative labs: PT/PTT"
          decision: overturned
          reviewer_guideline: "Decision based on ODG Low Back chapter, Preoperative lab testing."
          rationale: "Coagulation studies are reasonable before the planned fusion."
        - treatment: "Norco 5/325mg #60"
          decision: upheld
          reviewer_guideline: "Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Section(s): Opioids, criteria for use."
          rationale: "Opioids are not supported without documented functional improvement."
        """,
        "The injured worker had physical therapy and acupuncture before surgery (synthetic).",
    ),
    "mixed.md": _record(
        3,
        """\
        - treatment: "EMG/NCV of the bilateral upper extremities"
          decision: overturned
          reviewer_guideline: "Decision based on MTUS Chronic Pain Medical Treatment Guidelines."
          rationale: "Electrodiagnostic testing is supported; the ODG text was also reviewed."
        - treatment: "Acupuncture 6 sessions"
          decision: upheld
          reviewer_guideline: "Decision based on MTUS Acupuncture Medical Treatment Guidelines."
          rationale: "Acupuncture was tried before without functional improvement."
        - treatment: "Hydrocodone/APAP 10/325mg #90"
          decision: upheld
          reviewer_guideline: "Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Section(s): Opioids, criteria for use."
          rationale: "Hydrocodone is not supported without documented functional improvement."
        """,
        "The injured worker has neck and arm pain (synthetic).",
    ),
}


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> SiteIndex:
    root = tmp_path_factory.mktemp("small")
    for name, text in SMALL_SITE.items():
        write_record(root / "records", name, text)
    result = build(root / "records", root / "site")
    assert result.code == 0, result.stderr
    return SiteIndex(root / "site")


def _treatments(index: SiteIndex, query: str, **filters: str) -> list[str]:
    return [index.card(doc)[4] for doc in index.search(query, filters)]


def test_pt_is_physical_therapy_and_pt_ptt_the_lab(small_site: SiteIndex) -> None:
    """PT names physical therapy; the lab item, whose treatment as written says PT, comes after
    it (a compounded cream found by a drug its text names is found the same way)."""
    assert _treatments(small_site, "PT") == [
        "Physical therapy 2 times a week for 4 weeks for the lumbar spine",
        "Pre-operative labs: PT/PTT",
    ]
    assert _treatments(small_site, "PT/PTT") == ["Pre-operative labs: PT/PTT"]
    assert _treatments(small_site, "PT INR") == ["Pre-operative labs: PT/PTT"]  # INR: the lab


def test_a_guideline_query_finds_what_the_reviewer_cited(small_site: SiteIndex) -> None:
    """The claims administrator's ODG citation and a rationale mentioning ODG are not the
    reviewer's: only the lab item, whose reviewer cited ODG Low Back, is an answer."""
    assert _treatments(small_site, "ODG") == ["Pre-operative labs: PT/PTT"]
    assert _treatments(small_site, "MTUS acupuncture") == ["Acupuncture 6 sessions"]


def test_brand_generic_and_numbers(small_site: SiteIndex) -> None:
    """Norco and hydrocodone/APAP are one treatment; the strength asked for ranks first but the
    other strengths are not left out."""
    both = {"Norco 5/325mg #60", "Hydrocodone/APAP 10/325mg #90"}
    assert set(_treatments(small_site, "hydrocodone")) == both
    assert set(_treatments(small_site, "Norco")) == both
    assert _treatments(small_site, "Norco 10/325") == [
        "Hydrocodone/APAP 10/325mg #90",
        "Norco 5/325mg #60",
    ]


def test_filters_and_counts_are_per_item(small_site: SiteIndex) -> None:
    """The letter with an overturned EMG and an upheld acupuncture item has no overturned
    acupuncture item; a letter matching twice is one determination."""
    assert _treatments(small_site, "acupuncture", outcome="overturned") == []
    assert _treatments(small_site, "acupuncture", outcome="upheld") == ["Acupuncture 6 sessions"]
    facets = {facet["name"]: facet["values"] for facet in small_site.manifest["facets"]}
    assert {v["slug"]: v["count"] for v in facets["outcome"]} == {"overturned": 2, "upheld": 4}
    docs = small_site.search("", {"category": "opioids"})
    assert len(docs) == 2 and len(small_site.determinations(docs)) == 2
    mentions = small_site.search("acupuncture", {}, mentions=True)
    assert len(small_site.determinations(mentions)) == 2 < len(mentions)

"""The search index: its document sets decode to what was encoded; its manifest in the search
page's head: what the built page carries, and that no text in it can end its script element."""

from __future__ import annotations

import json
import re
from array import array
from pathlib import Path

import pytest
from index_reader import read_set

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

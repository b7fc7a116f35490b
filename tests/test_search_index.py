"""The search index's manifest in the search page's head: what the built page carries, and that no
text in it can end its script element."""

from __future__ import annotations

import json
import re
from pathlib import Path

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

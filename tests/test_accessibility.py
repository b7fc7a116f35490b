"""Accessibility audit: axe-core (from the axe-playwright-python wheel, nothing fetched) run in
Debian's Chromium on one page of each kind of the built sample. Serious and critical violations fail
the test; moderate ones are reported as a warning."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve

pytest.importorskip("playwright.sync_api")
pytest.importorskip("axe_playwright_python")
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ViewportSize, sync_playwright

BLOCKING = {"serious", "critical"}
REPORTED = {"moderate"}
# Phone and desktop: the layouts differ (drawer, stacked definition lists), so both are audited.
VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "mobile": {"width": 390, "height": 844},
}
# One page of each kind; the search page is audited with its results shown.
PAGES: dict[str, str | None] = {
    "home": "",
    "determination": None,  # chosen from the built sample by determination_path()
    "guideline": "guidelines/mtus-chronic-pain-2009/",
    "treatment": "treatments/acupuncture/",
    "year": "years/2015/",
    "search": "search/?q=therapy",
}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def determination_path(site: Path) -> str:
    """The richest determination page of the sample: most disputed items, then related ones."""
    pages = sorted((site / "determinations").glob("*/index.html"))
    assert pages, "the sample built no determination pages"

    def richness(page: Path) -> tuple[int, int]:
        html = page.read_text(encoding="utf-8")
        return html.count('class="imr-item '), int('id="related"' in html)

    best = max(pages, key=richness)  # max keeps the first (sorted) of equals: stable
    return f"determinations/{best.parent.name}/"


@pytest.fixture(scope="module")
def base_url(sample_site: Path) -> Iterator[str]:
    with serve(sample_site) as base:
        yield base


def describe(path: str, viewport: str, violation: dict[str, Any]) -> list[str]:
    lines = [
        f"{violation['id']} ({violation['impact']}) on /{path} [{viewport}]: {violation['help']}"
    ]
    for node in violation["nodes"]:
        target = " ".join(
            " >>> ".join(part) if isinstance(part, list) else part for part in node["target"]
        )
        summary = (node.get("failureSummary") or "").replace("\n", " ")
        lines.append(f"    {target}  -- {summary}")
    return lines


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("kind", PAGES)
def test_no_serious_or_critical_axe_violations(
    sample_site: Path, base_url: str, browser: Browser, kind: str, viewport: str
) -> None:
    path = PAGES[kind]
    if path is None:
        path = determination_path(sample_site)
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    try:
        response = page.goto(base_url + path)
        assert response is not None and response.ok, f"/{path} did not load"
        if kind == "search":
            page.wait_for_selector("body[data-imr-search=done]")
            assert page.locator("#imr-results li").count() > 0, "no search results to audit"
        violations = Axe().run(page).response["violations"]
    finally:
        page.close()
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    reported = [v for v in violations if v["impact"] in REPORTED]
    if reported:
        lines = [line for v in reported for line in describe(path, viewport, v)]
        warnings.warn("moderate axe violations:\n" + "\n".join(lines), stacklevel=1)
    lines = [line for v in blocking for line in describe(path, viewport, v)]
    assert not blocking, "axe found serious or critical violations:\n" + "\n".join(lines)

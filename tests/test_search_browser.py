"""The search page in a real browser (Playwright driving Debian's Chromium): a query shows results,
a filter narrows them, a result opens its determination; the browser's term rules match Python's."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
from index_reader import SiteIndex

from generator.search.encode import KIND_BITMAP, KIND_LIST
from generator.search.terms import terms

pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Browser, Page, sync_playwright


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    require_chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def search(page: Page, base: str, query: str, /, **filters: str) -> list[str]:
    params = "&".join([f"q={quote_plus(query)}", *(f"{k}={v}" for k, v in filters.items())])
    page.goto(f"{base}search/?{params}")
    page.wait_for_selector("body[data-imr-search]")
    assert page.locator("body").get_attribute("data-imr-search") == "done"
    return page.locator("#imr-results .imr-result__title").all_inner_texts()


def test_query_filter_and_open_a_result(sample_site: Path, browser: Browser) -> None:
    with serve(sample_site) as base:
        page = browser.new_page()
        everything = search(page, base, "therapy")
        assert len(everything) >= 5
        status = page.locator("#imr-search-status").inner_text()
        assert status.endswith("determinations match.") or "Page 1 of" in status
        upheld = search(page, base, "therapy", outcome="upheld")
        assert 0 < len(upheld) < len(everything) or "Page" in status
        assert page.locator("#imr-filter-outcome").input_value() == "upheld"
        page.locator("#imr-results .imr-result__title").first.click()
        page.wait_for_load_state()
        assert "/determinations/" in page.url
        assert page.locator("h3[id^=item-]").count() >= 1
        assert page.locator(".imr-item[data-decision=upheld]").count() >= 1


def test_header_search_box_leads_to_the_search_page(sample_site: Path, browser: Browser) -> None:
    with serve(sample_site) as base:
        page = browser.new_page()
        page.goto(base)
        page.fill("#imr-header-q", "acupuncture")
        page.press("#imr-header-q", "Enter")
        page.wait_for_selector("body[data-imr-search]")
        assert "/search/?q=acupuncture" in page.url
        titles = page.locator("#imr-results .imr-result__title").all_inner_texts()
        assert titles and any("cupuncture" in title for title in titles)


def test_no_match_says_so(sample_site: Path, browser: Browser) -> None:
    with serve(sample_site) as base:
        page = browser.new_page()
        assert search(page, base, "zzyzxnotaword") == []
        assert page.locator("#imr-search-status").inner_text() == "No determination matches."


def test_browser_terms_match_python(sample_site: Path, browser: Browser) -> None:
    samples = [
        "Norco 10/325mg #120",
        "Physical THERAPIES x 12 sessions",
        "Épidural injections L4-L5",
        "the claimant's 123456 prior studies",
        "MRI of the right shoulder w/o contrast",
        "Lyrica 75 mg",
    ]
    with serve(sample_site) as base:
        page = browser.new_page()
        page.goto(f"{base}search/")
        found = page.evaluate(f"{json.dumps(samples)}.map(window.imrSearchTerms)")
    assert found == [terms(text) for text in samples]


def _spread(by_count: list[str], each: int) -> list[str]:
    """The most frequent, the middling and the rarest terms."""
    middle = len(by_count) // 2
    return [*by_count[:each], *by_count[middle : middle + each], *by_count[-each:]]


def _query_grid(index: SiteIndex) -> list[tuple[str, dict[str, str]]]:
    """Words of every frequency (common ones stored as bitmaps, rare ones as lists), alone, in
    pairs and with filters, and filters alone."""
    field = index.manifest["treatment_field"]
    counts: dict[str, int] = {}
    for number in range(index.manifest["shards"]):
        for name, found in index.shard(number).items():
            counts[name] = len(found.docs)
    by_count = sorted(counts, key=lambda term: (-counts[term], term))
    anywhere = [term for term in by_count if not term.startswith(field)]
    in_treatments = [term.removeprefix(field) for term in by_count if term.startswith(field)]
    words = [*_spread(anywhere, 4), *_spread(in_treatments, 3)]
    facets = {
        facet["name"]: [value["slug"] for value in facet["values"]]
        for facet in index.manifest["facets"]
    }
    grid: list[tuple[str, dict[str, str]]] = [(word, {}) for word in words]
    grid += [(f"{a} {b}", {}) for a, b in itertools.pairwise(words)]
    grid += [(words[0], {"outcome": slug}) for slug in facets["outcome"]]
    grid += [(f"{words[1]} {words[4]}", {"year": slug}) for slug in facets["year"]]
    grid += [("", {"outcome": facets["outcome"][0], "year": slug}) for slug in facets["year"]]
    grid.append(("zzqxj", {}))
    return grid


def test_the_browser_finds_what_the_index_holds(sample_site: Path, browser: Browser) -> None:
    """For queries over common and rare words and filters, the page's search gives the documents a
    separate reading of the index files gives, in the same order."""
    index = SiteIndex(sample_site)
    grid = _query_grid(index)
    expected = [index.search(query, filters) for query, filters in grid]
    kinds = {
        (read, kind) for read in ("word", "treatment", "facet") for kind in (KIND_BITMAP, KIND_LIST)
    }
    assert kinds - {("facet", KIND_LIST)} <= index.kinds_read  # every encoding is exercised
    assert sum(1 for docs in expected if len(docs) > 1) > len(grid) // 3
    assert any(docs != sorted(docs, reverse=True) for docs in expected)  # treatment matches first
    with serve(sample_site) as base:
        page = browser.new_page()
        page.goto(f"{base}search/")
        found = page.evaluate(
            "grid => Promise.all(grid.map(([q, filters]) => window.imrSearchDocs(q, filters)))",
            grid,
        )
    assert found == expected


def test_the_search_script_starts_in_the_head_before_the_style_sheets(
    sample_site: Path, browser: Browser
) -> None:
    """It fetches the files a query needs while the page loads; the form starts it when parsed,
    and no file is fetched twice."""
    html = (sample_site / "search" / "index.html").read_text(encoding="utf-8")
    head = html[: html.index("</head>")]
    assert head.index("function prefetch") < head.index('rel="stylesheet"')
    with serve(sample_site) as base:
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        found = search(page, base, "norco")
        page.close()
    index_files = [url for url in requested if "/search/data/" in url]
    assert found and len(index_files) == len(set(index_files))
    assert not any(url.endswith("imr-search.js") for url in requested)
    # The build put the manifest in the page's head, so the page does not fetch it.
    assert index_files and not any(url.endswith("manifest.json") for url in index_files)


MATERIAL_STARTED = """() => new Promise((resolve) => {
  if (!window.document$) return resolve(false);
  window.document$.subscribe(() => resolve(true));  // replays the document once Material started
  setTimeout(() => resolve(false), 5000);
})"""


@pytest.mark.parametrize("query", ["norco", ""])
def test_the_theme_starts_after_the_results(
    sample_site: Path, browser: Browser, query: str
) -> None:
    """Material's script is held back on the search page until the results are drawn (or at once
    without a query), and then starts as it would have: its document$ emits."""
    html = (sample_site / "search" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<template id="imr-theme-scripts">\s*<script src="[^"]*bundle', html)
    with serve(sample_site) as base:
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(f"{base}search/?q={query}")
        if query:
            page.wait_for_selector("body[data-imr-search=done]")
        page.wait_for_function("window.document$ !== undefined", timeout=10_000)
        assert page.evaluate(MATERIAL_STARTED) is True
        bundle = [n for n, url in enumerate(requested) if "/javascripts/bundle." in url]
        cards = [n for n, url in enumerate(requested) if "/search/data/cards/" in url]
        assert len(bundle) == 1
        assert all(n < bundle[0] for n in cards) and bool(cards) == bool(query)
        # Material's own behaviour works: the back-to-top button it manages is in place and hidden.
        assert page.locator(".md-top").get_attribute("hidden") is not None
        page.close()


def test_results_matching_in_the_treatment_come_first(sample_site: Path, browser: Browser) -> None:
    with serve(sample_site) as base:
        tab = browser.new_page()
        titles: list[str] = []
        for number in ("1", "2", "3", "4"):
            titles += search(tab, base, "therapy", page=number)
            if tab.locator("#imr-search-pager a[rel=next]").count() == 0:
                break
        # A title names the first item's treatment only; one-item titles name the whole request.
        whole = [title for title in titles if "more item" not in title]
        in_treatment = [
            re.search(r"\btherapy\b", title, re.IGNORECASE) is not None for title in whole
        ]
        assert True in in_treatment and False in in_treatment
        assert in_treatment == sorted(in_treatment, reverse=True)


def test_results_are_newest_first(sample_site: Path, browser: Browser) -> None:
    """Documents are numbered oldest first in the index; the page shows them newest first."""
    with serve(sample_site) as base:
        tab = browser.new_page()
        for query, filters in (("", {"outcome": "upheld"}), ("request", {})):
            facts: list[str] = []
            for number in ("1", "2", "3", "4", "5"):
                search(tab, base, query, page=number, **filters)
                facts += tab.locator("#imr-results .imr-result__facts").all_inner_texts()
                if tab.locator("#imr-search-pager a[rel=next]").count() == 0:
                    break
            years = [int(found[0]) for text in facts if (found := re.findall(r"\b20\d\d\b", text))]
            assert len(years) > 5 and len(set(years)) > 1, facts
            assert years == sorted(years, reverse=True), query

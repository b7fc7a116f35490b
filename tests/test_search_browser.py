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
    """The titles of the results shown: each result's best item, as written."""
    params = "&".join([f"q={quote_plus(query)}", *(f"{k}={v}" for k, v in filters.items())])
    page.goto(f"{base}search/?{params}")
    page.wait_for_selector("body[data-imr-search]")
    assert page.locator("body").get_attribute("data-imr-search") == "done"
    return page.locator("#imr-results .imr-result__title").all_inner_texts()


def shown_items(page: Page) -> list[str]:
    """Every item a result list shows, as written (a result's best item and those under it)."""
    return page.locator(
        "#imr-results .imr-result__title, #imr-results .imr-result__more a"
    ).all_inner_texts()


def determinations_listed(page: Page) -> list[str]:
    hrefs: list[str] = page.locator("#imr-results .imr-result__from a").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    return hrefs


def test_query_filter_and_open_a_result(sample_site: Path, browser: Browser) -> None:
    with serve(sample_site) as base:
        page = browser.new_page()
        everything = search(page, base, "therapy")
        assert len(everything) >= 5
        status = page.locator("#imr-search-status").inner_text()
        assert re.match(r"\d+ items? in \d+ determinations? match\.", status), status
        assert "Searched for: therap" in status
        upheld = search(page, base, "therapy", outcome="upheld")
        assert 0 < len(upheld) <= len(everything)
        assert page.locator("#imr-filter-outcome").input_value() == "upheld"
        page.locator("#imr-results .imr-result__title").first.click()
        page.wait_for_load_state()
        assert re.search(r"/determinations/[a-z0-9]+/#item-\d+$", page.url)
        anchor = page.url.rsplit("#", 1)[1]
        assert page.locator(f"h3[id={anchor}]").count() == 1
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


def test_no_match_says_what_was_searched_and_suggests_treatments(
    sample_site: Path, browser: Browser
) -> None:
    with serve(sample_site) as base:
        page = browser.new_page()
        assert search(page, base, "zzyzxnotaword acupunctre") == []
        status = page.locator("#imr-search-status").inner_text()
        assert status.startswith("No item matches. Searched for: zzyzxnotaword")
        assert "acupunctre (or acupuncture)" in status  # the typo, and what it was read as
        suggested = page.locator("#imr-results .imr-result--none a").all_inner_texts()
        assert "Acupuncture" in suggested
        page.locator("#imr-results .imr-result--none a", has_text="Acupuncture").first.click()
        page.wait_for_selector("body[data-imr-search=done]")
        assert any("cupuncture" in title for title in shown_items(page))


def test_browser_terms_match_python(sample_site: Path, browser: Browser) -> None:
    samples = [
        "Norco 10/325mg #120",
        "Physical THERAPIES x 12 sessions",
        "Épidural injections L4-L5",
        "the claimant's 123456 prior studies",
        "MRI of the right shoulder w/o contrast",
        "Lyrica 75 mg",
        "arthroscopic arthroscopy chiropractor neurological",
        "MRI L-spine 325mg 10/325",
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
    pairs and with filters; the vocabulary's phrases (brands, abbreviations, body parts,
    guidelines), misspelt, with numbers; and filters alone."""
    field = index.manifest["treatment_field"]
    counts: dict[str, int] = {}
    for number in range(index.manifest["shards"]):
        for name, found in index.shard(number).items():
            counts[name] = len(found.docs)
    by_count = sorted(counts, key=lambda term: (-counts[term], term))
    anywhere = [term for term in by_count if ":" not in term]
    in_treatments = [term.removeprefix(field) for term in by_count if term.startswith(field)]
    words = [*_spread(anywhere, 4), *_spread(in_treatments, 3)]
    phrases = sorted(index.vocabulary["phrases"])
    facets = {
        facet["name"]: [value["slug"] for value in facet["values"]]
        for facet in index.manifest["facets"]
    }
    grid: list[tuple[str, dict[str, str]]] = [(word, {}) for word in words]
    grid += [(f"{a} {b}", {}) for a, b in itertools.pairwise(words)]
    grid += [(phrase, {}) for phrase in phrases[:: max(1, len(phrases) // 25)]]
    grid += [
        ("hydrocodone", {}), ("neurontin", {}), ("mri l-spine", {}), ("acupunture", {}),
        ("norco 10/325", {}), ("mtus chronic pain", {}), ("acoem low back", {}), ("pt", {}),
        ("therapy", {"outcome": "overturned"}), ("physical therapy lumbar", {}),
    ]  # fmt: skip
    grid += [(words[0], {"outcome": slug}) for slug in facets["outcome"]]
    grid += [(f"{words[1]} {words[4]}", {"year": slug}) for slug in facets["year"]]
    grid += [("", {"outcome": facets["outcome"][0], "year": slug}) for slug in facets["year"]]
    grid += [("", {"category": slug}) for slug in facets["category"][:4]]
    grid.append(("zzqxj", {}))
    return grid


def test_the_browser_finds_what_the_index_holds(sample_site: Path, browser: Browser) -> None:
    """For queries over common and rare words, phrases and filters, the page's search gives the
    items a separate reading of the index files gives, in the same order, grouped into the same
    determinations."""
    index = SiteIndex(sample_site)
    grid = _query_grid(index)
    expected = [index.search(query, filters) for query, filters in grid]
    kinds = {
        (read, kind)
        for read in ("word", "treatment", "facet", "concept")
        for kind in (KIND_BITMAP, KIND_LIST)
    }
    assert kinds - {("facet", KIND_LIST)} <= index.kinds_read  # every encoding is exercised
    assert sum(1 for docs in expected if len(docs) > 1) > len(grid) // 3
    assert any(docs != sorted(docs, reverse=True) for docs in expected)  # ranked, not only dated
    with serve(sample_site) as base:
        page = browser.new_page()
        page.goto(f"{base}search/")
        found = page.evaluate(
            "grid => Promise.all(grid.map(([q, filters]) => window.imrSearchDocs(q, filters)))",
            grid,
        )
        grouped = page.evaluate(
            "grid => Promise.all(grid.map(([q, f]) => window.imrSearchDeterminations(q, f)))",
            grid,
        )
    assert found == expected
    assert grouped == [index.determinations(docs) for docs in expected]


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


def test_a_brand_finds_the_generic_item_and_the_reverse(
    sample_site: Path, browser: Browser
) -> None:
    """The sample's items name Norco and gabapentin; a search for the generic hydrocodone or the
    brand Neurontin finds them, and every result is such an item."""
    with serve(sample_site) as base:
        page = browser.new_page()
        search(page, base, "hydrocodone")
        norco = shown_items(page)
        assert norco and all("Norco" in item for item in norco), norco
        search(page, base, "Neurontin")
        gabapentin = shown_items(page)
        assert gabapentin and all("Gabapentin" in item for item in gabapentin), gabapentin
        search(page, base, "Norco")
        assert sorted(shown_items(page)) == sorted(norco)


def test_an_outcome_filter_shows_only_items_with_that_outcome(
    sample_site: Path, browser: Browser
) -> None:
    """Filters count and select items: a letter with an overturned EMG and an upheld
    acupuncture item is not an overturned acupuncture result."""
    index = SiteIndex(sample_site)
    with serve(sample_site) as base:
        page = browser.new_page()
        for query, outcome in (("", "overturned"), ("therapy", "overturned"), ("MRI", "upheld")):
            search(page, base, query, outcome=outcome)
            badges = page.locator("#imr-results .imr-badge").all_inner_texts()
            assert badges and {badge.lower() for badge in badges} == {outcome}, (query, badges)
            docs = page.evaluate(
                "([q, o]) => window.imrSearchDocs(q, {outcome: o})", [query, outcome]
            )
            assert all(index.card(doc)[5] == outcome for doc in docs)
        counts = {
            value["slug"]: value["count"]
            for facet in index.manifest["facets"]
            if facet["name"] == "outcome"
            for value in facet["values"]
        }
        assert sum(counts.values()) == index.documents  # an item has one outcome


def test_a_category_browse_lists_each_determination_once(
    sample_site: Path, browser: Browser
) -> None:
    index = SiteIndex(sample_site)
    categories = next(f for f in index.manifest["facets"] if f["name"] == "category")["values"]
    with serve(sample_site) as base:
        page = browser.new_page()
        for value in categories:
            expected = {
                index.determination_of[doc] for doc in index.facet("category", value["slug"])
            }
            listed: list[str] = []
            for number in range(1, 20):
                search(page, base, "", category=value["slug"], page=str(number))
                listed += determinations_listed(page)
                if page.locator("#imr-search-pager a[rel=next]").count() == 0:
                    break
            assert len(listed) == len(set(listed)) == len(expected), value["slug"]
            status = page.locator("#imr-search-status").inner_text()
            assert (
                f"{value['count']} item" in status and f"in {len(expected)} determination" in status
            )


def test_decided_items_come_first_and_mentions_on_request(
    sample_site: Path, browser: Browser
) -> None:
    """Results are items whose treatment matches; letters that only mention the words elsewhere
    are offered behind a link, and listed after them when asked for."""
    index = SiteIndex(sample_site)
    with serve(sample_site) as base:
        page = browser.new_page()
        decided = search(page, base, "acupuncture")
        assert decided and all("cupuncture" in title for title in decided)
        more = page.locator("#imr-search-status a.imr-search__mentions")
        assert more.count() == 1
        more.click()
        page.wait_for_selector("body[data-imr-search=done]")
        assert "mentions=1" in page.url
        everything: list[str] = []
        for number in range(1, 10):
            everything += search(page, base, "acupuncture", mentions="1", page=str(number))
            if page.locator("#imr-search-pager a[rel=next]").count() == 0:
                break
        assert everything[: len(decided)] == decided and len(everything) > len(decided)
        assert index.determinations(index.search("acupuncture", {}, mentions=True))


def test_a_snippet_shows_the_match(sample_site: Path, browser: Browser) -> None:
    with serve(sample_site) as base:
        page = browser.new_page()
        search(page, base, "hydrocodone")
        marks = page.locator("#imr-results .imr-result__snippet mark").all_inner_texts()
        assert marks and any(re.search(r"norco|hydrocodone", m, re.IGNORECASE) for m in marks)


def test_results_are_newest_first(sample_site: Path, browser: Browser) -> None:
    """Items are numbered oldest first in the index; the page shows them newest first."""
    with serve(sample_site) as base:
        tab = browser.new_page()
        for query, filters in (("", {"outcome": "upheld"}), ("injured worker", {})):
            facts: list[str] = []
            for number in ("1", "2", "3", "4", "5"):
                search(tab, base, query, page=number, **filters)
                facts += tab.locator("#imr-results .imr-result__from").all_inner_texts()
                if tab.locator("#imr-search-pager a[rel=next]").count() == 0:
                    break
            years = [int(found[0]) for text in facts if (found := re.findall(r"\b20\d\d\b", text))]
            assert len(years) > 5 and len(set(years)) > 1, facts
            assert years == sorted(years, reverse=True), query

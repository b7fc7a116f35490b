"""Stage 4: record text is escaped in every page body; titles say treatment and outcome; links are
relative for both URL styles."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import attr, found
from mkdocs.utils import _norm_parts, get_relative_url

from generator import theme
from generator.anonymize import PublicDetermination, PublicItem
from generator.cards import Card, card_of, outcome_text, page_title
from generator.classify import classify
from generator.crosslink import index_of_cards
from generator.exports import ExportFile, export_files
from generator.render import (
    BodyRenderer,
    listing_pages,
    paragraphs,
    safe_title,
    template_environment,
)
from generator.settings import LISTING_PAGE_SIZE, PART_SIZE
from generator.urls import Urls, relative_url


def determination(*decisions: str, treatment: str = "Norco 10/325mg #120") -> PublicDetermination:
    items = tuple(
        PublicItem(number, treatment, decision, None, None, "Because.", None)  # type: ignore[arg-type]
        for number, decision in enumerate(decisions, start=1)
    )
    return PublicDetermination("abc", 2016, "40–49", "male", None, (), items, "Summary.", True, 1)


def card(public: PublicDetermination) -> Card:
    return card_of(public, classify(public))


def test_paragraphs_join_wrapped_lines() -> None:
    assert paragraphs("one\ntwo  \n\n\n three\n") == ["one two", "three"]


def test_titles_state_treatment_and_outcome() -> None:
    assert page_title(("Norco 10/325mg #120",), ("upheld",)) == "Norco 10/325mg #120 — upheld"
    assert (
        page_title(("A", "B"), ("overturned", "overturned")) == "A and 1 more item — all overturned"
    )
    assert outcome_text(("upheld", "overturned", "upheld")) == "2 of 3 upheld"
    long = card(determination("upheld", treatment="x" * 200)).title
    assert long.startswith("x" * 89 + "…") and long.endswith("— upheld")
    for decision in ("upheld", "overturned"):  # a card's title, worked out when asked for
        for treatment in ("Norco 10/325mg #120", "y" * 90, "y" * 91):
            one = card(determination(decision, treatment=treatment))
            assert one.title == page_title((treatment,), (decision,)), (decision, treatment)


def test_safe_title_cannot_open_a_tag() -> None:
    assert safe_title('a <b> & "c"') == 'a ‹b› &amp; "c"'


def test_record_text_is_escaped_and_links_are_relative(tmp_path: Path) -> None:
    nasty = determination("upheld", treatment="<script>alert(1)</script> & *x*")
    nasty_card = card(nasty)
    index = index_of_cards([nasty_card], tmp_path)
    env = template_environment()
    for urls, year_link in (
        (Urls(True), "../../years/2016/"),
        (Urls(False), "../../years/2016/index.html"),
    ):
        body = BodyRenderer(env, urls).determination(nasty, nasty_card, index, related=())
        page = BeautifulSoup(body.html, "html.parser")
        assert not page.find("script")
        assert (
            found(page.select_one("h3#item-1")).get_text() == "1. <script>alert(1)</script> & *x*"
        )
        assert attr(page.select_one(".imr-facts a"), "href") == year_link
        assert [entry.anchor for entry in body.toc] == ["summary", "items"]
        assert [entry.anchor for entry in body.toc[1].children] == ["item-1"]


def test_listing_pages_show_every_row_once_and_count_from_the_oldest() -> None:
    size = LISTING_PAGE_SIZE
    for total in (0, 1, size - 1, size, 2 * size - 1, 2 * size, 5 * size + 37):
        pages = listing_pages("years/2016", total)
        rows = [row for page in pages for row in range(page.start, page.end)]
        assert rows == list(range(total)), total  # newest first, each row once
        assert pages[0].key == "years/2016"
        assert size <= pages[0].end < 2 * size or pages[0].end == total < 2 * size
        for page in pages[1:]:
            assert page.key == f"years/2016/page/{page.number}"
            assert page.end - page.start == size
            # page k holds the k-th hundred counted from the oldest, whatever the total
            assert (page.first_row, page.last_row) == (
                (page.number - 1) * size + 1,
                page.number * size,
            )
        keys = [page.key for page in pages]
        assert [page.older_key for page in pages] == [*keys[1:], None]
        assert [page.newer_key for page in pages] == [None, *keys[:-1]]


def test_export_files_are_years_cut_into_parts_counted_from_the_oldest() -> None:
    def dated(year: int | None, number: int) -> Card:
        public = determination("upheld", "overturned")
        return card(replace(public, public_id=f"d{year}-{number}", year=year))

    size = PART_SIZE
    cards = [dated(2017, n) for n in range(3)]
    cards += [dated(2016, n) for n in range(2 * size + 5)] + [dated(None, 0)]
    files = export_files([c.year for c in cards], [len(c.items) for c in cards])
    assert [(f.year, f.part, f.determinations) for f in files] == [
        ("2017", 1, 3), ("2016", 3, 5), ("2016", 2, size), ("2016", 1, size), ("undated", 1, 1),
    ]  # fmt: skip
    assert [(f.start, f.end) for f in files] == [
        (0, 3), (3, 8), (8, 8 + size), (8 + size, 8 + 2 * size), (8 + 2 * size, 9 + 2 * size),
    ]  # fmt: skip
    assert all(f.items == 2 * f.determinations for f in files)
    assert (
        files[1].json_path == "2016/determinations-3.json"
        and files[1].csv_path == "2016/items-3.csv"
    )
    # Newer determinations of 2016 fill its newest part; the older parts keep their rows.
    newer_cards = cards[:3] + [dated(2016, -n) for n in range(1, 4)] + cards[3:]
    newer = export_files([c.year for c in newer_cards], [len(c.items) for c in newer_cards])

    def parts(files: list[ExportFile], cards: list[Card]) -> dict[tuple[str, int], list[str]]:
        return {(f.year, f.part): [c.public_id for c in cards[f.start : f.end]] for f in files}

    before, after = parts(files, cards), parts(newer, newer_cards)
    assert len(after[("2016", 3)]) == 8
    assert {k: v for k, v in after.items() if k != ("2016", 3)} == {
        k: v for k, v in before.items() if k != ("2016", 3)
    }


def test_a_pages_file_is_found_from_its_url_in_both_url_styles() -> None:
    for urls in (Urls(True), Urls(False)):
        for key in ("", "years/2016", "guidelines/mtus-chronic-pain-2009/opioids"):
            assert urls.output_path_of_url(urls.url(key)) == urls.output_path(key), (urls, key)


def test_mkdocs_path_cache_is_emptied_once_it_holds_its_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``ThemeWriter.page_html`` calls MkDocs' ``get_context``, which caches every page's URL."""
    monkeypatch.setattr(theme, "MKDOCS_PATH_CACHE_LIMIT", 10)
    _norm_parts.cache_clear()
    for number in range(9):  # and ".": ten paths
        get_relative_url(".", f"determinations/{number}/")
    theme.bound_mkdocs_path_cache()
    assert _norm_parts.cache_info().currsize == 10
    get_relative_url(".", "determinations/ten/")
    theme.bound_mkdocs_path_cache()
    assert _norm_parts.cache_info().currsize == 0


def test_relative_links_are_mkdocs_own_without_its_cache_of_every_page() -> None:
    """``relative_url`` gives what MkDocs' ``get_relative_url`` gives, for page URLs of both URL
    styles, files and folders, and leaves MkDocs' cache of paths alone."""
    pages = ["./", "index.html", "years/", "years/2016/", "years/2016/index.html", "data/"]
    pages += ["determinations/abc/", "determinations/xyz/", "determinations/abc/index.html"]
    pages += ["guidelines/acoem/", "guidelines/acoem/low-back/", "guidelines/acoem/page-2/"]
    files = ["assets/style.css", "search/data/", "data/determinations.csv", "/sitemap.xml", ""]
    _norm_parts.cache_clear()
    for url in pages + files:
        for other in pages:
            assert relative_url(url, other) == get_relative_url(url, other), (url, other)
    mkdocs_cached = _norm_parts.cache_info().currsize
    _norm_parts.cache_clear()
    for url in pages + files:
        for other in pages:
            relative_url(url, other)
    assert mkdocs_cached > 0 and _norm_parts.cache_info().currsize == 0
    urls = Urls()
    assert urls.relative("determinations/xyz", "determinations/abc") == "../xyz/"
    assert urls.relative_file("assets/style.css", "years/2016") == "../../assets/style.css"

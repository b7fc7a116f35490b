"""Stage 4: record text is escaped in every page body; titles say treatment and outcome; links are
relative for both URL styles."""

from __future__ import annotations

from bs4 import BeautifulSoup

from generator.anonymize import PublicDetermination, PublicItem
from generator.cards import Card, card_of, outcome_text, page_title
from generator.classify import classify
from generator.crosslink import build_index
from generator.render import (
    LISTING_PAGE_SIZE,
    BodyRenderer,
    listing_pages,
    paragraphs,
    safe_title,
    template_environment,
)
from generator.urls import Urls


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


def test_safe_title_cannot_open_a_tag() -> None:
    assert safe_title('a <b> & "c"') == 'a ‹b› &amp; "c"'


def test_record_text_is_escaped_and_links_are_relative() -> None:
    nasty = determination("upheld", treatment="<script>alert(1)</script> & *x*")
    nasty_card = card(nasty)
    index = build_index([nasty_card])
    env = template_environment()
    for urls, year_link in (
        (Urls(True), "../../years/2016/"),
        (Urls(False), "../../years/2016/index.html"),
    ):
        body = BodyRenderer(env, urls).determination(nasty, nasty_card, index)
        page = BeautifulSoup(body.html, "html.parser")
        assert not page.find("script")
        assert page.select_one("h3#item-1").get_text() == "1. <script>alert(1)</script> & *x*"
        assert page.select_one(".imr-facts a")["href"] == year_link
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

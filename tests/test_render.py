"""Stage 4: text from records is escaped for Markdown and HTML; titles say treatment and outcome."""

from __future__ import annotations

import markdown

from generator.anonymize import PublicDetermination, PublicItem
from generator.render import markdown_text, outcome_text, page_title, paragraphs, title_meta


def determination(*decisions: str, treatment: str = "Norco 10/325mg #120") -> PublicDetermination:
    items = tuple(
        PublicItem(number, treatment, decision, None, None, "Because.", None)  # type: ignore[arg-type]
        for number, decision in enumerate(decisions, start=1)
    )
    return PublicDetermination("abc", 2016, "40–49", "male", None, (), items, "Summary.", True, 1)


def test_markdown_text_renders_literally() -> None:
    nasty = "<script>alert(1)</script> *Norco* [x](y) #120 1. _a_ `b` | c { #id } & d"
    html = markdown.markdown(f"{markdown_text(nasty)}", extensions=["tables", "attr_list"])
    assert html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; *Norco* [x](y) #120 1. _a_ `b` | c { #id } &amp; d</p>"
    )


def test_paragraphs_join_wrapped_lines() -> None:
    assert paragraphs("one\ntwo  \n\n\n three\n") == ["one two", "three"]


def test_titles_state_treatment_and_outcome() -> None:
    assert page_title(determination("upheld")) == "Norco 10/325mg #120 — upheld"
    assert page_title(determination("overturned", "overturned")) == (
        "Norco 10/325mg #120 and 1 more item — all overturned"
    )
    assert outcome_text(determination("upheld", "overturned", "upheld")) == "2 of 3 upheld"
    long = page_title(determination("upheld", treatment="x" * 200))
    assert long.startswith("x" * 89 + "…") and long.endswith("— upheld")


def test_title_meta_cannot_open_a_tag() -> None:
    assert title_meta('a <b> & "c"') == '"a ‹b› &amp; \\"c\\""'

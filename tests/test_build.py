"""End to end: the bundled sample built with MkDocs in strict mode, checked with an HTML parser."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import SAMPLE, VALID_RECORD, attr, build, found, site_text_files, soup, write_record

from generator.anonymize import DEMO_SECRET, public_id
from generator.records import load_records


def test_one_page_per_record_with_every_item_and_decision(sample_site: Path) -> None:
    records = load_records(SAMPLE)
    assert len(records) >= 30
    pages = sorted((sample_site / "determinations").glob("*/index.html"))
    assert len(pages) == len(records)
    for record in records:
        page = soup(
            sample_site
            / "determinations"
            / public_id(record.meta.case_number, DEMO_SECRET)
            / "index.html"
        )
        items = page.select("div.imr-item")
        assert [div["data-decision"] for div in items] == [
            item.decision for item in record.meta.items
        ]
        headings = [" ".join(h.get_text().split()) for h in page.select("h3[id^=item-]")]
        expected = [
            f"{n}. {' '.join(item.treatment.split())}"
            for n, item in enumerate(record.meta.items, 1)
        ]
        assert headings == expected
        badges = [b.get_text() for b in page.select("p.imr-decision .imr-badge")]
        assert badges == [item.decision.title() for item in record.meta.items]
        assert page.select_one("p.imr-synthetic") is not None
        year = str(record.meta.decision_date.year) if record.meta.decision_date else "not stated"
        facts = {
            dt.get_text(): found(dt.find_next_sibling("dd")).get_text()
            for dt in page.select(".imr-facts dt")
        }
        assert facts["Decision year"] == year
        assert facts["Reviewer specialty"] == (record.meta.reviewer.specialty or "not stated")


def test_home_page_counts_match_the_records(sample_site: Path) -> None:
    records = load_records(SAMPLE)
    items = [item for record in records for item in record.meta.items]
    upheld = sum(item.decision == "upheld" for item in items)
    stats = [
        p.get_text(" ", strip=True) for p in soup(sample_site / "index.html").select(".imr-stats p")
    ]
    assert stats[0] == f"{len(records)} determinations"
    assert stats[1] == f"{len(items)} disputed items"
    assert stats[2] == f"{upheld} items upheld"
    assert stats[3].startswith(f"{len(items) - upheld} items overturned (")


def test_every_determination_is_listed_under_exactly_one_year(sample_site: Path) -> None:
    listed: list[str] = []
    for page in sorted((sample_site / "years").glob("*/index.html")):
        listed += [
            attr(a, "href").split("/")[-2]
            for a in soup(page).select("td.imr-determination a[href*='determinations/']")
        ]
    assert sorted(listed) == sorted(p.name for p in (sample_site / "determinations").iterdir())


def test_determination_pages_are_out_of_the_navigation(sample_site: Path) -> None:
    for page in [
        sample_site / "index.html",
        *list((sample_site / "determinations").glob("*/index.html"))[:3],
    ]:
        nav_links = [a["href"] for a in soup(page).select("nav.md-nav--primary a[href]")]
        assert nav_links, page
        assert not [href for href in nav_links if "determinations/" in href]


def test_no_case_number_or_full_date_reaches_any_output_file(sample_site: Path) -> None:
    records = load_records(SAMPLE)
    case_numbers = {record.meta.case_number for record in records}
    pattern = re.compile("|".join(map(re.escape, case_numbers)))
    for path in site_text_files(sample_site):
        text = path.read_text(encoding="utf-8")
        assert not pattern.search(text), path
        assert not pattern.search(str(path)), path


def test_record_text_cannot_inject_markup(tmp_path: Path) -> None:
    evil = (
        VALID_RECORD.replace(
            "MRI of the right shoulder without contrast", "MRI <script>alert('t')</script>"
        ).replace(
            "imaging is not indicated", "<img src=x onerror=alert(1)> [link](javascript:alert(2))"
        )
        + "\n<iframe src='https://example.org'></iframe>\n"
    )
    write_record(tmp_path / "content", "evil.md", evil)
    result = build(tmp_path / "content", tmp_path / "site")
    assert result.code == 0, result.stderr
    for page in (tmp_path / "site").rglob("*.html"):
        parsed = soup(page)
        assert not parsed.select("article img, article iframe"), page
        assert all("alert" not in (script.string or "") for script in parsed.find_all("script")), (
            page
        )
        assert not [
            a for a in parsed.find_all("a") if str(a.get("href") or "").startswith("javascript")
        ], page
    page = next((tmp_path / "site" / "determinations").glob("*/index.html"))
    assert "MRI <script>alert('t')</script>" in found(soup(page).select_one("h3#item-1")).get_text()

"""Issue 5 end to end on the built sample: determinations link to guideline and treatment pages and
those link back; a guideline page's figures match the records; no internal link is broken."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from conftest import SAMPLE, soup

from generator.anonymize import DEMO_SECRET, anonymize
from generator.classify import classify
from generator.records import load_records


def resolve(page: Path, href: str, site: Path) -> Path | None:
    """The file an internal link points to, or None for external links."""
    if urlsplit(href).scheme or href.startswith(("//", "mailto:", "#")):
        return None
    path = urldefrag(href).url.split("?")[0]
    # Root-relative links (the 404 page uses them) resolve against the site root.
    base = site if path.startswith("/") else page.parent
    target = (base / path.lstrip("/")).resolve()
    return target / "index.html" if target.is_dir() or not target.suffix else target


def test_no_internal_link_is_broken(sample_site: Path) -> None:
    broken = []
    pages = sorted(sample_site.rglob("*.html"))
    for page in pages:
        for tag in soup(page).find_all(["a", "link", "script", "img"]):
            href = tag.get("href") or tag.get("src")
            target = resolve(page, href, sample_site) if href else None
            if target is not None and not target.is_file():
                broken.append(f"{page.relative_to(sample_site)} -> {href}")
    assert len(pages) > 100
    assert broken == []


def test_citations_and_treatments_link_both_ways(sample_site: Path) -> None:
    for page in sorted((sample_site / "determinations").glob("*/index.html")):
        own = page.parent.name
        links = [a["href"] for a in soup(page).select(".imr-item a[href]")]
        assert any("/guidelines/" in href for href in links), page
        for href in links:
            target = resolve(page, href, sample_site)
            assert target is not None and target.is_file(), href
            if "/page/" in href:
                continue
            pages = [target, *sorted(target.parent.glob("page/*/index.html"))]
            listed = {
                a["href"].rstrip("/").split("/")[-1]
                for listing in pages
                for a in soup(listing).select("table a[href*='determinations/']")
            }
            assert own in listed, f"{href} does not list {own}"


def test_guideline_page_counts_match_the_records(sample_site: Path) -> None:
    counts: Counter[str] = Counter()
    claims: Counter[str] = Counter()
    for record in load_records(SAMPLE):
        for item in classify(anonymize(record, DEMO_SECRET)).items:
            if "mtus-chronic-pain-2009" in item.reviewer.guideline_ids:
                counts[item.decision] += 1
            if "mtus-chronic-pain-2009" in item.claims.guideline_ids:
                claims[item.decision] += 1
    assert counts["upheld"] + counts["overturned"] >= 5
    page = soup(sample_site / "guidelines" / "mtus-chronic-pain-2009" / "index.html")
    stats = [p.get_text(" ", strip=True) for p in page.select(".imr-stats p")]
    assert stats[:3] == [
        f"{counts['upheld'] + counts['overturned']} items",
        f"{counts['upheld']} upheld",
        f"{counts['overturned']} overturned ({100 * counts['overturned'] / (counts['upheld'] + counts['overturned']):.1f}%)",
    ]
    total = claims["upheld"] + claims["overturned"]
    assert (
        f"Claims administrators cited it for {total} items: {claims['upheld']} upheld"
        in page.get_text()
    )
    assert page.select_one("svg.imr-chart title") is not None
    assert page.select_one("a[href^='https://www.dir.ca.gov/']") is not None


def test_navigation_sections(sample_site: Path) -> None:
    nav = [
        a.get_text(strip=True)
        for a in soup(sample_site / "index.html").select("nav.md-nav--primary a")
    ]
    for section in ("Home", "Search", "Guidelines", "Treatments", "Years", "About and method"):
        assert section in nav
    primary = soup(sample_site / "index.html").select(
        "nav.md-nav--primary a[href*='determinations/']"
    )
    assert primary == []

"""Issue 5 end to end on the built sample: determinations link to guideline and treatment pages and
those link back; a guideline page's figures match the records; no internal link is broken."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

from conftest import SAMPLE, attr, found, soup
from test_figures import CHRONIC, OPIOIDS
from test_render import card

from generator.anonymize import DEMO_SECRET, PublicDetermination, PublicItem, anonymize
from generator.cards import Card
from generator.classify import classify
from generator.crosslink import index_of_cards, related_places
from generator.records import load_records
from generator.store import CLAIMS, REVIEWER


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
            href = str(tag.get("href") or tag.get("src") or "")
            target = resolve(page, href, sample_site) if href else None
            if target is not None and not target.is_file():
                broken.append(f"{page.relative_to(sample_site)} -> {href}")
    assert len(pages) > 100
    assert broken == []


def test_citations_and_treatments_link_both_ways(sample_site: Path) -> None:
    for page in sorted((sample_site / "determinations").glob("*/index.html")):
        own = page.parent.name
        links = [attr(a, "href") for a in soup(page).select(".imr-item a[href]")]
        assert any("/guidelines/" in href for href in links), page
        for href in links:
            target = resolve(page, href, sample_site)
            assert target is not None and target.is_file(), href
            if "/page/" in href:
                continue
            pages = [target, *sorted(target.parent.glob("page/*/index.html"))]
            listed = {
                attr(a, "href").rstrip("/").split("/")[-1]
                for listing in pages
                for a in soup(listing).select("td.imr-determination a[href*='determinations/']")
            }
            assert own in listed, f"{href} does not list {own}"


def test_guideline_page_counts_match_the_records(sample_site: Path) -> None:
    """Reviewer and claims-administrator citations counted apart, in items and determinations."""
    counts: Counter[str] = Counter()
    claims: Counter[str] = Counter()
    reviewer_determinations = claims_determinations = 0
    for record in load_records(SAMPLE):
        items = classify(anonymize(record, DEMO_SECRET)).items
        reviewer_determinations += any(GUIDELINE in i.reviewer.guideline_ids for i in items)
        claims_determinations += any(GUIDELINE in i.claims.guideline_ids for i in items)
        for item in items:
            if GUIDELINE in item.reviewer.guideline_ids:
                counts[item.decision] += 1
            if GUIDELINE in item.claims.guideline_ids:
                claims[item.decision] += 1
    reviewer_items = counts["upheld"] + counts["overturned"]
    assert reviewer_items >= 5 and reviewer_determinations != claims_determinations
    page = soup(sample_site / "guidelines" / GUIDELINE / "index.html")
    stats = [p.get_text(" ", strip=True) for p in page.select(".imr-stats p")]
    assert stats == [
        f"{reviewer_items} items",
        f"{counts['upheld']} items upheld",
        f"{counts['overturned']} items overturned ({100 * counts['overturned'] / reviewer_items:.1f}%)",
        f"{reviewer_determinations} determinations",
    ]
    reviewers = found(page.select_one("#cited-by-reviewers")).get_text(" ", strip=True)
    assert reviewers.startswith(
        f"Cited by IMR reviewers: {reviewer_items} items in {reviewer_determinations} determinations;"
    )
    total = claims["upheld"] + claims["overturned"]
    by_claims = found(page.select_one("#cited-by-claims-administrators")).get_text(" ", strip=True)
    assert by_claims.startswith(
        f"Cited by claims administrators: {total} items in {claims_determinations} determinations:"
        f" {claims['upheld']} upheld"
    )
    assert page.select_one("svg.imr-chart title") is not None
    assert page.select_one("a[href^='https://www.dir.ca.gov/']") is not None


GUIDELINE = "mtus-chronic-pain-2009"


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


def test_related_determinations_are_the_nearest_precedents_then_the_nearest_later_ones(
    tmp_path: Path,
) -> None:
    def determination(number: int, *treatments: str) -> Card:
        items = tuple(
            PublicItem(
                n,
                treatment,
                "upheld",
                None,
                OPIOIDS if "Norco" in treatment else CHRONIC,
                "Because.",
                None,
            )
            for n, treatment in enumerate(treatments, start=1)
        )
        public = PublicDetermination(
            f"id{number:04d}", 2016, "40–49", "male", None, (), items, "Synthetic.", True, number
        )
        return card(public)

    site = [determination(n, "Norco 10/325mg #120") for n in range(8)]
    site += [determination(n, "Acupuncture 6 sessions") for n in range(8, 11)]
    site.append(determination(11, "Norco 10/325mg #120", "Acupuncture 6 sessions"))
    site.append(determination(12, "Ibuprofen 800mg #90"))  # no other determination like it
    index = index_of_cards(site, tmp_path)
    places = {card.public_id: place for place, card in enumerate(index.cards)}

    def numbers(number: int) -> list[int]:
        related = related_places(index.store, places[site[number].public_id])
        return [int(index.cards[place].public_id[2:]) for place in related]

    assert numbers(7) == [6, 5, 4, 3, 2]  # the nearest earlier ones, newest first
    assert numbers(0) == [5, 4, 3, 2, 1]  # the first of its group: the nearest later ones
    assert numbers(2) == [5, 4, 3, 1, 0]
    # In two groups: the nearest of each first (ties: the newer), then the next nearest.
    assert numbers(11) == [10, 9, 8, 7, 6]
    assert numbers(12) == [] and numbers(12) == []  # asked twice: the same


def sample_cards() -> list[Card]:
    return [card(anonymize(record, DEMO_SECRET)) for record in load_records(SAMPLE)]


def test_a_groups_places_are_its_determinations_once_newest_first(tmp_path: Path) -> None:
    index = index_of_cards(sample_cards(), tmp_path)
    added_by_claims = 0
    for group in index.groups():
        sides = index.store.query(
            "SELECT place, side FROM members WHERE kind = ? AND key = ?", group.kind, group.slug
        )
        own = {place for place, side in sides if side == REVIEWER}
        claims = {place for place, side in sides if side == CLAIMS}
        assert list(group.places) == sorted(own | claims)
        assert group.determination_count == len(own)
        assert group.claims_determination_count == len(claims)
        added_by_claims += bool(claims - own)
    assert added_by_claims > 0  # guidelines that claims administrators' citations add places to

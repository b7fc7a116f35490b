"""Issue 5 end to end on the built sample: determinations link to guideline and treatment pages and
those link back; a guideline page's figures match the records; no internal link is broken."""

from __future__ import annotations

import pickle
from collections import Counter
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from conftest import REPO, SAMPLE, attr, found, site_config, soup
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from test_figures import CHRONIC, OPIOIDS
from test_incremental import tree
from test_render import card

from generator import crosslink
from generator.anonymize import DEMO_SECRET, PublicDetermination, PublicItem, anonymize
from generator.cards import Card
from generator.cardstore import CardStoreWriter
from generator.classify import classify
from generator.crosslink import StoredItems, build_index
from generator.plugin import CONTENT_ENV
from generator.records import load_records
from generator.scratch import ScratchBlobs


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


def test_related_determinations_are_the_nearest_precedents_then_the_nearest_later_ones() -> None:
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
    index = build_index(site)
    places = {card.public_id: place for place, card in enumerate(index.cards)}

    def numbers(number: int) -> list[int]:
        related = index.related.of(places[site[number].public_id])
        return [int(index.cards[place].public_id[2:]) for place in related]

    assert numbers(7) == [6, 5, 4, 3, 2]  # the nearest earlier ones, newest first
    assert numbers(0) == [5, 4, 3, 2, 1]  # the first of its group: the nearest later ones
    assert numbers(2) == [5, 4, 3, 1, 0]
    # In two groups: the nearest of each first (ties: the newer), then the next nearest.
    assert numbers(11) == [10, 9, 8, 7, 6]
    assert numbers(12) == [] and numbers(12) == []  # asked twice: the same


def sample_cards() -> list[Card]:
    return [card(anonymize(record, DEMO_SECRET)) for record in load_records(SAMPLE)]


@pytest.mark.parametrize("piece", [65536, 3])
def test_large_groups_keep_their_items_in_a_scratch_file_and_read_them_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    inline = build_index(sample_cards())
    writer = CardStoreWriter(tmp_path)  # named scratch files: the index pickles
    for card_in_order in inline.cards:
        writer.add(card_in_order)
    monkeypatch.setattr(crosslink, "SPILLED_ITEMS", 2)
    monkeypatch.setattr(crosslink, "SPILLED_PIECE", piece)  # 3: moved while the cards are read
    monkeypatch.setattr(crosslink, "SPILL_CHECK_CARDS", 4)
    spilled = build_index(writer.store(range(len(inline.cards))), spill=ScratchBlobs(tmp_path))
    large = [g for g in spilled.groups() if len(g.items) > 2]
    assert len(large) > 20
    assert all(isinstance(g.items._source, StoredItems) for g in large)
    pieces = [
        len(g.items._source.numbers) for g in large if isinstance(g.items._source, StoredItems)
    ]
    assert max(pieces) == 1 if piece > len(inline.cards) * 20 else max(pieces) > 2
    assert not any(isinstance(g.items._source, StoredItems) for g in inline.groups())
    copy = pickle.loads(pickle.dumps(spilled))  # as the process that renders reads it back
    for kept, group, other in zip(inline.groups(), spilled.groups(), copy.groups(), strict=True):
        assert kept.page_key == group.page_key == other.page_key
        expected = [(ref.card.public_id, ref.item) for ref in kept.items]
        assert [(ref.card.public_id, ref.item) for ref in group.items] == expected
        assert [(ref.card.public_id, ref.item) for ref in other.items] == expected
        assert list(other.items.counted_items()) == list(kept.items.counted_items())
        assert other.outcomes == kept.outcomes and list(other.places) == list(kept.places)
        assert len(other.items[1:]) == max(len(kept.items) - 1, 0)
        places = list(kept.places)
        whole = kept.item_matches().of(places)
        assert other.item_matches().of(places) == whole
        assert [place for place, _items in whole] == places and all(i for _p, i in whole)
        for start in range(0, len(places), 2):  # a listing page's places: a slice of them
            assert other.item_matches().of(places[start : start + 2]) == whole[start : start + 2]
        assert other.determination_count == kept.determination_count
        assert other.claims_determination_count == kept.claims_determination_count


def test_a_site_whose_groups_are_kept_apart_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONTENT_ENV, str(SAMPLE))
    about = (REPO / "content" / "pages" / "about.md").read_text()

    def built(name: str) -> dict[str, bytes]:
        folder = tmp_path / name
        config = load_config(
            str(site_config(folder, {"about.md": about})), site_dir=str(folder / "site")
        )
        config.plugins["imr"].config.cache_dir = ""
        mkdocs_build(config)
        return tree(folder / "site")

    inline = built("inline")
    monkeypatch.setattr(crosslink, "SPILLED_ITEMS", 0)  # every group kept apart
    assert built("spilled") == inline
    monkeypatch.setattr(crosslink, "SPILLED_PIECE", 2)  # and moved in pieces as cards are read
    monkeypatch.setattr(crosslink, "SPILL_CHECK_CARDS", 5)
    assert built("pieces") == inline


def test_a_groups_places_are_its_determinations_once_newest_first() -> None:
    index = build_index(sample_cards())
    added_by_claims = 0
    for group in index.groups():
        own, claims = set(group.items.places()), set(group.claims_items.places())
        assert list(group.places) == sorted(own | claims)
        added_by_claims += bool(claims - own)
    assert added_by_claims > 0  # guidelines that claims administrators' citations add places to

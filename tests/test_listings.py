"""Precedents by disputed item, on a small site built with MkDocs from inline records: listing
rows show the items that belong there with their own decisions, counts say what they count and
agree across pages and exports, related determinations name the item, the About and home pages
say what the site holds."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from conftest import REPO, found, run_cli, site_config, soup, write_record

from generator.records import load_records

OPIOIDS = "MTUS Chronic Pain Medical Treatment Guidelines, Section(s): Opioids."
SHOULDER = "MTUS Shoulder Complaints 2004, Section(s): Special Studies."
CHRONIC = "MTUS Chronic Pain Medical Treatment Guidelines."


def record(case: str, date: str, items: list[tuple[str, str, str, str]], synthetic: bool) -> str:
    """A record whose items are (treatment, decision, claims citation, reviewer citation)."""
    lines = [
        "---",
        f"case_number: {case}",
        f"synthetic: {'true' if synthetic else 'false'}",
        f"decision_date: {date}",
        "worker: {age: 51, sex: female}",
        "reviewer: {specialty: Family Practice, licensure: [California]}",
        "items:",
    ]
    for treatment, decision, claims, reviewer in items:
        lines += [
            f'  - treatment: "{treatment}"',
            f"    decision: {decision}",
            f'    claims_administrator_guideline: "{claims}"',
            f'    reviewer_guideline: "{reviewer}"',
            '    rationale: "The guidelines were applied to the documented findings."',
        ]
    lines += ["---", "The injured worker has chronic shoulder and neck pain (made up).", ""]
    return "\n".join(lines)


def records(folder: Path, synthetic: tuple[bool, bool, bool] = (True, True, True)) -> Path:
    """Three determinations; two decide a hydrocodone item, one of them among other items."""
    write_record(
        folder,
        "a.md",
        record(
            "CM99-9100001",
            "2016-12-01",
            [
                ("Pre-op chest x-ray", "upheld", CHRONIC, SHOULDER),
                ("Norco 10/325mg #120", "overturned", CHRONIC, OPIOIDS),
                ("MRI of the right shoulder", "upheld", SHOULDER, SHOULDER),
            ],
            synthetic[0],
        ),
    )
    write_record(
        folder,
        "b.md",
        record(
            "CM99-9100002",
            "2017-03-01",
            [("Norco 10/325mg #60", "upheld", CHRONIC, OPIOIDS)],
            synthetic[1],
        ),
    )
    write_record(
        folder,
        "c.md",
        record(
            "CM99-9100003",
            "2017-05-01",
            [("MRI of the left shoulder", "overturned", SHOULDER, SHOULDER)],
            synthetic[2],
        ),
    )
    return folder


def config(folder: Path, *options: str) -> Path:
    """The project's mkdocs.yml with its About page and these plugin options."""
    about = (REPO / "content" / "pages" / "about.md").read_text(encoding="utf-8")
    path = site_config(folder, {"about.md": about})
    text = path.read_text(encoding="utf-8")
    marker = "      content: content/determinations"
    assert marker in text
    for option in options:  # an option the project's file sets already is set there
        key = option.split(":")[0] + ":"
        text = re.sub(f"(?m)^{re.escape(key)}.*$", option, text) if key in text else text
    rest = [option for option in options if option not in text]
    path.write_text(text.replace(marker, "\n".join([marker, *rest])), encoding="utf-8")
    return path


def built(tmp_path: Path, synthetic: tuple[bool, bool, bool] = (True, True, True)) -> Path:
    content = records(tmp_path / "content", synthetic)
    site = tmp_path / "site"
    result = run_cli(
        "build", "--strict", "--no-cache", "-f", config(tmp_path / "config"),
        "--content", content, "--site-dir", site,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    return site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built(tmp_path_factory.mktemp("listings"))


def text(node: object) -> str:
    return " ".join(found(node).get_text(" ", strip=True).split())  # type: ignore[arg-type]


def rows(page: Path) -> list[tuple[list[tuple[str, str]], str]]:
    """Each listing row's items ((text, decision) each) and the link to its determination."""
    found_rows = []
    for row in soup(page).select("table.imr-listing tbody tr"):
        items = [
            (text(li.a), str(li["data-decision"])) for li in row.select("ul.imr-listed-items li")
        ]
        link = found(row.select_one("td.imr-determination a"))
        found_rows.append((items, str(link["href"])))
    return found_rows


def test_a_treatment_page_lists_each_matching_item_with_its_own_decision(site: Path) -> None:
    listed = rows(site / "treatments" / "hydrocodone-acetaminophen" / "index.html")
    assert [items for items, _link in listed] == [
        [("Norco 10/325mg #60", "upheld")],
        [("Norco 10/325mg #120", "overturned")],
    ]
    page = soup(site / "treatments" / "hydrocodone-acetaminophen" / "index.html")
    for row, (_items, link) in zip(page.select("table.imr-listing tbody tr"), listed, strict=True):
        hrefs = [str(a["href"]) for a in row.select("ul.imr-listed-items a")]
        assert hrefs and all(re.fullmatch(re.escape(link) + r"#item-\d+", h) for h in hrefs)
    assert "Pre-op chest x-ray" not in text(page.select_one("article"))
    older = found(page.select_one("td.imr-other-items, span.imr-other-items"))
    assert text(older) == "(2 not listed here)"


def test_a_determination_with_several_matching_items_is_one_row(site: Path) -> None:
    listed = rows(site / "treatments" / "category-imaging" / "index.html")
    links = [link for _items, link in listed]
    assert len(links) == len(set(links)) == 2
    assert [items for items, _link in listed] == [
        [("MRI of the left shoulder", "overturned")],
        [("Pre-op chest x-ray", "upheld"), ("MRI of the right shoulder", "upheld")],
    ]
    by_guideline = rows(site / "guidelines" / "acoem-shoulder-2004" / "index.html")
    assert [len(items) for items, _link in by_guideline] == [1, 2]


def test_a_guideline_listing_says_who_cited_it_for_each_item(site: Path) -> None:
    page = soup(site / "guidelines" / "mtus-chronic-pain-2009" / "index.html")
    cited = {
        text(li.a): text(li.select_one(".imr-cited-by"))
        for li in page.select("ul.imr-listed-items li")
    }
    assert cited == {
        "Norco 10/325mg #60": "(cited by the IMR reviewer and claims administrator)",
        "Norco 10/325mg #120": "(cited by the IMR reviewer and claims administrator)",
        "Pre-op chest x-ray": "(cited by the claims administrator)",
    }
    assert text(page.select_one("#cited-by-reviewers")).startswith(
        "Cited by IMR reviewers: 2 items in 2 determinations;"
    )
    assert text(page.select_one("#cited-by-claims-administrators")).startswith(
        "Cited by claims administrators: 3 items in 2 determinations:"
    )


def test_counts_agree_across_home_group_pages_and_exports(site: Path) -> None:
    exported = []
    for path in sorted((site / "data").glob("*/items-*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            exported += list(csv.DictReader(handle))
    decisions = Counter(row["decision"] for row in exported)
    home = [text(p) for p in soup(site / "index.html").select(".imr-stats p")]
    assert home[:3] == [
        "3 determinations",
        "5 disputed items",
        f"{decisions['upheld']} items upheld",
    ]
    assert home[3].startswith(f"{decisions['overturned']} items overturned")
    index_rows = {
        text(tr.td.a): [text(td) for td in tr.select("td")[1:]]
        for tr in soup(site / "treatments" / "index.html").select("tbody tr")
        if tr.td is not None and tr.td.a is not None
    }
    for treatment, count in Counter(row["treatment_id"] for row in exported).items():
        page = soup(site / "treatments" / treatment / "index.html")
        stats = [text(p) for p in page.select(".imr-stats p")]
        assert stats[0] == f"{count} item" + ("s" if count > 1 else "")
        title = text(page.select_one("h1"))
        assert index_rows[title][0] == str(count)
        determinations = {
            row["determination_id"] for row in exported if row["treatment_id"] == treatment
        }
        assert stats[-1].startswith(f"{len(determinations)} determination")
        assert index_rows[title][1] == str(len(determinations))
        assert len(rows(site / "treatments" / treatment / "index.html")) == len(determinations)
    outcome = soup(site / "outcomes" / "overturned" / "index.html")
    assert text(outcome.select_one(".imr-stats p")) == f"{decisions['overturned']} items"
    assert {
        d for items, _ in rows(site / "outcomes" / "overturned" / "index.html") for _t, d in items
    } == {"overturned"}


def test_one_is_never_plural(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert any(re.search(r"\b1 item\b", p.read_text(encoding="utf-8")) for p in pages)
    for page in pages:
        content = page.read_text(encoding="utf-8")
        assert not re.search(r"\b1 (items|determinations)\b", content), page


def test_related_determinations_name_the_item_that_relates(site: Path) -> None:
    pages = {
        text(soup(p).select_one("h1")): soup(p)
        for p in (site / "determinations").glob("*/index.html")
    }
    newest = next(page for title, page in pages.items() if title.startswith("Norco 10/325mg #60"))
    related = [text(li) for li in newest.select("ul.imr-related li")]
    assert related == [
        "Norco 10/325mg #120 — overturned (2016), same treatment (Hydrocodone/acetaminophen) and "
        "guideline (Chronic Pain (2009))"
    ]
    link = found(newest.select_one("ul.imr-related a"))
    assert str(link["href"]).endswith("#item-2")
    several = next(page for title, page in pages.items() if title.startswith("Pre-op chest"))
    assert any(
        li.startswith("MRI of the left shoulder — overturned (2017)")
        and li.endswith("as item 3, MRI of the right shoulder")
        for li in (text(li) for li in several.select("ul.imr-related li"))
    )


@pytest.mark.parametrize(
    ("synthetic", "statement"),
    [
        ((True, True, True), "This site holds a synthetic sample: 3 determinations written"),
        (
            (False, False, False),
            "This site holds 3 determinations anonymized from real IMR final determination letters.",
        ),
        (
            (False, True, False),
            "This site holds 3 determinations: 2 anonymized from real IMR final determination "
            "letters, and 1 synthetic",
        ),
    ],
)
def test_the_about_and_home_pages_say_what_the_site_holds(
    tmp_path: Path,
    request: pytest.FixtureRequest,
    synthetic: tuple[bool, bool, bool],
    statement: str,
) -> None:
    every_synthetic = synthetic == (True, True, True)
    site = request.getfixturevalue("site") if every_synthetic else built(tmp_path, synthetic)
    about = text(soup(site / "about" / "index.html").select_one("article"))
    home = text(soup(site / "index.html").select_one(".imr-content"))
    assert statement in about and home.startswith(statement)
    assert "imr:content" not in (site / "about" / "index.html").read_text(encoding="utf-8")
    has_synthetic_note = soup(site / "index.html").select_one("p.imr-synthetic") is not None
    assert has_synthetic_note == any(synthetic)


CASE_NUMBERS = ("CM99-9100001", "CM99-9100002", "CM99-9100003")


def exported(site: Path) -> tuple[list[dict[str, object]], list[dict[str, str]]]:
    entries: list[dict[str, object]] = []
    rows: list[dict[str, str]] = []
    for path in sorted((site / "data").glob("*/determinations-*.json")):
        entries += json.loads(path.read_text(encoding="utf-8"))
    for path in sorted((site / "data").glob("*/items-*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    return entries, rows


def test_case_numbers_stay_hashed_by_default(site: Path) -> None:
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        assert not any(case.encode() in data for case in CASE_NUMBERS), path
    assert not list(site.rglob("*.imr-case-number"))
    entries, rows = exported(site)
    assert {entry["case_number"] for entry in entries} == {None}
    assert {row["case_number"] for row in rows} == {""}
    for page in (site / "determinations").glob("*/index.html"):
        assert soup(page).select_one(".imr-case-number") is None


def test_the_opt_in_shows_each_case_number_on_its_page_and_in_the_exports(tmp_path: Path) -> None:
    content = records(tmp_path / "content")
    site = tmp_path / "site"
    result = run_cli(
        "build", "--strict", "--no-cache", "-f",
        config(tmp_path / "config", "      show_case_numbers: true"),
        "--content", content, "--site-dir", site,
    )  # fmt: skip
    assert result.code == 0, result.stderr  # the leak audit (on) lets the shown numbers pass
    shown = {
        text(soup(page).select_one("h1")).split(" — ")[0]: text(
            soup(page).select_one("dd.imr-case-number")
        )
        for page in (site / "determinations").glob("*/index.html")
    }
    assert shown == {
        "Pre-op chest x-ray and 2 more items": "CM99-9100001",
        "Norco 10/325mg #60": "CM99-9100002",
        "MRI of the left shoulder": "CM99-9100003",
    }
    entries, rows = exported(site)
    assert sorted(str(entry["case_number"]) for entry in entries) == list(CASE_NUMBERS)
    by_id = {str(entry["id"]): entry["case_number"] for entry in entries}
    assert {row["determination_id"]: row["case_number"] for row in rows} == by_id


def test_reviewer_licensure_has_a_listing_by_state_from_its_registry_entry(
    sample_site: Path,
) -> None:
    """Listings by the reviewer's licensure state: one entry in ``groups.KINDS`` and one in
    ``groups.FOLDERS`` (the kind added to prove the registry), listed under Browse, linked from
    each determination, counting what the records say."""
    records = load_records(REPO / "content" / "determinations")
    by_state: Counter[str] = Counter(
        state for record in records for state in dict.fromkeys(record.meta.reviewer.licensure)
    )
    assert len(by_state) > 5
    index = soup(sample_site / "licensure" / "index.html")
    rows = {
        found(row.find("a")).get_text(strip=True): row
        for row in index.select("table tbody tr")
        if row.find("a")
    }
    assert sorted(rows) == sorted(by_state)
    for state, count in by_state.items():
        slug = re.sub(r"[^a-z0-9]+", "-", state.lower()).strip("-")
        page = soup(sample_site / "licensure" / slug / "index.html")
        assert found(page.find("h1")).get_text(strip=True) == f"Reviewers licensed in {state}"
        assert len(page.select("table.imr-listing tbody tr")) == min(count, 199)
    nav = [a.get_text(strip=True) for a in index.select("nav.md-nav--primary a.md-nav__link")]
    assert nav.index("Reviewer licensure") == nav.index("Outcomes") + 1
    determination = next((sample_site / "determinations").glob("*/index.html"))
    facts = found(soup(determination).find("dl", class_="imr-facts"))
    licensure = found(
        next(dt for dt in facts.find_all("dt") if "licensure" in dt.text).find_next("dd")
    )
    assert all(str(a["href"]).startswith("../../licensure/") for a in licensure.find_all("a"))
    assert licensure.find_all("a") or licensure.get_text() == "not stated"

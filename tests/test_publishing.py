"""Issue 7: a site any static host can serve (subpath, sitemap, robots, feed, no outside requests),
data exports matching the records, byte-identical rebuilds and robustness against bad input."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import CHROMIUM, CHROMIUM_ARGS, require_chromium, serve
from conftest import SAMPLE, VALID_RECORD, build, run_cli, soup, write_record

from generator.anonymize import DEMO_SECRET, public_id
from generator.ownership import SITE_MARKER, SITE_MARKER_TEXT, claim, release
from generator.publish import BACKGROUND_FILES, make_spare, remove_leftovers, staged_site
from generator.records import load_records
from generator.theme import SAFE_KEY

SITE_URL = "https://example.org/imr/"


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("subpath") / "site"
    result = build(SAMPLE, site, "--site-url", SITE_URL)
    assert result.code == 0, result.stderr
    return site


def tree(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_exports_hold_every_determination_and_item(subpath_site: Path) -> None:
    records = load_records(SAMPLE)
    data = subpath_site / "data"
    files = json.loads((data / "files.json").read_text(encoding="utf-8"))
    years = [file["year"] for file in files]
    assert years == sorted(years, reverse=True) and len(set(years)) == len(years) > 1
    entries, rows = [], []
    for file in files:
        part = json.loads((data / file["json"]).read_text(encoding="utf-8"))
        assert {str(entry["decision_year"] or "undated") for entry in part} == {file["year"]}
        assert len(part) == file["determinations"]
        entries += part
        with (data / file["csv"]).open(encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    ids = {public_id(r.meta.case_number, DEMO_SECRET) for r in records}
    assert {entry["id"] for entry in entries} == ids and len(entries) == len(records)
    assert all(entry["url"] == f"{SITE_URL}determinations/{entry['id']}/" for entry in entries)
    assert len(rows) == sum(len(r.meta.items) for r in records)
    by_id = {public_id(r.meta.case_number, DEMO_SECRET): r for r in records}
    for entry in entries:
        record = by_id[entry["id"]]
        assert [i["decision"] for i in entry["items"]] == [i.decision for i in record.meta.items]
        assert entry["decision_year"] == (
            record.meta.decision_date.year if record.meta.decision_date else None
        )
        # Case numbers are shown only with show_case_numbers: the key is there, empty
        assert entry["case_number"] is None
        assert record.meta.case_number not in json.dumps(entry)
    assert all(row["case_number"] == "" for row in rows)
    assert rows[0]["determination_id"] == entries[0]["id"]


def test_sitemap_robots_and_feed(subpath_site: Path) -> None:
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [
        loc.text or ""
        for loc in ET.parse(subpath_site / "sitemap.xml")
        .getroot()
        .findall("s:url/s:loc", namespace)
    ]
    pages = [
        p.parent.relative_to(subpath_site).as_posix() for p in subpath_site.rglob("index.html")
    ]
    assert sorted(locs) == sorted(SITE_URL + (page + "/" if page != "." else "") for page in pages)
    assert (
        subpath_site / "robots.txt"
    ).read_text() == f"User-agent: *\nAllow: /\nSitemap: {SITE_URL}sitemap.xml\n"
    items = ET.parse(subpath_site / "feed.xml").getroot().findall("channel/item")
    assert 0 < len(items) <= 50
    assert all(item.findtext("link", "").startswith(f"{SITE_URL}determinations/") for item in items)
    canonical = soup(next((subpath_site / "determinations").glob("*/index.html"))).select_one(
        "link[rel=canonical]"
    )
    assert canonical is not None and str(canonical["href"]).startswith(f"{SITE_URL}determinations/")


def test_no_page_asks_for_anything_outside_the_site(subpath_site: Path) -> None:
    for page in subpath_site.rglob("*.html"):
        parsed = soup(page)
        for tag in parsed.find_all(["script", "link", "img", "iframe"]):
            url = tag.get("src") or (
                tag.get("href")
                if tag.name == "link" and "canonical" not in (tag.get("rel") or [])
                else None
            )
            assert not url or not str(url).startswith(("http://", "https://", "//")), (page, url)


def test_two_builds_are_byte_identical(tmp_path: Path, subpath_site: Path) -> None:
    again = tmp_path / "again"
    result = build(SAMPLE, again, "--site-url", SITE_URL)
    assert result.code == 0, result.stderr
    assert tree(again) == tree(subpath_site)


def test_keep_going_publishes_the_valid_records_and_lists_the_rest(tmp_path: Path) -> None:
    content = tmp_path / "content"
    write_record(content, "good.md", VALID_RECORD)
    write_record(
        content,
        "bad.md",
        VALID_RECORD.replace("CM99-9000001", "CM99-9000002").replace(
            "decision: upheld", "decision: maybe"
        ),
    )
    write_record(content, "twin-a.md", VALID_RECORD.replace("CM99-9000001", "CM99-9000003"))
    write_record(content, "twin-b.md", VALID_RECORD.replace("CM99-9000001", "cm99-9000003 "))
    result = build(content, tmp_path / "site", "--keep-going")
    assert result.code == 0, result.stderr
    assert (
        f"WARNING: {content}/bad.md: items[0].decision: found 'maybe'; expected 'upheld' or 'overturned'"
        in result.stderr
    )
    assert result.stderr.splitlines()[-1].startswith(
        "Read 4 records, wrote 1 determination pages, withheld 0, rejected 3 records in "
    )
    pages = sorted(
        p.parent.name for p in (tmp_path / "site" / "determinations").glob("*/index.html")
    )
    assert pages == [public_id("CM99-9000001", DEMO_SECRET)]


def test_a_page_key_cannot_escape_the_site_folder() -> None:
    for key in (
        "../outside",
        "/etc/passwd",
        "a/../../b",
        "A\\b",
        "determinations/..",
        "x/./y",
        "a//b",
    ):
        assert not SAFE_KEY.fullmatch(key), key
    for key in (
        "",
        "determinations/abc234",
        "guidelines/mtus-chronic-pain-2009/opioids",
        "years/2016/page/2",
    ):
        assert SAFE_KEY.fullmatch(key), key


def test_check_audits_a_built_site(tmp_path: Path, subpath_site: Path) -> None:
    result = run_cli("check", "--site-dir", subpath_site)
    assert result.code == 0, result.stderr


@pytest.fixture(scope="module")
def browser_page() -> Iterator[object]:
    require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser.new_page()
        browser.close()


def test_everything_resolves_under_a_subpath(subpath_site: Path, browser_page: object) -> None:
    page = browser_page
    failures: list[str] = []
    page.on("response", lambda r: failures.append(r.url) if r.status >= 400 else None)  # type: ignore[attr-defined]
    # A request the browser itself cancels when the next page loads (ERR_ABORTED) is not a failure.
    page.on(  # type: ignore[attr-defined]
        "requestfailed",
        lambda r: None if "ERR_ABORTED" in (r.failure or "") else failures.append(r.url),
    )
    with serve(subpath_site, prefix="imr") as base:
        assert base.endswith("/imr/")
        page.goto(base)  # type: ignore[attr-defined]
        page.click("table a[href*='determinations/']")  # type: ignore[attr-defined]
        page.wait_for_load_state()  # type: ignore[attr-defined]
        assert "/imr/determinations/" in page.url  # type: ignore[attr-defined]
        page.click(".imr-item a[href*='guidelines/']")  # type: ignore[attr-defined]
        page.wait_for_load_state()  # type: ignore[attr-defined]
        page.goto(f"{base}search/?q=therapy")  # type: ignore[attr-defined]
        page.wait_for_selector("body[data-imr-search=done]")  # type: ignore[attr-defined]
        assert page.locator("#imr-results li").count() > 0  # type: ignore[attr-defined]
    assert failures == []


def test_pages_from_a_frame_equal_pages_rendered_whole(tmp_path: Path, subpath_site: Path) -> None:
    whole = tmp_path / "whole"
    result = run_cli(
        "build", "--strict", "--no-cache", "--content", SAMPLE, "--site-dir", whole,
        "--site-url", SITE_URL, env={"IMR_SITE_THEME_FRAMES": "0"},
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert tree(whole) == tree(subpath_site)


def test_a_large_previous_site_is_removed_in_the_background(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "many").mkdir(parents=True)
    (site / SITE_MARKER).write_bytes(SITE_MARKER_TEXT)  # a site the tool built
    for number in range(BACKGROUND_FILES + 1):
        (site / "many" / f"{number}.html").write_text("old")
    with staged_site(site) as staging:
        (staging.path / "index.html").write_text("new")
    assert sorted(p.name for p in site.iterdir()) == [SITE_MARKER, "index.html"]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.iterdir())) > 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def _first_build(site: Path, files: int) -> None:
    """A first build with a cache: ``files`` pages under ``determinations``, one page outside."""
    with staged_site(site) as staging:
        staging.keep_spare, staging.spare_folders = True, ("determinations",)
        for number in range(files):
            page = staging.path / "determinations" / f"d{number}" / "index.html"
            page.parent.mkdir(parents=True)
            page.write_text(f"page {number}")
        (staging.path / "index.html").write_text("home")


def _same_files(site: Path, spare: Path) -> bool:
    pages = sorted(p.relative_to(spare) for p in spare.rglob("*.html"))
    return bool(pages) and all((spare / p).samefile(site / p) for p in pages)


@pytest.mark.parametrize("files", [3, BACKGROUND_FILES + 1])
def test_a_first_build_leaves_a_spare_of_links_to_its_pages(tmp_path: Path, files: int) -> None:
    site, spare = tmp_path / "site", tmp_path / ".site.spare"
    _first_build(site, files)
    deadline = time.monotonic() + 60  # a large site's spare is made by a detached process
    while not spare.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sorted(p.name for p in spare.iterdir()) == [SITE_MARKER, "determinations"]
    assert len(list((spare / "determinations").iterdir())) == files
    assert _same_files(site, spare)
    assert [p.name for p in tmp_path.iterdir() if ".making-" in p.name] == []


def test_a_spare_kept_meanwhile_is_not_replaced(tmp_path: Path) -> None:
    site, spare = tmp_path / "site", tmp_path / ".site.spare"
    _first_build(site, 2)
    shutil.rmtree(spare)
    (spare / "determinations").mkdir(parents=True)  # as a build finishing meanwhile keeps one
    (spare / "determinations" / "kept").write_text("kept")
    make_spare(site, spare, ["determinations"])
    assert [p.name for p in (spare / "determinations").iterdir()] == ["kept"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "site"]


def _finished_process() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.mark.skipif(os.name != "posix", reason="folders are locked with flock")
def test_leftovers_of_builds_that_were_killed_are_removed(tmp_path: Path) -> None:
    """A build killed before it cleaned up (out of memory, a power cut) leaves its staging folder,
    the site it set aside, a spare half made, a folder its detached remover was removing: the next
    build removes them, and nothing of a build still running (its folder's marker is locked, so a
    process number in use again is no sign of life), of a remover still running, the spare,
    another site's folders, or a folder of the same name that the tool did not write."""
    site, dead, alive = tmp_path / "site", _finished_process(), os.getpid()
    left = [f".site.staging-{alive}-k2j", f".site.previous-{dead}-k2j", f".site.spare.making-{dead}",
            f".site.spare-{dead}", f".site.removing-{dead}"]  # fmt: skip
    locked = [f".site.staging-{dead}-x9", f".site.spare.making-{alive}"]
    kept = [*locked, f".site.removing-{alive}", ".site.spare", f".other.staging-{dead}-k2j",
            f"site.staging-{dead}-k2j"]  # fmt: skip
    for name in [*left, *kept, f".site.previous-{dead}-users"]:
        (tmp_path / name / "determinations").mkdir(parents=True)
        (tmp_path / name / "determinations" / "index.html").write_text(name)
        if not name.endswith("-users"):
            (tmp_path / name / SITE_MARKER).write_bytes(SITE_MARKER_TEXT)
    for name in locked:
        claim(tmp_path / name)
    assert remove_leftovers(site) == sorted(left)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*kept, f".site.previous-{dead}-users"]
    )
    for name in locked:
        release(tmp_path / name)

    (tmp_path / f".site.staging-{dead}-q7").mkdir()  # and a build does it first
    (tmp_path / f".site.staging-{dead}-q7" / SITE_MARKER).write_bytes(SITE_MARKER_TEXT)
    with staged_site(site) as staging:
        (staging.path / "index.html").write_text("new")
    assert not (tmp_path / f".site.staging-{dead}-q7").exists()

"""The leak audit on pages made from scrubbed records (moved from test_scrub.py: the audit is
another module's; these tests import its internals)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from conftest import VALID_RECORD, write_record

from generator.audit import KnownIdentifier, _Matcher, audit_site, known_identifiers
from generator.cache import BuildCache
from generator.detectors import find_spans
from generator.records import load_records
from generator.store import Store


def test_audit_names_kind_and_page_and_ignores_legitimate_numbers(tmp_path: Path) -> None:
    write_record(tmp_path / "content", "a.md", VALID_RECORD.replace("private: {}", ""))
    records = load_records(tmp_path / "content")
    site = tmp_path / "site"
    page = site / "determinations" / "pkgp5qf3wdwc" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        "<script>var d='11/17/2009';</script><p>Norco 10/325 #120, 6/10, M54.16, page 9, 2016</p>",
        encoding="utf-8",
    )
    (site / "sitemap.xml").write_text("<lastmod>2024-05-01</lastmod>", encoding="utf-8")
    identifiers = known_identifiers(records, "imr-site-demo-secret-not-for-production")
    assert audit_site(site, identifiers) == []
    page.write_text("<p>seen 10/13/2016, call 555-123-4567</p>", encoding="utf-8")
    kinds = {finding.kind for finding in audit_site(site, identifiers)}
    assert kinds == {"date", "full date pattern", "phone number pattern"}


def test_a_declared_date_counts_on_its_own_page_only_in_any_format(tmp_path: Path) -> None:
    write_record(tmp_path / "content", "a.md", VALID_RECORD.replace("private: {}", ""))
    identifiers = known_identifiers(
        load_records(tmp_path / "content"), "imr-site-demo-secret-not-for-production"
    )
    site = tmp_path / "site"
    own = site / "determinations" / "pkgp5qf3wdwc" / "index.html"
    other = site / "determinations" / "aaaaaaaaaaaa" / "index.html"
    for page in (own, other):
        page.parent.mkdir(parents=True)
        page.write_text("<p>Decided in 2016.</p>", encoding="utf-8")
    other.write_text("<p>Injured October 13, 2016.</p>", encoding="utf-8")
    assert {f.kind for f in audit_site(site, identifiers)} == {"date pattern"}
    for written in ("October 13, 2016", "10/13/2016", "10-13-16", "2016-10-13", "Oct 13 2016"):
        own.write_text(f"<p>Injured {written}.</p>", encoding="utf-8")
        found = {(f.output_file, f.kind) for f in audit_site(site, identifiers)}
        expected = written != "Oct 13 2016"  # not a form letters write a date in
        assert (("determinations/pkgp5qf3wdwc/index.html", "date") in found) == expected, written
        assert ("determinations/aaaaaaaaaaaa/index.html", "date") not in found


def test_files_below_a_wide_folder_are_audited_by_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The parent does not walk a folder of many subfolders; the workers do, and miss nothing."""
    write_record(tmp_path / "content", "a.md", VALID_RECORD.replace("private: {}", ""))
    identifiers = known_identifiers(
        load_records(tmp_path / "content"), "imr-site-demo-secret-not-for-production"
    )
    site = tmp_path / "site"
    ids = ["aaaaaaaaaaaa", "bbbbbbbbbbbb", "pkgp5qf3wdwc", "cccccccccccc", "dddddddddddd"]
    for public in ids:
        page = site / "determinations" / public / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text("<p>Decided in 2016.</p>", encoding="utf-8")
    (site / "determinations" / "pkgp5qf3wdwc" / "extra" / "deep.txt").parent.mkdir()
    (site / "determinations" / "pkgp5qf3wdwc" / "extra" / "deep.txt").write_text("x")
    (site / "index.html").write_text("<p>Home</p>", encoding="utf-8")
    monkeypatch.setattr("generator.audit.WIDE_FOLDER_ENTRIES", 2)
    assert audit_site(site, identifiers) == []
    own = site / "determinations" / "pkgp5qf3wdwc" / "index.html"
    own.write_text("<p>Injured October 13, 2016.</p>", encoding="utf-8")
    with caplog.at_level(logging.DEBUG, logger="generator.audit"):
        found = {(f.output_file, f.kind) for f in audit_site(site, identifiers)}
    assert ("determinations/pkgp5qf3wdwc/index.html", "date") in found
    assert "Leak audit: 7 files" in caplog.text


def test_declared_dates_are_kept_by_determination_not_in_the_automaton(tmp_path: Path) -> None:

    write_record(tmp_path / "content", "a.md", VALID_RECORD.replace("private: {}", ""))
    identifiers = known_identifiers(
        load_records(tmp_path / "content"), "imr-site-demo-secret-not-for-production"
    )
    matcher = _Matcher(identifiers, Store(tmp_path / "dates.sqlite"), "full")
    dates = [i for i in identifiers if i.kind == "date"]
    assert dates and matcher.dates_of("pkgp5qf3wdwc") == sorted(i.text for i in dates)
    assert matcher.dates_of("aaaaaaaaaaaa") == [] and matcher.dates_of("site") == []
    assert _Matcher([], matcher.dates, "new").dates_of("pkgp5qf3wdwc") == []  # rows of its own
    assert matcher.dates.value("SELECT COUNT(*) FROM dates") == len(dates)  # in a table
    assert len(matcher.automaton) == len({i.text for i in identifiers if i.kind != "date"})


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        ("<p>call 555<br>123-4567</p>", "phone number pattern"),
        ("<p>call 555\u00a0123-4567</p>", "phone number pattern"),
        ("<p>call 555&nbsp;123-4567</p>", "phone number pattern"),
        ("<p>call \uff15\uff15\uff15-123-4567</p>", "phone number pattern"),
        ("<p>seen March<b>5</b> 2016</p>", "date pattern"),
        ("<p>write to jo&#64;example.com</p>", "e-mail address pattern"),
        ("<script>a && b</script><p>write to jo&commat;example.com</p>", "e-mail address pattern"),
        ("<p>SSN 123-45-6789</p>", "SSN pattern"),
    ],
)
def test_residual_patterns_are_found_across_tags_entities_and_unicode(
    tmp_path: Path, html: str, kind: str
) -> None:
    page = tmp_path / "site" / "about" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<p>Norco 10/325 #120, page 9, 2016</p>", encoding="utf-8")
    assert audit_site(tmp_path / "site", []) == []
    page.write_text(html, encoding="utf-8")
    assert {finding.kind for finding in audit_site(tmp_path / "site", [])} == {kind}


def test_the_audit_reads_again_only_files_changed_since_it_found_them_clean(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site, cache = tmp_path / "site", BuildCache(tmp_path / "cache", "code")
    pages = [site / name / "index.html" for name in ("a", "b", "c")]
    for page in pages:
        page.parent.mkdir(parents=True)
        page.write_text("<p>Norco 10/325 #120, page 9, 2016</p>", encoding="utf-8")
        os.utime(page, ns=(1_000_000_000, 1_000_000_000))  # long before the audit
    recent = site / "recent.html"  # changed just before the audit: never trusted by its status
    recent.write_text("<p>2016</p>", encoding="utf-8")

    def audit() -> tuple[set[tuple[str, str]], str]:
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="generator.audit"):
            found = {(f.output_file, f.kind) for f in audit_site(site, [], cache)}
        return found, caplog.text

    found, log = audit()
    assert found == set() and "4 files, 0 unchanged since the last audit" in log
    found, log = audit()
    assert found == set() and "4 files, 3 unchanged since the last audit and not read" in log
    pages[1].write_text("<p>call 555-123-4567</p>", encoding="utf-8")  # changed in place
    found, log = audit()
    assert found == {("b/index.html", "phone number pattern")}
    assert "2 unchanged since the last audit" in log


@pytest.mark.parametrize(
    "table",
    [
        "<tr><td>Neck (cervical spine)</td><td>1569</td><td>635</td><td>1416</td><td>9.8%</td></tr>",
        "<tr><td>Family Practice</td><td>1195</td><td>489</td><td>1076</td></tr>",
        "<ul><li>2016</li><li>555</li><li>0142</li></ul>",
    ],
)
def test_counts_in_neighbouring_table_cells_are_no_phone_number(tmp_path: Path, table: str) -> None:
    """A listing's table of counts (items, upheld, overturned) grows digits on either side of a
    cell: the detectors never read across a cell or block, while a phone written in one cell is
    still found."""
    page = tmp_path / "site" / "specialties" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<table><tbody>{table}</tbody></table>", encoding="utf-8")
    assert audit_site(tmp_path / "site", []) == []
    page.write_text("<table><tr><td>call (559) 635 - 1416</td></tr></table>", encoding="utf-8")
    assert {f.kind for f in audit_site(tmp_path / "site", [])} == {"phone number pattern"}


def test_public_ids_that_start_like_a_month_and_day_are_no_date() -> None:
    """Public ids are base32 hashes: at 20,000 determinations some start 'may7...' or 'dec6...'
    (read as 'May 7' in the exports and search cards, which withheld them). A date written with
    its letters joined stays a date."""
    for token in ("may7oppzliyy", "dec6tpedode6", "7apr6abcdefg", "oct12abcdefg", "2jun3kq4zzzz"):
        for text in (token, f'"id": "{token}"', f"/determinations/{token}/"):
            assert find_spans(text) == [], text
    for date in ("May7th", "12Oct2016", "seen May 7, 2016", "7-Apr-61", "on Dec 6th"):
        assert {span.kind for span in find_spans(date)} & {"date", "full date"}, date


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("a.html", "<p>seen by zebulon <em>quackenbush</em> twice</p>"),
        ("a.html", "<p>zebulon<br>quackenbush</p>"),
        ("a.html", '<p>zebulon <a href="../x/">quackenbush</a></p>'),
        ("a.html", '<a title="zebulon quackenbush" href="x">link</a>'),
        ("a.html", "<!-- zebulon quackenbush -->"),
        ("a.json", '{"note": "zebulon <b>quackenbush</b>"}'),
        ("a.json", '{"note": "zebulon\\u003cb\\u003equackenbush"}'),
        ("a.html", "<p>zebulon quack&shy;enbush</p>"),
        ("a.html", "<p>zebu\u200blon quackenbush</p>"),
        ("a.json", '{"note": "zebulon quack\\u00adenbush"}'),
    ],
)
def test_a_declared_name_is_found_whatever_markup_stands_in_it(
    tmp_path: Path, name: str, text: str
) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    declared = [KnownIdentifier("Zebulon Quackenbush", "person", "pkgp5qf3wdwc")]
    found = audit_site(tmp_path, declared)
    assert [(f.output_file, f.kind) for f in found] == [(name, "person")]

"""Scrubbing: each detector removes its kind in several formats; must-keep tokens survive."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from pathlib import Path

import pytest
from conftest import VALID_RECORD, write_record

from generator.anonymize import anonymize
from generator.audit import _has_unsafe_entity, _Matcher, audit_site, known_identifiers
from generator.cache import BuildCache
from generator.records import load_records
from generator.schema import FrontMatter, Item, Private, Record
from generator.scrub import scrub_text, scrubber_for


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seen on 11/17/2009.", "seen on 2009."),
        ("injured on 10-13-16 at work", "injured on 2016 at work"),
        ("dated Nov. 17, 2009,", "dated 2009,"),
        ("on 17 November 2009 and", "on 2009 and"),
        ("on 2009-11-17 and", "on 2009 and"),
        ("since March 2014 and", "since 2014 and"),
        ("on the 17th of November the", "on [date] the"),
        ("seen November 17 for", "seen [date] for"),
        ("injured in November and", "injured in [date] and"),
        ("ODG Low Back (updated 11/16/16)", "ODG Low Back (updated 2016)"),
        ("born 3/5/1925; a 92-year-old man", "born [date]; a 90 or older man"),
        ("age 93 and", "age 90 or older and"),
    ],
)
def test_dates_become_years_and_old_ages_are_banded(text: str, expected: str) -> None:
    assert scrub_text(text, reference_year=2016) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call (555) 123-4567 or 555.987.6543", "call [phone] or [phone]"),
        ("Fax: 555-1234.", "Fax: [phone]."),
        ("mail jdoe@example.com now", "mail [e-mail] now"),
        ("see https://www.doe-family.net/blog and 10.20.30.40", "see [url] and [ip address]"),
        ("SSN 123-45-6789, also xxx-xx-6789", "SSN [ssn], also [ssn]"),
        ("Claim #: 05-123456, NPI 1234567890", "Claim #: [number], NPI [number]"),
        ("WCAB ADJ1234567 and CM99-9012345", "WCAB [case number] and [case number]"),
        (
            "lives at 1234 Elm Street, Apt 5, Fresno, CA 93701.",
            "lives at [address], [city], CA [zip].",
        ),
        ("P.O. Box 442 in Bakersfield", "[address] in [city]"),
        ("plate 7ABC123 and file 004417839221", "plate [number] and file [number]"),
    ],
)
def test_contacts_numbers_and_addresses(text: str, expected: str) -> None:
    assert scrub_text(text, reference_year=2016) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("seen by Dr. Harriet A. Vance on", "seen by Dr. [name] on"),
        ("Anselm Koury, MD, and Imogen Castellano, PA-C", "[name], MD, and [name], PA-C"),
        ("QUINTANILLA, MARGARITA was seen", "[name] was seen"),
        ("The patient, Maria Lopez, reported", "The patient, [name], reported"),
        ("Dear Ms. Garcia-Lopez:", "Dear Ms. [name]:"),
        ("cc: Bettina Lowry, Esq.", "cc: [name], Esq."),
        ("works for Bluegate Logistics, Inc. now", "works for [organization] now"),
        ("represented by Whitfield & Ostrander.", "represented by [organization]."),
    ],
)
def test_undeclared_names_and_organizations(text: str, expected: str) -> None:
    assert scrub_text(text, reference_year=2016) == expected


MUST_KEEP = (
    "Norco 10/325mg #120 for 6/10 pain; 12 sessions of PT 2x4; L4-L5 and C5-6; ICD-10 M54.16, "
    "ICD-9 724.2, CPT 64483; McMurray's test, Spurling's maneuver, Hawkins impingement, Tinel's and "
    "Phalen's signs, Waddell signs; MTUS Chronic Pain Medical Treatment Guidelines, Page(s): 76-80, "
    "Table 8-8, page 182; ODG Low Back; in 2014; a 62 year old female; Lyrica 75mg #60; "
    "Percocet 5/325; Continue PT. Post-op PT; Orthopedic Surgery, California, North Carolina; "
    "http://www.drugs.com/famotidine.html; Section 3.3.1.1; history of TIA, CVA and GERD."
)


def test_must_keep_tokens_survive_every_detector() -> None:
    assert scrub_text(MUST_KEEP, reference_year=2016) == MUST_KEEP


def _record(private: Private, summary: str, rationale: str = "Not necessary.") -> Record:
    meta = FrontMatter(
        case_number="CM99-1234567",
        decision_date=dt.date(2016, 12, 9),
        items=(Item(treatment="MRI", decision="upheld", rationale=rationale),),
        private=private,
        synthetic=True,
    )
    return Record(source="x.md", meta=meta, summary=summary)


def test_declared_names_are_found_in_every_variant() -> None:
    private = Private(names=("DOE-SMITH, JOSÉ M.",), phones=("(209) 555-0187",))
    scrub = scrubber_for(_record(private, ""))
    text = (
        "José Doe-Smith, JOSE DOE SMITH, Jose M. Doe-Smith, Mr. Doe-Smith, Smith, jose, J.M.D., "
        "call 209-555-0187 or 555 0187."
    )
    assert scrub(text) == (
        "[name], [name], [name], Mr. [name], [name], [name], [name], call [phone] or [phone]."
    )


def test_a_surname_that_is_a_common_word_is_scrubbed_only_as_a_name() -> None:
    scrub = scrubber_for(_record(Private(names=("Grace Long",)), ""))
    assert (
        scrub("Ms. Long had long-term pain; Grace said")
        == "Ms. [name] had long-term pain; [name] said"
    )


def test_a_name_found_once_is_found_everywhere_in_the_record() -> None:
    record = _record(Private(), "Nurse case manager Heloise Prater called.", "Heloise agreed.")
    public = anonymize(record, "secret")
    assert public.summary == "Nurse case manager [name] called."
    assert public.items[0].rationale == "[name] agreed."


def test_every_free_text_field_is_scrubbed(tmp_path: Path) -> None:
    text = VALID_RECORD.replace(
        "sustained an industrial injury", "sustained an industrial injury on 10/13/2016"
    ).replace("imaging is not indicated", "imaging on 11-3-16 is not indicated (555) 123-4567")
    write_record(tmp_path, "a.md", text)
    [record] = load_records(tmp_path)
    public = anonymize(record, "secret")
    assert "on 2016" in public.summary and "10/13" not in public.summary
    assert (
        public.items[0].rationale.count("[phone]") == 1
        and "11-3-16" not in public.items[0].rationale
    )


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
    assert {f.kind for f in audit_site(site, identifiers)} == {"full date pattern"}
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
    matcher = _Matcher(identifiers)
    dates = [i for i in identifiers if i.kind == "date"]
    assert dates and matcher.dates_of("pkgp5qf3wdwc") == sorted(i.text for i in dates)
    assert matcher.dates_of("aaaaaaaaaaaa") == [] and matcher.dates_of("site") == []
    assert isinstance(matcher.dates.data, bytes)  # one object, whatever the number of dates
    assert len(matcher.automaton) == len({i.text for i in identifiers if i.kind != "date"})


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        ("<p>call 555<br>123-4567</p>", "phone number pattern"),
        ("<p>call 555\u00a0123-4567</p>", "phone number pattern"),
        ("<p>call 555&nbsp;123-4567</p>", "phone number pattern"),
        ("<p>call \uff15\uff15\uff15-123-4567</p>", "phone number pattern"),
        ("<p>seen March<b>5</b> 2016</p>", "full date pattern"),
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
    ("raw", "unsafe"),
    [
        ("if (a && palette) {}", False),
        ("Smith & Jones", False),
        ("&amp;&lt;&gt;&quot;&#39;", False),
        ("&palette &zz; &#;", False),
        ("a&nbsp;b", True),
        ("jo&#64;example.com", True),
        ("jo&commat;example.com", True),
        ("&para without a semicolon", True),
    ],
)
def test_only_references_that_decode_send_a_page_the_slow_way(raw: str, unsafe: bool) -> None:
    assert _has_unsafe_entity(raw) is unsafe


@pytest.mark.parametrize(
    "text",
    [
        "O'" * 20_000,  # 40 KB: a run of name-like capitals and apostrophes
        "www." * 20_000,  # 80 KB: a host name with no end
        "A" * 40_000,
        "a." * 40_000,
        "A. " * 13_000,
        "Ab " * 13_000,
        "1-" * 20_000,
        "a@" * 20_000,
        "x" * 80_000,
        "Jan 1, " * 6_000,
        "(555) " * 7_000,
    ],
    ids=lambda text: repr(text[:4]),
)
def test_the_scrubber_is_linear_on_long_runs(text: str) -> None:
    """Hostile text (tens of kilobytes of one repeated shape) is scrubbed in well under a second;
    the bound is generous so a loaded machine does not fail it (a quadratic pattern took 24-45 s)."""
    started = time.perf_counter()
    scrub_text(text, reference_year=2016)
    private = Private(names=("Maria O'Brien",), organizations=("Acme Tools, Inc.",))
    scrubber_for(_record(private, text))(text)
    assert time.perf_counter() - started < 5

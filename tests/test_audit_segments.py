"""The leak audit's detectors read each distinct segment of text once across the site (a block of
a page, a string of a JSON file, a quoted CSV field), and a finding is named in every file that
holds the segment, with the determination of the row it stands in."""

from __future__ import annotations

import html
import json
import logging
import os
import re
from pathlib import Path

import pytest

from generator import audit
from generator.audit import audit_site
from generator.cache import BuildCache
from generator.settings import WORKERS_ENV

OWNER = "pkgp5qf3wdwc"
OTHER = "aaaaaaaaaaaa"
LEAK = "The patient was seen on 10/13/2016 for a follow-up."
CLEAN = "Norco 10/325 #120, pain 6/10, M54.16, page 9, the 7th visit in 2016."


def _site(root: Path, text: str) -> Path:
    """A site whose determination OWNER's text stands in its page, the data export, a search card
    and a CSV file, beside another determination's clean text."""
    site = root / "site"
    for owner, body in ((OWNER, text), (OTHER, CLEAN)):
        page = site / "determinations" / owner / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f"<article><h1>Determination</h1><p>{body}</p></article>", "utf-8")
    export = site / "data" / "2016" / "determinations-1.json"
    export.parent.mkdir(parents=True)
    rows = [{"id": OTHER, "summary": CLEAN}, {"id": OWNER, "summary": text}]
    export.write_text("[\n" + ",\n".join(json.dumps(row) for row in rows) + "\n]", "utf-8")
    cards = site / "search" / "data" / "cards" / "0.json"
    cards.parent.mkdir(parents=True)
    cards.write_text(
        json.dumps(
            [[f"determinations/{OTHER}/#item-1", CLEAN], [f"determinations/{OWNER}/", text]]
        ),
        "utf-8",
    )
    (site / "data" / "2016" / "items-1.csv").write_text(
        f'determination_id,summary\n{OTHER},"{CLEAN}"\n{OWNER},"{text}"\n', "utf-8"
    )
    return site


FILES = {
    f"determinations/{OWNER}/index.html",
    "data/2016/determinations-1.json",
    "search/data/cards/0.json",
    "data/2016/items-1.csv",
}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_segment_in_several_files_is_reported_in_each_and_read_once(
    tmp_path: Path,
    workers: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(WORKERS_ENV, workers)
    site = _site(tmp_path, LEAK)
    with caplog.at_level(logging.DEBUG, logger="generator.audit"):
        found = audit_site(site, [])
    assert {(f.output_file, f.determination) for f in found} == {(n, OWNER) for n in FILES}
    assert {f.kind for f in found} == {"full date pattern"}
    assert all("10/13/2016" in f.found for f in found)
    # the leaking text once, the clean one once (both hold a candidate: a date, "the 7th")
    assert "the detectors read 2 distinct segments" in caplog.text


def test_the_same_site_gives_the_same_findings_whatever_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path, LEAK)
    results = []
    for workers in ("1", "2"):
        monkeypatch.setenv(WORKERS_ENV, workers)
        results.append(
            [(f.output_file, f.determination, f.kind, f.found) for f in audit_site(site, [])]
        )
    assert results[0] == results[1]


def test_a_file_holding_a_segment_another_file_was_checked_for_is_never_recorded_clean(
    tmp_path: Path,
) -> None:
    """The detectors ran on the segment in whichever file was read first: every file holding it
    has the finding, and none of them is kept as clean for the next audit."""
    site, cache = _site(tmp_path, LEAK), BuildCache(tmp_path / "cache", "code")
    for path in site.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # long before the audit
    first = {(f.output_file, f.determination) for f in audit_site(site, [], cache)}
    second = {(f.output_file, f.determination) for f in audit_site(site, [], cache)}
    assert first == second == {(n, OWNER) for n in FILES}


def test_a_clean_site_has_no_finding(tmp_path: Path) -> None:
    assert audit_site(_site(tmp_path, CLEAN), []) == []


@pytest.mark.parametrize(
    "page",
    [
        "<article><h1>Determination</h1><p>Seen on 10/13/2016.</p><td>1569</td><td>635</td></article>",
        "<TABLE><TR><TD>1569</TD><Td>635</tD></TR></TABLE><P>Seen 10/13/2016</p>",
        "<SCRIPT>var a = '<td>10/13/2016</td>';</script><p>x</p><Style>p{}</STYLE>y",
        "<script>if (a<b) x = '</SCRIPT>';</script><p>Dr. Smith</p>",
        "<\u017fcript>hidden 10/13/2016</script><d\u0130v>a</d\u0131v><l\u0131>b</li>",
        "<p>a < b and c<d</p><td >1</td ><br/><img alt='Dr. Smith'>&amp; &lt;td&gt;",
        "<p>unclosed <script>never closed 10/13/2016",
    ],
)
def test_page_text_is_cut_the_same_whatever_the_case_of_its_tags(page: str) -> None:
    """A page whose tags are all in lower case is cut without regard to case, in half the time:
    the same text as with it, whatever the page."""
    with_case = re.compile(audit._HIDDEN.pattern, re.IGNORECASE | re.DOTALL)
    cells = re.compile(audit._CELL_EDGE.pattern, re.IGNORECASE)
    expected = html.unescape(with_case.sub(" ", cells.sub(audit.SEGMENT_EDGE, page)))
    assert audit._html_segmented(page) == expected


def test_escaped_characters_beyond_the_bmp_in_a_data_file_are_read_not_a_crash(
    tmp_path: Path,
) -> None:
    """JSON escapes an emoji as a surrogate pair ("\\ud83d\\ude00"), and a broken writer can leave
    half of one: the audit reads both (the pair as its character) and still finds the date."""
    text = f"Drew \U0001f600 on the pain diagram, half a pair \ud83d here. {LEAK}"
    site = _site(tmp_path, text.replace("\ud83d", ""))
    export = site / "data" / "2016" / "determinations-1.json"
    rows = [{"id": OTHER, "summary": CLEAN}, {"id": OWNER, "summary": text}]
    export.write_text("[\n" + ",\n".join(json.dumps(row) for row in rows) + "\n]", "utf-8")
    assert "\\ud83d\\ude00" in export.read_text("utf-8")
    assert audit._json_unescaped('"\\ud83d\\ude00 \\ud83d"') == '"\U0001f600 \ufffd"'
    found = audit_site(site, [])
    assert {f.output_file for f in found} == FILES

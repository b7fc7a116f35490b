"""A page made of a theme frame is read by the leak audit as the frame's pieces (read once) and
its own parts: the words and the segmented text must be exactly those of the whole page, whatever
the parts hold; a page or a frame that cannot be cut so is read whole."""

from __future__ import annotations

import random
import re
from pathlib import Path

from conftest import VALID_RECORD, run_cli, write_record

from generator import audit
from generator.audit_frames import FramePieces

# A frame shaped like Material's: a script and a style holding "<td>" and "&&", the page title in
# <title>, the canonical address inside a tag, a table of contents and the article between blocks.
PIECES = (
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
    '<script>var cell = "<td>"; if (a < b && c > d) {}</script>\n'
    "<style>td > p { color: red }</style>\n<title>",
    ' - IMR Precedents</title>\n<link rel="canonical" href="',
    '">\n<meta name="x" content="a &amp; b"></head>\n<body><header class="md-header">'
    "<div>IMR &#39;Precedents&#39; &copy; 2024</div></header>\n"
    '<nav class="md-nav"><ul><li><a href="../">Home</a></li></ul></nav>\n<div class="toc">',
    '</div>\n<div class="md-content"><article class="md-typeset">',
    "</article></div>\n<footer><p>Made with Material</p></footer>\n"
    '<script>document.querySelector("td")</script>\n</body></html>\n',
)
ATOMS = (
    "Jane", "Doe", " ", "\n", "&amp", "&amp;", ";", "&", "#39;", "&#x27;", "&copy", "&lt;", "<",
    ">", "<td>", "</TD>", "<Td class='x'>", "<script>", "</script>", "<Style>", "<b>", "</b>",
    "é", "Ünïcode", "12/03/2016", "10/325", '"', "'", "Dr.", "x", "1569 635 1416", "<!--", "-->",
    '">', "</title>", "<link ", "</article>", "<style>p{}</style>", "<SCRIPT src=x></SCRIPT>",
    *(piece[:12] for piece in PIECES), *(piece[-12:] for piece in PIECES), *PIECES[1:4],
)  # fmt: skip


def _whole(page: str) -> tuple[list[bytes], str]:
    words = audit.normalized_words(audit._readable(page, ".html"))
    return words, audit._html_segmented(page)


def _frames() -> list[audit._FramedReading]:
    return audit._FramedReading.all_of([PIECES])


def test_a_framed_page_reads_as_the_whole_page_whatever_its_parts_hold() -> None:
    frames, rng, framed = _frames(), random.Random(5), 0
    assert len(frames) == 1
    for _ in range(4000):
        parts = ["".join(rng.choice(ATOMS) for _ in range(rng.randrange(9))) for _ in range(4)]
        page = "".join(piece + part for piece, part in zip(PIECES, [*parts, ""], strict=True))
        reading = audit._FramedReading.of_page(page, frames)
        if reading is not None:
            framed += 1
            assert reading == _whole(page), page
    assert 500 < framed < 4000  # parts that open a tag or a script are read whole


def test_a_page_of_plain_parts_is_read_by_its_frame() -> None:
    parts = ["Norco 10/325", "/determinations/abc/", "<ul><li>Summary</li></ul>", "<p>Upheld</p>"]
    page = "".join(piece + part for piece, part in zip(PIECES, [*parts, ""], strict=True))
    reading = audit._FramedReading.of_page(page, _frames())
    assert reading is not None and reading == _whole(page)
    holding = page.replace("Summary", f"Summary{PIECES[3]}{PIECES[2]}")  # a part holds pieces
    assert audit._FramedReading.of_page(holding, _frames()) in (None, _whole(holding))
    assert audit._FramedReading.of_page(page[:-2], _frames()) is None  # not its frame's end


def test_a_frame_that_cannot_be_cut_at_its_slots_is_not_used() -> None:
    def cut(*pieces: str) -> FramePieces | None:
        return FramePieces.of(pieces, audit._edged_text, audit._HIDDEN)

    assert cut(*PIECES) is not None
    assert cut('<script>var t = "', '";</script><p>', "</p>") is None
    assert cut("<p>Dear Mr", "</p><p>", "</p>") is None  # inside a word
    assert cut("<p>a &amp", "; b</p>", "</p>") is None  # in a reference
    assert cut("<p>", "", "</p>") is None  # two parts would touch
    trimmed = cut('<link href="', '"><p>', "</p>")
    assert trimmed is not None and trimmed.pieces == ("", "<p>", "</p>")  # the tag to its part


def test_a_built_site_audits_its_pages_by_their_frames(tmp_path: Path) -> None:
    # (that a finding on a page read by its frame is found: test_leaks.py, on the same builds)
    write_record(tmp_path / "content", "a.md", VALID_RECORD)
    run = run_cli("-v", "build", "--no-cache", "--content", tmp_path / "content",
                  "--site-dir", tmp_path / "site")  # fmt: skip
    framed = re.search(r"(\d+) pages read as one of (\d+) theme frames", run.stderr)
    assert run.code == 0 and framed and int(framed[1]) > 0 and int(framed[2]) > 0, run.stderr


def test_a_name_cut_by_a_tag_in_a_framed_page_is_found(tmp_path: Path) -> None:
    parts = ["Report", "/determinations/pkgp5qf3wdwc/", "", "<p>zebulon <em>quackenbush</em></p>"]
    page = "".join(piece + part for piece, part in zip(PIECES, [*parts, ""], strict=True))
    (tmp_path / "determinations" / "pkgp5qf3wdwc").mkdir(parents=True)
    (tmp_path / "determinations" / "pkgp5qf3wdwc" / "index.html").write_text(page)
    assert audit._FramedReading.of_page(page, _frames()) is not None  # read by its frame
    declared = [audit.KnownIdentifier("Zebulon Quackenbush", "person", "pkgp5qf3wdwc")]
    found = audit.audit_site(tmp_path, declared, frames=[PIECES])
    assert [(f.output_file, f.kind) for f in found] == [
        ("determinations/pkgp5qf3wdwc/index.html", "person")
    ]

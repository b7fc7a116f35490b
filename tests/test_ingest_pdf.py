"""PDF letters: synthetic letters laid out as PDFs (pages, footers, an encrypted one) parse like their text."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from generator.ingest import LetterError, extract_text, read_letter, render_record
from generator.ingest.text import join_lines, normalize_lines

LETTERS = Path(__file__).parent / "fixtures" / "letters"
LINES_PER_PAGE = 48


def write_pdf(text: str, path: Path) -> None:
    """Lay ``text`` out as a Helvetica PDF: a form feed or every 48 lines starts a page; blank lines are gaps."""
    pages = [page.split("\n") for page in text.split("\f")]
    chunks = [
        p[i : i + LINES_PER_PAGE] for p in pages for i in range(0, max(len(p), 1), LINES_PER_PAGE)
    ]
    document = pdfium.PdfDocument.new()
    for chunk in chunks:
        page = document.new_page(612, 792)
        for row, line in enumerate(chunk):
            if line.strip():
                _add_text(document, page, line, 740 - 14 * row)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
    document.save(path)


def _add_text(document: pdfium.PdfDocument, page: pdfium.PdfPage, line: str, y: int) -> None:
    obj = pdfium_c.FPDFPageObj_NewTextObj(document.raw, b"Helvetica", ctypes.c_float(9))
    buffer = ctypes.create_string_buffer((line + "\x00").encode("utf-16-le"))
    pdfium_c.FPDFText_SetText(obj, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 40, y)
    pdfium_c.FPDFPage_InsertObject(page.raw, obj)


@pytest.mark.parametrize(
    "name",
    [
        "synthetic_2016_partial_pagebreaks",
        "synthetic_2014_prose",
        "synthetic_2016_wrapping",
        "synthetic_2016_form_header",
    ],
)
def test_generated_pdf_gives_the_same_record_as_the_text(name: str, tmp_path: Path) -> None:
    source = LETTERS / f"{name}.txt"
    pdf = tmp_path / f"{name}.pdf"
    write_pdf(source.read_text(encoding="utf-8"), pdf)
    assert render_record(read_letter(pdf)) == render_record(read_letter(source))


def test_page_breaks_really_split_the_generated_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "letter.pdf"
    write_pdf((LETTERS / "synthetic_2016_partial_pagebreaks.txt").read_text(), pdf)
    assert len(pdfium.PdfDocument(pdf)) >= 4


def test_encrypted_pdf_with_empty_password_is_read() -> None:
    encrypted = LETTERS / "synthetic_2014_prose_encrypted.pdf"
    assert b"/Encrypt" in encrypted.read_bytes()
    letter = read_letter(encrypted)
    plain = read_letter(LETTERS / "synthetic_2014_prose.txt")
    assert letter.meta.model_copy(update={"case_number": "x"}) == plain.meta.model_copy(
        update={"case_number": "x"}
    )
    assert letter.summary == plain.summary


def test_pdf_hyphen_marker_becomes_a_joined_word() -> None:
    assert join_lines(normalize_lines("range-of\ufffemotion\r\nnext")) == "range-of-motion next"


def test_unreadable_pdf_is_a_letter_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\nthis is not a pdf")
    with pytest.raises(LetterError, match="unreadable PDF"):
        extract_text(broken)

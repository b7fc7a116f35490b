"""Letter text: read a .txt or .pdf letter and normalize it into lines that do not depend on the extractor.

Extractors disagree on blank lines (pypdf keeps paragraph gaps, PDFium drops them), on spacing, on line
endings and on how a hyphen at the end of a line is written (PDFium marks it U+FFFE and joins the
lines). Normalization keeps what they agree on: the non-blank lines, whitespace collapsed, hyphens
restored, page furniture ("Page 2 of 5") dropped. Nothing downstream may rely on blank lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium

TEXT_SUFFIX = ".txt"
PDF_SUFFIX = ".pdf"
LETTER_SUFFIXES = (TEXT_SUFFIX, PDF_SUFFIX)

_CHAR_FIXES = str.maketrans(
    {
        "\ufffe": "-\n",  # PDFium: a hyphen that ended a line (the line break is dropped)
        "\u00ad": "-",  # soft hyphen as some extractors write it
        "\u00a0": " ",
        "\u200b": "",
        "\ufeff": "",
        "\f": "\n",
        "\r": "\n",
        "\ufb01": "fi",
        "\ufb02": "fl",
    }
)
_SPACES = re.compile(r"[^\S\n]+")
_PAGE_FURNITURE = re.compile(r"(?:page\s+\d+(?:\s+of\s+\d+)?|\d+\s+of\s+\d+|-\s*\d+\s*-)", re.I)


class LetterError(Exception):
    """A letter that cannot be turned into a record; the message is the reason shown to the user."""


def extract_text(path: Path) -> str:
    """The raw text of a ``.txt`` or ``.pdf`` letter (pages joined by newlines)."""
    suffix = path.suffix.lower()
    if suffix == TEXT_SUFFIX:
        return _decode(path.read_bytes())
    if suffix == PDF_SUFFIX:
        return _pdf_text(path)
    raise LetterError(f"not a letter file: expected {' or '.join(LETTER_SUFFIXES)}")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _pdf_text(path: Path) -> str:
    try:
        document = pdfium.PdfDocument(path, password="")
    except pdfium.PdfiumError as error:
        raise LetterError(f"unreadable PDF: {error}") from error
    try:
        pages: list[str] = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        document.close()
    return "\n".join(pages)


def normalize_lines(text: str) -> tuple[str, ...]:
    """The letter's non-blank lines, whitespace collapsed, page numbers dropped."""
    text = _SPACES.sub(" ", text.translate(_CHAR_FIXES))
    lines = (line.strip() for line in text.split("\n"))
    return tuple(line for line in lines if line and not _PAGE_FURNITURE.fullmatch(line))


def join_lines(lines: Sequence[str]) -> str:
    """Lines of one paragraph as one string: wraps become spaces, a word broken at a hyphen is rejoined."""
    parts: list[str] = []
    previous = ""
    for line in lines:
        if parts:
            hyphen_break = (
                previous.endswith("-") and previous[-2:-1].isalnum() and line[:1].isalnum()
            )
            if not (hyphen_break or _split_number(previous, line)):
                parts.append(" ")
        parts.append(line)
        previous = line
    return "".join(parts)


_NUMBER_CUT = re.compile(r"(?:\d[/–]|(?<![\d.])\d{1,2}\.\d{1,2}\.)$")


def _split_number(previous: str, line: str) -> bool:
    """A date or number the line break cut after a slash, an en dash or a dotted day and month
    ("10/12/" then "2016"): joined without a space."""
    return line[:1].isdigit() and _NUMBER_CUT.search(previous) is not None

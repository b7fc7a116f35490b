"""Cut a page the theme framed (``theme.Frame``) into its frame's pieces and its own parts, so
that the leak audit reads each frame's pieces once, not once a page.

The audit reads a page twice: its normalized words (character references decoded, every
character but letters and digits a separator) and its text cut into segments (tags, scripts and
styles out, block tags made segment edges, references decoded). Both are made of the readings of
a page's parts, in order, when no boundary between two parts falls inside a tag, a script or
style element, a character reference or a word. ``FramePieces.of`` makes sure of that on the
frame's side once (a piece that would leave a tag open at a boundary gives that tag to the part
beside it); ``FramePieces.own_parts`` on each page's side, and returns None for a page it cannot
cut so, which the audit then reads whole. ``tests/test_audit_frames.py`` compares both readings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

EdgedText = Callable[[str], str]
"""A text with its block tags made segment edges (``audit._edged_text``): what the second step of
the audit's segmenting reads, with the pattern of what it takes out (``audit._HIDDEN``: a script
or style element, its name in group 1, else a tag)."""

_OPENER = re.compile(r"<(?:script|style)\b", re.IGNORECASE)
"""What starts an element the audit's segmenting takes out whole (``audit._HIDDEN``)."""
_CLOSES_REFERENCE = frozenset(" \t\n\r\f<>\"'=/().,:!?[]{}|*+-")
"""ASCII characters that are neither letters nor digits, nor "&", "#" or ";": at either side of a
boundary, no word and no character reference goes through it."""


@dataclass(frozen=True)
class FramePieces:
    """The pieces of a frame as the audit cuts pages with them (each page's own parts between)."""

    pieces: tuple[str, ...]

    @classmethod
    def of(
        cls, pieces: tuple[str, ...], edged: EdgedText, hidden: re.Pattern[str]
    ) -> FramePieces | None:
        """The frame's pieces, each tag a page's part stands inside (a canonical address) given
        to that part; None when a boundary would stay inside a script or style element, a word
        or a reference, or two parts would touch."""
        trimmed = list(pieces)
        for number in range(len(trimmed) - 1):
            piece = trimmed[number]
            opened = piece.rfind("<")
            if opened > piece.rfind(">"):  # the part after it stands inside this tag
                trimmed[number] = piece[:opened]
                following = trimmed[number + 1]
                closed = following.find(">")
                if closed < 0:
                    return None
                trimmed[number + 1] = following[closed + 1 :]
        if len(trimmed) < 2 or not all(trimmed[1:-1]):
            return None
        for number, piece in enumerate(trimmed):
            if number > 0 and piece and piece[0] not in _CLOSES_REFERENCE:
                return None
            if (  # (the first piece may be empty: a page can start with a part)
                number < len(trimmed) - 1
                and piece
                and (piece[-1] not in _CLOSES_REFERENCE or _leaves_open(edged(piece), hidden))
            ):
                return None
        return cls(tuple(trimmed))

    def own_parts(self, text: str) -> list[str] | None:
        """The parts of ``text`` between the pieces, in order, or None when ``text`` is not the
        pieces with parts between them, or a part could open a tag, script or style that a
        boundary would cut (a part with its block tags made edges: ``audit._FramedReading``)."""
        pieces = self.pieces
        if not text.startswith(pieces[0]) or not text.endswith(pieces[-1]):
            return None
        parts, at = [], len(pieces[0])
        for piece in pieces[1:-1]:
            found = text.find(piece, at)
            if found < 0:
                return None
            parts.append(text[at:found])
            at = found + len(piece)
        end = len(text) - len(pieces[-1])
        if end < at:
            return None
        parts.append(text[at:end])
        if any(part.rfind("<") > part.rfind(">") or _OPENER.search(part) for part in parts):
            return None
        return parts


def _leaves_open(edged: str, hidden: re.Pattern[str]) -> bool:
    """Whether a piece, its block tags made edges, ends inside a tag, or opens a script or style
    element it does not close: read alone, the pattern takes its opening tag out as a tag; read
    with what follows, it could take out the element up to a closing tag after the boundary."""
    if edged.rfind("<") > edged.rfind(">"):
        return True
    return any(match[1] is None and _OPENER.match(match[0]) for match in hidden.finditer(edged))

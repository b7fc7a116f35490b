"""A page's table of contents as the theme draws it, rendered once per shape.

Material draws the table of contents with one template include per entry, which costs more than the
rest of a framed page. Generated pages of one kind share a few shapes (the same anchors at the same
levels; only the entry titles differ), so each shape is rendered once with placeholder titles and
filled in for every page. The first page of each shape is also rendered whole and compared: a theme
that uses titles some other way gets the whole rendering for that shape, never different bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup, escape

from generator.render import TocEntry

PLACEHOLDER = "\ue0f2{}\ue0f2"
_LABEL_PLACEHOLDER = "\ue0f3{}\ue0f3"
_IN_LABEL = re.compile('aria-label="\ue0f2(\\d+)\ue0f2"')
_ANY_PLACEHOLDER = re.compile("[\ue0f2\ue0f3](\\d+)[\ue0f2\ue0f3]")

Shape = tuple[tuple[int, str, int], ...]
"""(level, anchor, number of children) of every entry, depth first."""


@dataclass(frozen=True)
class _Filled:
    pieces: tuple[str, ...]
    slots: tuple[tuple[int, bool], ...]
    """(title number, inside an aria-label) for the title after each piece but the last."""

    def fill(self, titles: Sequence[str]) -> str:
        out = [self.pieces[0]]
        for (number, label), piece in zip(self.slots, self.pieces[1:], strict=True):
            out += (_label(titles[number]) if label else titles[number], piece)
        return "".join(out)


Render = Callable[[Sequence[TocEntry]], str]
"""Draws entries through the theme's table-of-contents template."""


class TocRenderer:
    """Tables of contents by shape: each shape drawn once through the theme, then filled in."""

    def __init__(self) -> None:
        self._shapes: dict[Shape, _Filled | None] = {}

    def html(self, entries: Sequence[TocEntry], render: Render) -> str:
        shape, titles = _shape(entries), [_html_title(e) for e in _flat(entries)]
        if shape not in self._shapes:
            self._shapes[shape] = _template(entries, titles, render)
        template = self._shapes[shape]
        return template.fill(titles) if template else render(entries)


def _template(entries: Sequence[TocEntry], titles: list[str], render: Render) -> _Filled | None:
    """The shape drawn with numbered placeholders for titles; None unless filling it in gives
    exactly what drawing these entries gives."""
    marked = render(_with_placeholders(entries, iter(range(len(titles)))))
    marked = _IN_LABEL.sub(lambda m: f'aria-label="{_LABEL_PLACEHOLDER.format(m[1])}"', marked)
    parts = _ANY_PLACEHOLDER.split(marked)
    slots = tuple((int(m[1]), m[0].startswith("\ue0f3")) for m in _ANY_PLACEHOLDER.finditer(marked))
    template = _Filled(tuple(parts[0::2]), slots)
    return template if template.fill(titles) == render(entries) else None


def _html_title(entry: TocEntry) -> str:
    """The entry's title as the table of contents holds it (HTML, see ``TocEntry.token``)."""
    return str(entry.token()["name"])


def _label(title_html: str) -> str:
    """What ``{{ title | striptags | e }}`` prints."""
    return str(escape(Markup(title_html).striptags()))  # noqa: S704 - escaped text


def _flat(entries: Sequence[TocEntry]) -> list[TocEntry]:
    return [e for entry in entries for e in (entry, *_flat(entry.children))]


def _shape(entries: Sequence[TocEntry]) -> Shape:
    return tuple((e.level, e.anchor, len(e.children)) for e in _flat(entries))


def _with_placeholders(entries: Sequence[TocEntry], numbers: Iterator[int]) -> list[TocEntry]:
    """The entries with numbered placeholders for titles, numbered depth first like ``_flat``."""
    out = []
    for entry in entries:
        name = PLACEHOLDER.format(next(numbers))
        children = tuple(_with_placeholders(entry.children, numbers))
        out.append(replace(entry, name=name, children=children))
    return out

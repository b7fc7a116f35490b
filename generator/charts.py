"""Outcome charts drawn at build time as static SVG (no script, nothing fetched from elsewhere).

Each chart is a stacked bar per year (upheld below, overturned above); the page shows the same
numbers in a table beside it, so the chart is decoration for readers who can see it.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from generator.crosslink import Outcomes

BAR_WIDTH = 28
GAP = 14
HEIGHT = 120
LABEL_SPACE = 18
UPHELD_COLOUR = "#a4262c"
OVERTURNED_COLOUR = "#1b6e31"


def outcome_chart(by_year: Sequence[tuple[str, Outcomes]], title: str) -> Markup:
    """A stacked bar chart of upheld and overturned items per year, as inline SVG."""
    if not by_year:
        return Markup("")
    tallest = max(outcomes.total for _year, outcomes in by_year) or 1
    width = len(by_year) * (BAR_WIDTH + GAP) + GAP
    parts = [
        f'<svg class="imr-chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {HEIGHT + LABEL_SPACE}" width="{width}" height="{HEIGHT + LABEL_SPACE}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for position, (year, outcomes) in enumerate(by_year):
        x = GAP + position * (BAR_WIDTH + GAP)
        upheld_height = round(HEIGHT * outcomes.upheld / tallest)
        overturned_height = round(HEIGHT * outcomes.overturned / tallest)
        parts.append(_bar(x, HEIGHT - upheld_height, upheld_height, UPHELD_COLOUR))
        parts.append(
            _bar(
                x, HEIGHT - upheld_height - overturned_height, overturned_height, OVERTURNED_COLOUR
            )
        )
        parts.append(
            f'<text x="{x + BAR_WIDTH / 2:g}" y="{HEIGHT + 13}" text-anchor="middle" '
            f'font-size="10" fill="currentColor">{escape(year)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above


def _bar(x: int, y: int, height: int, colour: str) -> str:
    if height <= 0:
        return ""
    return f'<rect x="{x}" y="{y}" width="{BAR_WIDTH}" height="{height}" fill="{colour}"/>'

"""Pages at the addresses determinations had under a previous id secret, sending readers (and
links in briefs) on to the current page: rotating the secret does not break a published link."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from generator.render import PageBody
from generator.theme import ThemeWriter
from generator.urls import Urls

REDIRECT_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>This determination has moved</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{target}">
<meta http-equiv="refresh" content="0; url={target}">
</head>
<body>
<p>This determination has moved to <a href="{target}">its current address</a>.</p>
</body>
</html>
"""


def write_redirects(writer: ThemeWriter, urls: Urls, redirects: Sequence[tuple[str, str]]) -> None:
    """One small page per previous id, pointing (relatively) at the current page."""
    for previous, current in redirects:
        key = f"determinations/{previous}"
        target = escape(urls.relative(f"determinations/{current}", key))
        path = writer.path_of(PageBody(key, "", ""))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)  # never write through a link to a cache entry
        path.write_text(REDIRECT_PAGE.format(target=target), encoding="utf-8")

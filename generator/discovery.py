"""What lets search engines and feed readers find the site: ``sitemap.xml`` (an index of sitemaps
past 50,000 URLs), ``robots.txt`` and an RSS feed of the latest determinations.

They need absolute URLs, so they are written only when ``site_url`` is set (``--site-url``); MkDocs'
own sitemap, which lists only its few pages, is replaced. Nothing carries a date: a decision date
is private (pages show the year only), and a build date would make two builds differ.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urljoin
from xml.sax.saxutils import escape

from generator.cards import Card

SITEMAP_LIMIT = 50_000
FEED_NAME = "feed.xml"


def write_discovery_files(
    site_dir: Path,
    site_url: str,
    page_urls: Sequence[str],
    latest: Sequence[tuple[Card, str]],
    site_name: str,
) -> None:
    """Sitemaps, robots.txt and the feed; without a site URL, remove MkDocs' relative sitemap."""
    for stale in ("sitemap.xml", "sitemap.xml.gz"):
        (site_dir / stale).unlink(missing_ok=True)
    if not site_url:
        return
    base = site_url if site_url.endswith("/") else site_url + "/"
    _write_sitemaps(site_dir, base, sorted(set(page_urls)))
    robots = f"User-agent: *\nAllow: /\nSitemap: {urljoin(base, 'sitemap.xml')}\n"
    (site_dir / "robots.txt").write_text(robots, encoding="utf-8")
    (site_dir / FEED_NAME).write_text(_feed(base, latest, site_name), encoding="utf-8")


def _write_sitemaps(site_dir: Path, base: str, urls: Sequence[str]) -> None:
    parts = [
        urls[start : start + SITEMAP_LIMIT] for start in range(0, len(urls), SITEMAP_LIMIT)
    ] or [[]]
    if len(parts) == 1:
        _write_xml(site_dir / "sitemap.xml", _sitemap("urlset", "url", base, parts[0]))
        return
    names = [f"sitemap-{number}.xml" for number in range(1, len(parts) + 1)]
    for name, part in zip(names, parts, strict=True):
        _write_xml(site_dir / name, _sitemap("urlset", "url", base, part))
    _write_xml(site_dir / "sitemap.xml", _sitemap("sitemapindex", "sitemap", base, names))


def _sitemap(root: str, entry: str, base: str, urls: Sequence[str]) -> str:
    """A sitemap (``urlset`` of ``url``) or a sitemap index (``sitemapindex`` of ``sitemap``)."""
    entries = "".join(
        f"<{entry}><loc>{escape(urljoin(base, url))}</loc></{entry}>\n" for url in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</{root}>\n"
    )


def _write_xml(path: Path, text: str) -> None:
    data = text.encode("utf-8")
    path.write_bytes(data)
    path.with_name(path.name + ".gz").write_bytes(gzip.compress(data, mtime=0))


def _feed(base: str, latest: Sequence[tuple[Card, str]], site_name: str) -> str:
    items = "".join(
        "<item>"
        f"<title>{escape(card.title)}</title>"
        f"<link>{escape(urljoin(base, url))}</link>"
        f'<guid isPermaLink="true">{escape(urljoin(base, url))}</guid>'
        f"<description>{escape(_description(card))}</description>"
        "</item>\n"
        for card, url in latest
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n<channel>\n'
        f"<title>{escape(site_name)}: latest determinations</title>\n"
        f"<link>{escape(base)}</link>\n"
        "<description>The most recent IMR determinations published on this site.</description>\n"
        f"{items}</channel>\n</rss>\n"
    )


def _description(card: Card) -> str:
    facts = [card.outcome.capitalize(), str(card.year) if card.year else "year not stated"]
    if card.specialty:
        facts.append(f"reviewer: {card.specialty}")
    return f"{'; '.join(facts)}. {card.snippet}"

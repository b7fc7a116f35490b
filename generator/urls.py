"""Page keys to URLs: one place that knows how MkDocs lays out pages, so every link is relative and
works under any subpath (``--site-url https://example.org/imr/``) and on any static host."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import urljoin


@dataclass(frozen=True)
class Urls:
    """Where a page key ('determinations/abc', 'years', '') lands, for this site's URL style."""

    use_directory_urls: bool = True

    def url(self, key: str) -> str:
        """The site-relative URL of a page: 'determinations/abc/' or 'determinations/abc/index.html'."""
        key = key.strip("/")
        if self.use_directory_urls:
            return f"{key}/" if key else "./"
        return self.output_path(key)

    def output_path(self, key: str) -> str:
        """Where the page's file is written below site_dir: every page is a folder's index.html."""
        key = key.strip("/")
        return posixpath.join(key, "index.html") if key else "index.html"

    def output_path_of_url(self, url: str) -> str:
        """Where the page at a site-relative URL (as ``url`` gives it) is written."""
        if not self.use_directory_urls:
            return url
        return self.output_path("" if url == "./" else url)

    def src_uri(self, key: str) -> str:
        """The Markdown source path MkDocs would give this page (for generated MkDocs files)."""
        key = key.strip("/")
        return "index.md" if not key else f"{key}/index.md"

    def relative_file(self, path: str, from_key: str) -> str:
        """A link from a page to a file or folder of the site ('assets/x.js', 'search/data/')."""
        relative = relative_url(path, self.url(from_key))
        return relative + "/" if path.endswith("/") and not relative.endswith("/") else relative

    def relative(self, target_key: str, from_key: str) -> str:
        """A link from one page to another, relative, as written into HTML."""
        target, origin = self.url(target_key), self.url(from_key)
        if (
            self.use_directory_urls
            and "./" not in (target, origin)
            and target.split("/", 1)[0] != origin.split("/", 1)[0]
        ):
            # Nothing in common: up to the site's root, then down (what get_relative_url gives,
            # without its path arithmetic, for most links).
            return "../" * origin.count("/") + target
        return relative_url(target, origin)


def relative_url(url: str, other: str) -> str:
    """What MkDocs' ``get_relative_url(url, other)`` gives, without its cache: MkDocs keeps every
    path it is given for good (``functools.lru_cache(maxsize=None)``), and a render worker gives it
    every page's URL, so the cache grew with the site (5.4 MB in each worker at 20,000)."""
    dirname, _, basename = other.rpartition("/")
    if "." in basename:
        other = dirname
    other_parts, url_parts = _parts(other), _parts(url)
    common = 0
    for ours, theirs in zip(other_parts, url_parts, strict=False):
        if ours != theirs:
            break
        common += 1
    relative = "/".join([".."] * (len(other_parts) - common) + url_parts[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def _parts(path: str) -> list[str]:
    normal = posixpath.normpath("/" + path.removeprefix("/"))[1:]
    return normal.split("/") if normal else []


@dataclass(frozen=True)
class Publication:
    """How the site is addressed: for absolute URLs in the sitemap, feed and exports."""

    site_url: str
    site_name: str
    mkdocs_page_urls: tuple[str, ...]

    def absolute(self, url: str) -> str:
        if not self.site_url:
            return url
        return urljoin(self.site_url if self.site_url.endswith("/") else self.site_url + "/", url)

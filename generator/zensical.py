"""Export a built, audited site as a plain docs folder that Zensical (Material's successor) builds.

Zensical reads ``mkdocs.yml`` but runs no MkDocs plugins, so it cannot run the generator. The export
takes every page's body from the built site (so it is exactly what passed the leak audit), writes it
as a Markdown file whose content is that HTML, copies the search index, the data exports and the
site's own assets, and writes a configuration without the ``imr`` plugin. See docs/publishing.md for
what survives the move.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import yaml

from generator.exceptions import ConfigurationError
from generator.ownership import claim, guard_output_folder, is_marked, release

log = logging.getLogger(__name__)

_ARTICLE = re.compile(
    r'<article class="md-content__inner md-typeset">(?P<body>.*?)</article>', re.DOTALL
)
_TITLE = re.compile(r"<title>(?P<title>.*?)</title>", re.DOTALL)
_EDIT_ACTIONS = re.compile(r'<a href="[^"]*" title="Edit this page".*?</a>', re.DOTALL)
STATIC_PARTS = (
    "search/data",
    "data",
    "assets/stylesheets/imr.css",
    "assets/javascripts/imr-search.js",
)
CONFIG_DROPPED = ("plugins", "validation")
CONFIG_HEADER = (
    "# Written by imr-site export-docs for Zensical; regenerate it rather than editing.\n"
)
DEFAULT_CONTENT = "content/determinations"
EXPORT_MARKER = ".imr-export"
EXPORT_MARKER_TEXT = (
    b"Written by imr-site export-docs: the next export replaces docs/ and mkdocs.yml.\n"
)


def export_docs(site_dir: Path, config_file: Path, out: Path) -> int:
    """Write ``out/docs`` and ``out/mkdocs.yml``; returns the number of pages exported."""
    if not (site_dir / "index.html").is_file():
        raise ConfigurationError(f"{site_dir}: no built site here; run imr-site build first")
    _guard_export_folder(out, site_dir, config_file)
    out.mkdir(parents=True, exist_ok=True)
    claim(out, EXPORT_MARKER, EXPORT_MARKER_TEXT)
    docs = out / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    pages = 0
    for page in sorted(site_dir.rglob("index.html")):
        relative = page.parent.relative_to(site_dir)
        markdown = _page_markdown(
            page.read_text(encoding="utf-8"), site_name=_site_name(config_file)
        )
        if markdown is None:
            continue
        target = docs / relative / "index.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
        pages += 1
    for part in STATIC_PARTS:
        _copy(site_dir / part, docs / part)
    _write_config(config_file, out / "mkdocs.yml")
    release(out)
    log.info(
        "Exported %d pages to %s; build them with: zensical build -f %s",
        pages,
        docs,
        out / "mkdocs.yml",
    )
    return pages


def _guard_export_folder(out: Path, site_dir: Path, config_file: Path) -> None:
    """Refuse an export folder that is not the export's own: the project (its docs and
    mkdocs.yml), the site, the pages, or a folder of files an export did not write."""
    project = config_file.resolve().parent
    docs_dir = _load(config_file).get("docs_dir", "docs")
    protected = [
        ("the project folder", project),
        ("the site folder", site_dir),
        ("docs_dir", project / str(docs_dir)),
    ]
    content = _plugin_option(config_file, "content") or DEFAULT_CONTENT
    protected.append(("the content folder", project / content))
    owned = is_marked(out, EXPORT_MARKER) or _config_written_by_export(out / "mkdocs.yml")
    fix = "Choose another folder (the OUT argument)."
    guard_output_folder(
        out, protected, what="export folder", owned=owned, marker=EXPORT_MARKER, fix=fix
    )


def _plugin_option(config_file: Path, name: str) -> str:
    """An option of the ``imr`` plugin in mkdocs.yml ("" when not set)."""
    plugins = _load(config_file).get("plugins")
    for entry in plugins if isinstance(plugins, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("imr"), dict):
            return str(entry["imr"].get(name) or "")
    return ""


def _config_written_by_export(config: Path) -> bool:
    """An export made before exports carried their marker: its mkdocs.yml says so."""
    try:
        with config.open("rb") as file:
            return file.read(len(CONFIG_HEADER)) == CONFIG_HEADER.encode()
    except OSError:
        return False


def _page_markdown(html: str, site_name: str) -> str | None:
    """A page's body as Markdown (raw HTML passes through), titled like the built page."""
    body, title = _ARTICLE.search(html), _TITLE.search(html)
    if body is None:
        return None
    heading = title["title"].strip() if title else site_name
    suffix = f" - {site_name}"
    heading = heading.removesuffix(suffix)
    content = _EDIT_ACTIONS.sub("", body["body"]).strip()
    front = f"---\ntitle: {json.dumps(heading, ensure_ascii=False)}\n---\n\n"
    return f'{front}<div class="imr-page">\n{content}\n</div>\n'


def _site_name(config_file: Path) -> str:
    return str(_load(config_file).get("site_name", ""))


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml with each ``!ENV [NAME, default]`` as its default (no secret is exported)."""


def _env_default(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    value = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else []
    return value[-1] if value else ""


_ConfigLoader.add_constructor("!ENV", _env_default)


def _load(config_file: Path) -> dict[str, object]:
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506 - SafeLoader subclass
    return data if isinstance(data, dict) else {}


def _write_config(config_file: Path, target: Path) -> None:
    config = {k: v for k, v in _load(config_file).items() if k not in CONFIG_DROPPED}
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    theme = config.get("theme")
    if isinstance(theme, dict):
        theme.pop("custom_dir", None)
    config["extra_css"] = ["assets/stylesheets/imr.css"]
    target.write_text(
        CONFIG_HEADER + yaml.safe_dump(config, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )


def _copy(source: Path, target: Path) -> None:
    if source.is_dir():
        shutil.copytree(
            source, target, ignore=shutil.ignore_patterns("index.html"), dirs_exist_ok=True
        )
    elif source.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)

"""Every setting in one place: what a build is given (``Settings``, filled from mkdocs.yml's
``imr`` plugin options and the command line), the environment variables the tool reads, and the
product's constants (page sizes, counts, lengths) that shape what the site shows.

mkdocs.yml reads two more variables itself: ``IMR_SITE_URL`` (``site_url``) and
``IMR_ID_SECRET`` (the plugin's ``id_secret``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Environment variables.

CONTENT_ENV = "IMR_SITE_CONTENT"
"""The records folder, instead of the plugin's ``content`` option (``imr-site --content``)."""
WORKERS_ENV = "IMR_SITE_WORKERS"
"""How many processes a build may use (default: every core it may run on)."""
NO_PROGRESS_ENV = "IMR_SITE_NO_PROGRESS"
"""Set: no progress bars (they are shown only on a terminal anyway)."""
FRAMES_ENV = "IMR_SITE_THEME_FRAMES"
"""``0``: frame every page with the theme's own template, not the kept frames (for checking)."""

# What the site shows.

LISTING_PAGE_SIZE = 100
"""Determinations on a numbered listing page (a group's own page shows up to twice that)."""
LATEST_COUNT = 20
"""Determinations on the home page and in the feed."""
RELATED_COUNT = 5
"""Related determinations on a determination page."""
SECTION_PAGE_MIN_ITEMS = 3
"""A guideline section gets its own page once reviewers cited it for this many items."""
TITLE_TREATMENT_LENGTH = 90
"""Characters of a treatment in a title or a listing row."""
SNIPPET_LENGTH = 240
"""Characters of a rationale under a search result."""
EXCERPT_LENGTH = 420
"""Characters of an item's rationale a search result card holds."""
GUIDELINE_TEXT_LENGTH = 160
"""Characters of a guideline citation on a search result."""
PART_SIZE = 10_000
"""Determinations in one data export file (a year's are cut into parts of this size): about 30 MB
of JSON, under the 100 MB a file may have on GitHub Pages."""

# How the build works.

RECORDS_PER_JOB = 125
"""Records a worker reads as one job (a chunk: the build cache keeps one entry a chunk)."""
SHARD_TARGET_BYTES = 12_000
"""The size the search index's term shards aim at."""
ITEMS_PER_CARD_FILE = 8
"""Search result cards in one file of the search index."""
STORE_CACHE_KIB = 32 * 1024
"""SQLite's page cache, per connection to the build's store."""


@dataclass(frozen=True)
class Settings:
    """What a build needs beyond mkdocs.yml: records, templates, the id secret and the cache."""

    content_dir: Path
    templates_dir: Path
    id_secret: str
    leak_audit: bool = True
    keep_going: bool = False
    """Publish the valid records and list the invalid ones, instead of aborting."""
    cache_dir: Path | None = None
    """The build cache; None builds everything afresh."""
    previous_id_secrets: tuple[str, ...] = ()
    """Secrets used before the current one: their ids redirect to the current pages."""
    show_case_numbers: bool = False
    """Publish each determination's IMR case number (letters the state already published)."""
    strict: bool = False
    """All or nothing: a determination the leak audit would withhold stops the build (exit 2)."""
    withhold: frozenset[str] = frozenset()
    """Public ids the audit of a first build found identifying text for: this build leaves them
    out (``imr-site build`` builds once more without them)."""

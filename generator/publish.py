"""Build into a staging folder beside the site and swap it in only when the whole build succeeded,
so a failed build (invalid records, a leak) never touches the site already published."""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


@contextmanager
def staged_site(site_dir: Path) -> Iterator[Path]:
    """Yield a fresh staging folder; on success it replaces ``site_dir``, on failure it is removed."""
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.staging-", dir=site_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a web server must read the published site
    previous = staging.with_name(staging.name.replace(".staging-", ".previous-"))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
    log.debug("Published %s", site_dir)

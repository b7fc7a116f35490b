"""How fast this file system creates and deletes a site's worth of folders and files:
``python bench/fs_speed.py DIR [N]`` (DIR on the disk the site is built on; default N = 20,000).

A site of N determinations is N folders holding one page each. Creating and deleting them is work
for the file system that no build can avoid, bare MkDocs included; this prints what it costs here.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

PAGE = b"x" * 21_000
"""About a determination page's size."""


def timed(label: str, action: object, count: int) -> None:
    started = time.perf_counter()
    action()  # type: ignore[operator]
    seconds = time.perf_counter() - started
    print(f"{label:38s} {seconds:6.2f} s  ({1000 * seconds / count:.3f} ms each)", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("count", type=int, nargs="?", default=20_000)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="fs-speed-", dir=args.folder))
    count = args.count

    def folders_with_pages() -> None:
        (base / "tree").mkdir()
        for number in range(count):
            (base / "tree" / f"d{number}").mkdir()
            (base / "tree" / f"d{number}" / "index.html").write_bytes(PAGE)

    def flat_pages() -> None:
        (base / "flat").mkdir()
        for number in range(count):
            (base / "flat" / f"d{number}.html").write_bytes(PAGE)

    try:
        timed(f"{count} folders, a page in each", folders_with_pages, count)
        timed(f"{count} pages in one folder", flat_pages, count)
        timed("delete the folders and their pages", lambda: shutil.rmtree(base / "tree"), count)
        timed("delete the pages in one folder", lambda: shutil.rmtree(base / "flat"), count)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

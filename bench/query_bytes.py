"""Bytes and time of one search on a built site, in a real browser (Playwright driving Debian's
Chromium), served on 127.0.0.1 by Python's http.server in a process of its own (no compression).

    .venv/bin/python bench/query_bytes.py SITE_DIR [--json FILE]

Each query is a first visit in a fresh browser context (empty cache) to ``search/?q=...&filters``.
Every response is counted with its uncompressed body length (``len(response.body())``; the server
does not compress, so that is also what crossed the loopback, headers aside):

- search bytes: the index files under ``search/data/`` plus the search script ``imr-search.js``;
- page bytes: everything the first visit loaded (HTML, CSS, JS, images, the search data);
- gzip: what the search bytes would be from a host that gzips (level 6), for reference.

Time to results: from the start of navigation (``performance.timeOrigin``) to the moment the search
script sets ``body[data-imr-search=done]``, recorded in the page by a MutationObserver; and the wall
time Playwright saw for the same. Each visit opens a new browser context (an empty cache); Chromium
then loads its own address-bar popup page for the new window (``chrome://omnibox-popup.top-chrome``,
about 1.2 s of CPU over 0.6-0.9 s, seen in a trace), so the visit waits until Chromium's processes
are idle, as a reader's open window is (``--no-settle``: go at once, as rounds 1-8 did). A second
query in the same context (warm cache) shows what a follow-up search costs.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SEARCH_DATA = "/search/data/"
SEARCH_SCRIPT = "imr-search.js"

QUERIES: list[dict[str, str]] = [
    {"q": "massage therapy"},
    {"q": "lumbar MRI"},
    {"q": "norco"},
    {"q": "physical therapy 12 sessions", "outcome": "overturned"},
    {"q": "acupuncture", "year": "2015"},
    {"q": "epidural steroid injection L4-L5", "outcome": "upheld", "year": "2016"},
    {"q": "functional improvement"},
    {"q": "", "outcome": "overturned", "year": "2014"},
]
FOLLOW_UP = {"q": "gabapentin", "outcome": "upheld"}

DONE_OBSERVER = """
new MutationObserver(function (changes, observer) {
  if (document.body && document.body.dataset.imrSearch) {
    window.__imrDoneAt = performance.now();
    observer.disconnect();
  }
}).observe(document, {attributes: true, subtree: true,
  attributeFilter: ["data-imr-search"]});
"""


@dataclass
class QueryRow:
    query: str
    status: str
    results: str
    search_requests: int
    search_bytes: int
    search_gzip_bytes: int
    page_requests: int
    page_bytes: int
    to_results_ms: float
    search_ms: float
    wall_ms: float
    follow_up_bytes: int = -1
    follow_up_ms: float = -1.0


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Python's http.server in a process of its own (in this one it would share the interpreter
    lock with the Playwright driver, whose events slow it down: tens of milliseconds a file)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    server = subprocess.Popen(
        [*command, "--directory", str(site)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait()


SETTLE_STEP_S = 0.1
SETTLE_IDLE_SHARE = 0.1  # of one core, over a step
SETTLE_LIMIT_S = 5.0


def _chromium_cpu_ticks() -> int | None:
    """CPU time so far of the processes named ``chromium`` (clock ticks), or None without /proc."""
    if not Path("/proc/self/stat").exists():
        return None
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, _, rest = stat.partition("(")[2].rpartition(")")
        if name.startswith("chromium"):
            fields = rest.split()
            total += int(fields[11]) + int(fields[12])  # utime and stime
    return total


def settle(wait: bool = True) -> float:
    """Wait until Chromium's processes use under a tenth of a core over 0.1 s (at most 5 s, or a
    fixed second where there is no /proc); the seconds waited."""
    if not wait:
        return 0.0
    started = time.monotonic()
    before = _chromium_cpu_ticks()
    if before is None:
        time.sleep(1.0)
        return time.monotonic() - started
    idle_ticks = SETTLE_IDLE_SHARE * SETTLE_STEP_S * os.sysconf("SC_CLK_TCK")
    while time.monotonic() - started < SETTLE_LIMIT_S:
        time.sleep(SETTLE_STEP_S)
        now = _chromium_cpu_ticks() or 0
        if now - before <= idle_ticks:
            break
        before = now
    return time.monotonic() - started


def _label(params: dict[str, str]) -> str:
    filters = " ".join(f"{k}={v}" for k, v in params.items() if k != "q")
    return (f'"{params["q"]}"' if params.get("q") else "(no words)") + (
        f" {filters}" if filters else ""
    )


class _Recorder:
    """Every finished request of a page: URL, uncompressed body length, bytes that came over the
    network (0 when the browser's cache answered) and the body itself."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, int, int, bytes]] = []

    def __call__(self, request: object) -> None:
        response = request.response()  # type: ignore[attr-defined]
        try:
            body = response.body() if response is not None else b""
        except Exception:
            body = b""
        network = max(0, request.sizes()["responseBodySize"])  # type: ignore[attr-defined]
        self.rows.append((request.url, len(body), network, body))  # type: ignore[attr-defined]

    def search(self) -> list[tuple[str, int, int, bytes]]:
        return [row for row in self.rows if SEARCH_DATA in row[0] or row[0].endswith(SEARCH_SCRIPT)]


def _visit(page: object, url: str) -> tuple[float, float, str, str, float]:
    started = time.perf_counter()
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_selector("body[data-imr-search]", timeout=60_000)  # type: ignore[attr-defined]
    wall = (time.perf_counter() - started) * 1000
    done_at = page.evaluate("window.__imrDoneAt || -1")  # type: ignore[attr-defined]
    ready_at = page.evaluate(  # type: ignore[attr-defined]
        "performance.getEntriesByType('navigation')[0].domContentLoadedEventStart"
    )
    state = page.locator("body").get_attribute("data-imr-search")  # type: ignore[attr-defined]
    status = page.locator("#imr-search-status").inner_text()  # type: ignore[attr-defined]
    return float(done_at), wall, state or "", status, float(done_at) - float(ready_at)


@contextmanager
def warm_browser(site: Path) -> Iterator[tuple[str, Any]]:
    """The site served, and Chromium launched and past one throw-away visit (so that the first
    measured query does not pay Chromium's start-up): (base URL, browser)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            warm = browser.new_context()
            warm.new_page().goto(base)
            warm.close()
            yield base, browser
        finally:
            browser.close()


def measure_site(
    site: Path, queries: list[dict[str, str]] | None = None, *, wait_for_idle: bool = True
) -> list[QueryRow]:
    rows = []
    with warm_browser(site) as (base, browser):
        for params in queries or QUERIES:
            context = browser.new_context()
            context.add_init_script(DONE_OBSERVER)
            page = context.new_page()
            settle(wait_for_idle)
            recorder = _Recorder()
            page.on("requestfinished", recorder)
            done_at, wall, state, status, search_ms = _visit(
                page, f"{base}search/?{urlencode(params)}"
            )
            page.wait_for_load_state("networkidle")
            search = recorder.search()
            row = QueryRow(
                query=_label(params),
                status=state,
                results=status,
                search_requests=len(search),
                search_bytes=sum(row[1] for row in search),
                search_gzip_bytes=sum(len(gzip.compress(row[3], 6)) for row in search),
                page_requests=len(recorder.rows),
                page_bytes=sum(row[1] for row in recorder.rows),
                to_results_ms=done_at,
                search_ms=search_ms,
                wall_ms=wall,
            )
            # A follow-up search in the same tab: what is not cached yet.
            recorder.rows.clear()
            done_at, _, _, _, _ = _visit(page, f"{base}search/?{urlencode(FOLLOW_UP)}")
            page.wait_for_load_state("networkidle")
            row.follow_up_bytes = sum(item[2] for item in recorder.search())
            row.follow_up_ms = done_at
            context.close()
            rows.append(row)
    return rows


def print_rows(rows: list[QueryRow]) -> None:
    print(
        "  query | search requests | search bytes (gzip) | first-visit requests | first-visit bytes "
        "| results ms: from navigation (search part; Playwright wall) | follow-up search bytes, ms "
        "| status"
    )
    for r in rows:
        print(
            f"  {r.query} | {r.search_requests} | {r.search_bytes / 1000:.1f} KB "
            f"({r.search_gzip_bytes / 1000:.1f} KB) | {r.page_requests} | {r.page_bytes / 1000:.1f} KB"
            f" | {r.to_results_ms:.0f} ({r.search_ms:.0f}; {r.wall_ms:.0f}) | {r.follow_up_bytes / 1000:.1f} KB, "
            f"{r.follow_up_ms:.0f} | {r.status}: {r.results}",
            flush=True,
        )
    worst = max(rows, key=lambda r: r.search_bytes)
    slowest = max(rows, key=lambda r: r.to_results_ms)
    print(
        f"  largest search transfer: {worst.search_bytes / 1000:.1f} KB ({worst.query}); "
        f"slowest results: {slowest.to_results_ms:.0f} ms ({slowest.query})",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--no-settle", action="store_true", help="visit at once, while the new window still loads"
    )
    args = parser.parse_args()
    if not (args.site / "search" / "index.html").is_file():
        raise SystemExit(f"{args.site}: not a built site (no search/index.html)")
    rows = measure_site(args.site, wait_for_idle=not args.no_settle)
    print_rows(rows)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

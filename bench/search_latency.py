"""Time to results of the search page, repeated: the eight queries of ``query_bytes.py``, ROUNDS
times, each a first visit in a fresh browser context (Playwright driving Debian's Chromium), the
site served on 127.0.0.1 by Python's http.server in a process of its own.

    .venv/bin/python bench/search_latency.py SITE_DIR [--rounds 3] [--page search/ --page old/]
                                             [--no-settle]

With several ``--page`` paths (search pages of the same site, e.g. a copy of an older page placed
beside the current one, with its index paths made absolute), the pages are visited in turn for each
query, so that the machine's drift falls on all of them alike. Prints, per page, the median and the
slowest time from navigation to results and how many were under half a second. Each visit waits
until Chromium has finished opening the new window (``query_bytes.settle``); ``--no-settle`` goes at
once, as rounds 1-8 did.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path
from urllib.parse import urlencode

from query_bytes import DONE_OBSERVER, QUERIES, settle, warm_browser

TARGET_MS = 500.0


def measure(
    site: Path, pages: list[str], rounds: int, *, wait_for_idle: bool = True
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {page: [] for page in pages}
    with warm_browser(site) as (base, browser):
        for _round in range(rounds):
            for params in QUERIES:
                for page_path in pages:
                    context = browser.new_context()
                    context.add_init_script(DONE_OBSERVER)
                    tab = context.new_page()
                    settle(wait_for_idle)
                    tab.goto(f"{base}{page_path}?{urlencode(params)}")
                    tab.wait_for_selector("body[data-imr-search]", timeout=60_000)
                    state = tab.locator("body").get_attribute("data-imr-search")
                    if state != "done":
                        raise SystemExit(f"{page_path} {params}: search {state}")
                    times[page_path].append(float(tab.evaluate("window.__imrDoneAt")))
                    context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--page", action="append", dest="pages")
    parser.add_argument("--no-settle", action="store_true", help="visit at once, as rounds 1-8 did")
    args = parser.parse_args()
    pages = args.pages or ["search/"]
    measured = measure(args.site, pages, args.rounds, wait_for_idle=not args.no_settle)
    for page, found in measured.items():
        under = sum(ms < TARGET_MS for ms in found)
        print(
            f"{page}: median {statistics.median(found):.0f} ms, slowest {max(found):.0f} ms, "
            f"{under} of {len(found)} under {TARGET_MS:.0f} ms"
        )


if __name__ == "__main__":
    main()

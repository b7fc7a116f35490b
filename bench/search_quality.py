"""How well the search page answers the queries readers type: the judged query set
``bench/search_queries.yaml`` run in a real browser (Playwright driving Debian's Chromium) against a
site built from the real letters, served on 127.0.0.1 by Python's http.server.

    imr-site ingest ../shared/corpus/dwc-imr/txt --out build/real-records
    imr-site build --content build/real-records --site-dir build/real-site
    .venv/bin/python bench/search_quality.py build/real-site [--json FILE] [--kind brand ...]

(The query set names items by public id under the demo secret: build with it.)

Each query is a first visit in a fresh browser context to ``search/?q=...&filters``. A result is
a determination (the page lists each once, with its matching items under it); it counts as
relevant when its first item, the one the result is titled by, is one the query set lists.

- precision@5: relevant results among the first five listed (or all, when fewer are listed);
- recall of the first page: the determinations holding a relevant item that the first page lists
  (ten results), over the smaller of ten and how many determinations hold one;
- item recall: the relevant items among every item the query matched (on any page);
- duplicates: determinations listed more than once on the first page (the page's own links);
- latency: navigation to results drawn (``body[data-imr-search=done]``), median and slowest.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from query_bytes import DONE_OBSERVER, settle, warm_browser

QUERIES = Path(__file__).with_name("search_queries.yaml")
PAGE = 10
TOP = 5
_ITEM_URL = re.compile(r"determinations/([a-z0-9]+)/?#item-(\d+)$")


@dataclass
class QueryResult:
    query: str
    kind: str
    relevant_items: int
    listed: int
    precision_at_5: float
    first_page_recall: float
    item_recall: float
    duplicates: int
    ms: float


def item_keys(site: Path) -> dict[int, str]:
    """Each search document's item, as 'public id#item number', from the result-card files."""
    cards = site / "search" / "data" / "cards"
    manifest = json.loads((site / "search" / "data" / "manifest.json").read_text())
    size = manifest["cards_per_chunk"]
    keys: dict[int, str] = {}
    for path in cards.glob("*.json"):
        for offset, row in enumerate(json.loads(path.read_text())):
            match = _ITEM_URL.search(row[0])
            if match:
                keys[int(path.stem) * size + offset] = f"{match.group(1)}#{match.group(2)}"
    return keys


def score(
    entry: dict[str, object],
    found: list[list[int]],
    keys: dict[int, str],
    duplicates: int,
    ms: float,
) -> QueryResult:
    relevant = set(entry["items"])  # type: ignore[call-overload]
    relevant_dets = {key.split("#")[0] for key in relevant}
    top = found[:TOP]
    hits = sum(keys[docs[0]] in relevant for docs in top)
    precision = hits / len(top) if top else 0.0
    page_dets = {keys[docs[0]].split("#")[0] for docs in found[:PAGE]}
    page_hits = len(page_dets & relevant_dets)
    recall = page_hits / min(PAGE, len(relevant_dets))
    matched = {keys[doc] for docs in found for doc in docs}
    return QueryResult(
        query=_label(entry),
        kind=str(entry["kind"]),
        relevant_items=len(relevant),
        listed=len(found),
        precision_at_5=precision,
        first_page_recall=recall,
        item_recall=len(matched & relevant) / len(relevant),
        duplicates=duplicates,
        ms=ms,
    )


def _label(entry: dict[str, object]) -> str:
    filters = entry.get("filters") or {}
    extra = " ".join(f"{k}={v}" for k, v in filters.items())  # type: ignore[attr-defined]
    return f'"{entry["query"]}"' + (f" {extra}" if extra else "")


def run(site: Path, entries: list[dict[str, object]]) -> list[QueryResult]:
    keys = item_keys(site)
    results = []
    with warm_browser(site) as (base, browser):
        for entry in entries:
            filters = dict(entry.get("filters") or {})  # type: ignore[call-overload]
            context = browser.new_context()
            context.add_init_script(DONE_OBSERVER)
            page = context.new_page()
            settle()
            page.goto(f"{base}search/?{urlencode({'q': entry['query'], **filters})}")
            page.wait_for_selector("body[data-imr-search]", timeout=60_000)
            if page.locator("body").get_attribute("data-imr-search") != "done":
                raise SystemExit(f"{_label(entry)}: the search failed")
            ms = float(page.evaluate("window.__imrDoneAt"))
            found = page.evaluate(
                "([q, f]) => window.imrSearchDeterminations(q, f)", [entry["query"], filters]
            )
            links = page.locator("#imr-results .imr-result__from a").evaluate_all(
                "links => links.map(link => link.getAttribute('href'))"
            )
            duplicates = len(links) - len(set(links))
            results.append(score(entry, found, keys, duplicates, ms))
            context.close()
    return results


def report(results: list[QueryResult]) -> None:
    print(
        f"{'query':44} {'kind':12} {'rel':>4} {'dets':>4} {'P@5':>5} {'R1':>5} {'Ritem':>5} {'ms':>5}"
    )
    for r in results:
        print(
            f"{r.query[:44]:44} {r.kind:12} {r.relevant_items:4d} {r.listed:4d} "
            f"{r.precision_at_5:5.2f} {r.first_page_recall:5.2f} {r.item_recall:5.2f} {r.ms:5.0f}"
        )
    times = [r.ms for r in results]
    print(
        f"\n{len(results)} queries: mean precision@5 {statistics.mean(r.precision_at_5 for r in results):.3f}, "
        f"mean recall of the first page {statistics.mean(r.first_page_recall for r in results):.3f}, "
        f"mean item recall {statistics.mean(r.item_recall for r in results):.3f}, "
        f"determinations listed twice on a first page {sum(r.duplicates for r in results)}, "
        f"time to results median {statistics.median(times):.0f} ms, slowest {max(times):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--kind", action="append", help="only queries of this kind (repeatable)")
    parser.add_argument("--json", type=Path, help="write the per-query figures here")
    args = parser.parse_args()
    entries = yaml.safe_load(args.queries.read_text(encoding="utf-8"))["queries"]
    if args.kind:
        entries = [entry for entry in entries if entry["kind"] in args.kind]
    results = run(args.site, entries)
    report(results)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1))


if __name__ == "__main__":
    main()

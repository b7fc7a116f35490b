"""Bench: how well normalization covers the real letters in ../shared/corpus, and how fast it is.

Prints citation strings total and resolved % (target >= 98%), the unresolved strings (at run time
only; never saved), items total and specific-treatment % (target >= 95%), the category
distribution, the number of distinct canonical treatments, and resolve/normalize speed.

    .venv/bin/python bench/normalize_accuracy.py [CORPUS_DIR]
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from generator.ingest import LetterError, extract_text, parse_letter_text
from generator.normalize import diagnosis_groups, normalize_treatment, resolve_citation
from generator.normalize.citations import _resolve_cached
from generator.normalize.treatments import _normalize_cached

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
CITATION_TARGET = 98.0
TREATMENT_TARGET = 95.0


@dataclass
class Corpus:
    citations: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def letters(corpus: Path) -> Iterator[Path]:
    for folder in (corpus / "dwc-imr" / "txt", corpus / "seed"):
        yield from sorted(folder.glob("*.txt"))


def read_corpus(corpus: Path) -> Corpus:
    """Citation strings, item texts and summaries of every letter, through the ingest parser."""
    found = Corpus()
    for path in letters(corpus):
        try:
            letter = parse_letter_text(extract_text(path), source=path.name)
        except LetterError as error:
            found.failures.append(f"{path.name}: {error}")
            continue
        found.summaries.append(letter.summary)
        for item in letter.meta.items:
            found.items.append(item.treatment)
            for text in (item.claims_administrator_guideline, item.reviewer_guideline):
                if text and text.strip():
                    found.citations.append(text)
    return found


def report_citations(citations: list[str]) -> float:
    results = [resolve_citation(text) for text in citations]
    resolved = sum(result.resolved for result in results)
    share = 100.0 * resolved / max(len(results), 1)
    no_citation = sum(result.no_citation for result in results)
    sections = [ref for result in results for ref in result.refs if ref.section_title]
    catalogued = sum(ref.section_slug is not None for ref in sections)
    print(f"Citation strings: {len(results)} ({no_citation} say no evidence was cited)")
    print(f"  resolved: {resolved} = {share:.1f}% (target >= {CITATION_TARGET}%)")
    print(f"  section refs matched to a catalogued section: {catalogued} of {len(sections)}")
    unresolved = sorted({r.text for r in results if not r.resolved})
    print(f"  unresolved ({len(unresolved)} distinct):")
    for text in unresolved:
        print(f"    - {text}")
    return share


def report_treatments(items: list[str]) -> float:
    infos = [normalize_treatment(text) for text in items]
    specific = sum(info.specific for info in infos)
    share = 100.0 * specific / max(len(infos), 1)
    print(f"Items: {len(infos)}")
    print(f"  specific treatment: {specific} = {share:.1f}% (target >= {TREATMENT_TARGET}%)")
    print(f"  distinct canonical treatments: {len({i.slug for i in infos if i.specific})}")
    print(
        f"  with quantity: {sum(i.quantity is not None for i in infos)}; "
        f"with body part: {sum(i.body_part is not None for i in infos)}"
    )
    print("  categories:")
    for (group, category), count in Counter((i.group, i.category) for i in infos).most_common():
        print(f"    {count:4d}  {group} / {category}")
    unclassified = sorted({i.canonical for i in infos if not i.specific})
    print(f"  not classified ({len(unclassified)} distinct):")
    for text in unclassified:
        print(f"    - {text}")
    return share


def report_diagnoses(summaries: list[str]) -> None:
    groups = [diagnosis_groups(summary) for summary in summaries]
    print(
        f"Summaries: {len(summaries)}; with at least one diagnosis group: "
        f"{sum(bool(g) for g in groups)}"
    )
    counts = Counter(group.title for found in groups for group in found)
    print("  groups: " + "; ".join(f"{title} {count}" for title, count in counts.most_common()))


def report_speed(citations: list[str], items: list[str]) -> None:
    """Uncached speed: the caches are cleared so every call does the full work."""
    for name, values, call, cache in (
        ("resolve_citation", citations, resolve_citation, _resolve_cached),
        ("normalize_treatment", items, normalize_treatment, _normalize_cached),
    ):
        rounds = max(1, 5000 // max(len(values), 1))
        start = time.perf_counter()
        for _ in range(rounds):
            cache.cache_clear()
            for value in values:
                call(value)
        elapsed = time.perf_counter() - start
        print(f"{name}: {rounds * len(values) / elapsed:,.0f} per second uncached")
        start = time.perf_counter()
        for value in values * 20:
            call(value)
        print(f"{name}: {20 * len(values) / (time.perf_counter() - start):,.0f} per second cached")


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else CORPUS
    if not corpus.is_dir():
        print(f"No corpus at {corpus}; nothing to measure.")
        return 0
    found = read_corpus(corpus)
    print(f"Letters parsed: {len(found.summaries)}; failed: {len(found.failures)}")
    citation_share = report_citations(found.citations)
    treatment_share = report_treatments(found.items)
    report_diagnoses(found.summaries)
    report_speed(found.citations, found.items)
    ok = citation_share >= CITATION_TARGET and treatment_share >= TREATMENT_TARGET
    print("Targets met." if ok else "Targets NOT met.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Render workers read the cards' columns, not the cards: the columns hold what the cards say, a
chunk of determinations renders with the site's cards out of reach, and group pages run in the
main process while the workers render determinations."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE, Run, run_cli
from test_incremental import cached_config, tree

from generator.anonymize import DEMO_SECRET, anonymize
from generator.cards import Card, card_of, shortened_treatment
from generator.classify import classify
from generator.columns import CITED_BY, CardColumns, RelatedCard, TextColumn
from generator.crosslink import build_index
from generator.parallel import WORKERS_ENV, parallel_map_beside
from generator.records import load_records


def test_a_text_column_gives_back_each_text() -> None:
    texts = ["", "MRI of the knee — upheld", "Ærø", "", "x" * 300, "\udcff"]
    column = TextColumn(texts)
    assert [column[n] for n in range(len(column))] == texts
    assert list(column) == texts
    assert list(pickle.loads(pickle.dumps(column))) == texts


def sample_cards() -> list[Card]:
    cards = []
    for record in load_records(SAMPLE):
        public = anonymize(record, DEMO_SECRET)
        cards.append(card_of(public, classify(public)))
    return cards


def test_the_columns_say_what_the_cards_say() -> None:
    cards = sample_cards()
    index = build_index(cards)
    columns = index.columns
    assert len(columns) == len(index.cards) == len(cards)
    for place, one in enumerate(index.cards):
        assert columns.related_card(place) == RelatedCard(place, one.page_key, one.year)
        assert columns.sections(place) == _sections_the_slow_way(one, index.has_page)
    assert sum(bool(columns.sections(place)) for place in range(len(columns))) >= 3


def _sections_the_slow_way(one: Card, has_page: Callable[[str], bool]) -> list[str]:
    keys = [
        f"guidelines/{ref.guideline_id}/{ref.section_slug}"
        for item in one.items
        for ref in (*item.claims.refs, *item.reviewer.refs)
        if ref.section_slug
    ]
    return sorted(key for key in keys if has_page(key))


def test_a_card_without_a_year_has_none_in_the_columns() -> None:
    record = next(iter(load_records(SAMPLE)))
    public = replace(anonymize(record, DEMO_SECRET), year=None)
    columns = CardColumns.of([card_of(public, classify(public))], lambda _key: False)
    assert columns.year(0) is None
    assert columns.sections(0) == []


def _pid_after(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers")
def test_local_jobs_run_here_while_the_workers_are_busy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_ENV, "2")
    done = dict(parallel_map_beside(_pid_after, [0.4] * 4, [0.0] * 3, desc="test"))
    assert sorted(done) == list(range(7))
    assert all(done[place] != os.getpid() for place in range(4))
    assert [done[place] for place in range(4, 7)] == [os.getpid()] * 3


@pytest.mark.skipif(sys.platform != "linux", reason="forked workers")
def test_local_jobs_left_when_the_workers_are_through_go_to_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(WORKERS_ENV, "2")
    done = dict(parallel_map_beside(_pid_after, [0.0] * 2, [0.5] * 8, desc="test"))
    assert sorted(done) == list(range(10))
    assert any(done[place] != os.getpid() for place in range(2, 10))


TRAPPED_BUILD = """
    import sys
    from dataclasses import replace

    import generator.stages as stages

    class Trap:
        def __getattr__(self, name):
            raise AssertionError("a render worker read the site's cards")

        def __getitem__(self, key):
            raise AssertionError("a render worker read the site's cards")

        def __len__(self):
            raise AssertionError("a render worker read the site's cards")

    rendered = stages._render_determinations

    def trapped(job, state):
        index = replace(state.index, cards=Trap())
        return rendered(job, replace(state, index=index))

    stages._render_determinations = trapped
    from generator.cli import cli

    sys.argv = ["imr-site", "build", "--strict", *sys.argv[1:]]
    cli()
"""


@pytest.mark.parametrize("cached", [False, True])
def test_determination_pages_render_without_the_sites_cards(tmp_path: Path, cached: bool) -> None:
    """The same site whether or not the determination jobs can reach the cards."""
    script = tmp_path / "trapped.py"
    script.write_text(textwrap.dedent(TRAPPED_BUILD), encoding="utf-8")
    config = cached_config(tmp_path / "config", tmp_path / "cache")
    extra = ["-f", str(config), "--content", str(SAMPLE)] + ([] if cached else ["--no-cache"])
    plain = run_cli("build", "--strict", "--site-dir", tmp_path / "plain", *extra)
    assert plain.code == 0, plain.stderr
    # With a cache, the workers take the pages from it: they work out each page's key instead.
    trapped = run_python(str(script), "--site-dir", str(tmp_path / "trapped"), *extra)
    assert trapped.code == 0, trapped.stderr
    assert tree(tmp_path / "trapped") == tree(tmp_path / "plain")


def run_python(script: str, *args: str) -> Run:
    """Run a script that builds the site, with two workers."""
    done = subprocess.run(
        [sys.executable, script, *args],
        cwd=REPO,
        env={**os.environ, "IMR_SITE_NO_PROGRESS": "1", WORKERS_ENV: "2"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def test_listing_rows_say_what_the_cards_say() -> None:
    cards = sample_cards()
    index = build_index(cards)
    rows = index.columns.rows(index.item_columns, [(p, None) for p in range(len(index.cards))])
    assert len(rows) == len(cards)
    for row, one in zip(rows, index.cards, strict=True):
        assert row.page_key == one.page_key
        assert (row.year, row.item_count, row.outcome) == (one.year, len(one.items), one.outcome)
        assert row.specialty == one.specialty
        assert [(i.number, i.text, i.decision) for i in row.items] == [
            (i.number, shortened_treatment(i.treatment_text, 90), i.decision) for i in one.items
        ]
    assert len({row.outcome for row in rows}) >= 3


def test_a_listing_row_holds_only_the_matching_items_with_who_cited_them() -> None:
    index = build_index(sample_cards())
    for group in index.guidelines:
        matches = group.item_matches().of(list(group.places))
        rows = index.columns.rows(index.item_columns, matches)
        for row in rows:
            card = index.cards[row.place]
            assert row.items, "a row with no item of the group"
            for listed in row.items:
                item = card.items[listed.number - 1]
                by_reviewer = group.slug in item.reviewer.guideline_ids
                by_claims = group.slug in item.claims.guideline_ids
                assert listed.cited_by == CITED_BY[by_reviewer + 2 * by_claims]
            cited = [
                item.number
                for item in card.items
                if group.slug in (*item.reviewer.guideline_ids, *item.claims.guideline_ids)
            ]
            assert [listed.number for listed in row.items] == cited

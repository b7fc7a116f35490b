"""The build cache: a rebuild after adding records takes unchanged work from the cache and gives the
same bytes as a full build; changing a template invalidates the framed pages."""

from __future__ import annotations

import os
import re
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

from conftest import REPO, SAMPLE, VALID_RECORD, attr, run_cli, site_config, soup, write_record

from generator.anonymize import DEMO_SECRET, public_id
from generator.audit import STATE_FILE
from generator.cache import BuildCache, fingerprint
from generator.parallel import stable_chunks
from generator.pipeline import prepare_site_here
from generator.records import record_paths
from generator.settings import RECORDS_PER_JOB, Settings
from generator.stages import RecordIndex


def tree(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def cached_config(folder: Path, cache: Path) -> Path:
    config = site_config(
        folder, {"about.md": (REPO / "content" / "pages" / "about.md").read_text()}
    )
    text = config.read_text().replace(
        "      content: content/determinations",
        f"      content: content/determinations\n      cache_dir: {cache}",
    )
    config.write_text(text)
    return config


def built(config: Path, content: Path, site: Path, *extra: str) -> str:
    """Build ``content`` into ``site`` with ``imr-site -v``; returns the log."""
    result = run_cli("-v", "build", "-f", config, "--content", content, "--site-dir", site, *extra)
    assert result.code == 0, result.stderr
    return result.stderr


def test_rebuild_after_adding_records_equals_a_full_build(tmp_path: Path) -> None:
    content, cache = tmp_path / "content", tmp_path / "cache"
    shutil.copytree(SAMPLE, content)
    held_back = sorted(content.glob("*.md"))[-2:]
    for path in held_back:
        path.rename(tmp_path / path.name)
    config = cached_config(tmp_path / "config", cache)

    def build(site: str, *extra: str) -> str:
        return built(config, content, tmp_path / site, *extra)

    build("first")
    cached_entries = {p.name for p in cache.rglob("*") if p.is_file()}
    assert len(cached_entries) > 100
    compiled = {p.name for p in (cache / "templates").iterdir()}
    assert len(compiled) > 10  # the theme's templates and ours, compiled once
    for path in held_back:
        (tmp_path / path.name).rename(content / path.name)
    log = build("second")
    assert "Read 36 records, wrote 36 determination pages" in log
    # The sample is one chunk, so it changed; its other records come from the last build's chunk.
    assert "Records: 2 read afresh, 34 from the cache" in log
    build("fresh", "--no-cache")
    assert tree(tmp_path / "second") == tree(tmp_path / "fresh")
    reused = cached_entries & {p.name for p in cache.rglob("*") if p.is_file()}
    assert len(reused) > len(cached_entries) // 2  # most of the first build's work was reused


def test_rotating_the_id_secret_keeps_old_links_working(tmp_path: Path) -> None:
    write_record(tmp_path / "content", "a.md", VALID_RECORD)
    config = site_config(tmp_path / "config", {"about.md": "# About\n"})
    text = config.read_text().replace(
        "      id_secret: !ENV [IMR_ID_SECRET, imr-site-demo-secret-not-for-production]",
        "      id_secret: new-secret\n      previous_id_secrets: [old-secret, '']",
    )
    config.write_text(text)
    result = run_cli(
        "build",
        "--no-cache",
        "-f",
        config,
        "--content",
        tmp_path / "content",
        "--site-dir",
        tmp_path / "site",
    )
    assert result.code == 0, result.stderr
    old, new = public_id("CM99-9000001", "old-secret"), public_id("CM99-9000001", "new-secret")
    redirect = soup(tmp_path / "site" / "determinations" / old / "index.html")
    assert attr(redirect.select_one("meta[http-equiv=refresh]"), "content") == f"0; url=../{new}/"
    assert (tmp_path / "site" / "determinations" / new / "index.html").is_file()


def test_a_rebuild_audits_unchanged_pages_for_the_new_records_identifiers(tmp_path: Path) -> None:
    """A page the last audit found clean is searched again for identifiers it did not know: here a
    word in an old record's summary is a name that a new record declares."""
    content, cache = tmp_path / "content", tmp_path / "cache"
    old = VALID_RECORD.replace("(synthetic).", "(synthetic) and sleeps on a zorblat cushion.")
    write_record(content, "old.md", old)
    config = cached_config(tmp_path / "config", cache)

    def build() -> tuple[int, str]:
        result = run_cli("build", "-f", config, "--content", content, "--site-dir", tmp_path / "s")
        return result.code, result.stderr

    assert build()[0] == 0
    new = (
        VALID_RECORD.replace("CM99-9000001", "CM99-9000002")
        .replace("MRI of the right shoulder without contrast", "Acupuncture 6 sessions")
        .replace("Norco 10/325mg #120", "Home health aide")
        .replace("items:", "private: {names: [Zorblat]}\nitems:")
    )
    write_record(content, "new.md", new)
    code, stderr = build()
    old_page = f"determinations/{public_id('CM99-9000001', DEMO_SECRET)}/index.html"
    assert code == 3  # found, then withheld by a second build
    assert f"{old_page}: name of {public_id('CM99-9000002', DEMO_SECRET)}" in stderr


def test_the_audits_state_in_the_cache_holds_digests_not_identifiers(tmp_path: Path) -> None:
    """What the audit keeps for the next build (its identifiers, clean files and the site's words)
    is digests: no declared identifier, no word of the site, no path is written there."""
    content, cache = tmp_path / "content", tmp_path / "cache"
    record = VALID_RECORD.replace("items:", "private: {names: [Zorblat Quimby]}\nitems:")
    write_record(content, "one.md", record)
    config = cached_config(tmp_path / "config", cache)
    result = run_cli("build", "-f", config, "--content", content, "--site-dir", tmp_path / "s")
    assert result.code == 0, result.stderr
    state = (cache / STATE_FILE).read_bytes()
    page = tmp_path / "s" / "determinations" / public_id("CM99-9000001", DEMO_SECRET)
    assert len(state) > 1000  # it was written, with entries
    for text in ("Zorblat", "zorblat", "CM99-9000001", "shoulder", "determinations/", page.name):
        assert text.encode() not in state, text


def test_a_rebuild_takes_the_pages_of_the_site_before_last_and_leaves_nothing_stale(
    tmp_path: Path,
) -> None:
    content, cache, site = tmp_path / "content", tmp_path / "cache", tmp_path / "site"
    shutil.copytree(SAMPLE, content)
    removed, *held_back = sorted(content.glob("*.md"))[-3:]
    for path in held_back:
        path.rename(tmp_path / path.name)
    config = cached_config(tmp_path / "config", cache)

    def build(target: Path, *extra: str) -> str:
        result = run_cli(
            "-v", "build", "-f", config, "--content", content, "--site-dir", target, *extra
        )
        assert result.code == 0, result.stderr
        return result.stderr

    build(site)  # the site before last: has the page of the record removed below
    removed.unlink()
    build(site)
    assert (tmp_path / ".site.spare" / "determinations").is_dir()
    for path in held_back:
        (tmp_path / path.name).rename(content / path.name)
    log = build(site)
    assert "Reused the site before last: 1 stale entries removed" in log
    build(tmp_path / "fresh", "--no-cache")
    assert tree(site) == tree(tmp_path / "fresh")
    build(site, "--no-cache")  # without the cache no spare is kept
    assert not (tmp_path / ".site.spare").exists()


def test_a_rebuild_takes_the_group_pages_of_the_site_before_last_and_removes_stale_groups(
    tmp_path: Path,
) -> None:
    content, cache, site = tmp_path / "content", tmp_path / "cache", tmp_path / "site"
    for number in range(4):
        write_record(content, f"r{number}.md", dated_record(number, date(2016, 3, 1 + number)))
    only_record = VALID_RECORD.replace("MRI of the right shoulder without contrast", "Acupuncture")
    only_record = only_record.replace("Family Practice", "Psychiatry")
    write_record(content, "only.md", only_record)
    config = cached_config(tmp_path / "config", cache)

    def build(target: Path, *extra: str) -> str:
        return built(config, content, target, *extra)

    build(site)  # the site before last: has the groups of the record removed below
    assert (site / "treatments" / "acupuncture" / "index.html").is_file()
    assert (site / "specialties" / "psychiatry" / "index.html").is_file()
    assert (tmp_path / ".site.spare" / "treatments" / "acupuncture").is_dir()
    (content / "only.md").unlink()
    build(site)
    write_record(content, "r4.md", dated_record(4, date(2016, 3, 9)))
    log = build(site)
    found = re.search(r"Reused (\d+) group folders of the site before last: (\d+) stale", log)
    assert found, log
    reused, stale = int(found[1]), int(found[2])
    assert reused >= 5  # a folder of each group kind at least
    assert stale >= 2  # the removed record's treatment and specialty pages
    assert not (site / "treatments" / "acupuncture").exists()
    build(tmp_path / "fresh", "--no-cache")
    assert tree(site) == tree(tmp_path / "fresh")


def test_a_rebuild_with_keep_going_takes_invalid_records_problems_from_the_cache(
    tmp_path: Path,
) -> None:
    content, cache = tmp_path / "content", tmp_path / "cache"
    write_record(content, "good.md", VALID_RECORD)
    bad = VALID_RECORD.replace("CM99-9000001", "CM99-9000002").replace(
        "decision: upheld", "decision: maybe"
    )
    write_record(content, "bad.md", bad)
    config = cached_config(tmp_path / "config", cache)

    def build() -> str:
        result = run_cli(
            "-v", "build", "--keep-going", "-f", config, "--content", content,
            "--site-dir", tmp_path / "site",
        )  # fmt: skip
        assert result.code == 0, result.stderr
        assert f"{content}/bad.md: items[0].decision: found 'maybe'" in result.stderr
        return result.stderr

    assert "Records: 2 read afresh, 0 from the cache" in build()
    assert "Records: 0 read afresh, 2 from the cache" in build()  # the chunk, problems and all
    write_record(content, "other.md", VALID_RECORD.replace("CM99-9000001", "CM99-9000004"))
    # The new record's chunk is read; in it, a valid record of the last build comes from the cache
    # and an invalid one (its problems are not indexed record by record) is read again. Where the
    # chunks are cut depends on the paths, so on pytest's temporary folder (about 1 run in 60
    # puts bad.md and other.md in different chunks, when bad.md is taken whole from the cache).
    chunks = stable_chunks(record_paths(content), RECORDS_PER_JOB)
    [new_chunk] = [chunk for chunk in chunks if str(content / "other.md") in chunk]
    afresh = sum(Path(path).name in {"other.md", "bad.md"} for path in new_chunk)
    assert f"Records: {afresh} read afresh, {3 - afresh} from the cache" in build()


def dated_record(number: int, decided: date) -> str:
    """VALID_RECORD with its own case number, decided on ``decided``."""
    return VALID_RECORD.replace("CM99-9000001", f"CM99-{9100000 + number}").replace(
        "decision_date: 2016-12-09", f"decision_date: {decided.isoformat()}"
    )


def test_newer_determinations_leave_the_older_listing_pages_as_they_were(tmp_path: Path) -> None:
    """Listing pages are counted from the oldest and related determinations are precedents, so
    publishing newer determinations changes each group's own page and the new pages, not every page
    of every group, nor the pages of the determinations already published."""
    content, cache = tmp_path / "content", tmp_path / "cache"
    start = date(2016, 1, 1)
    for number in range(230):
        write_record(content, f"r{number:03d}.md", dated_record(number, start + timedelta(number)))
    config = cached_config(tmp_path / "config", cache)

    def build(site: str, *extra: str) -> str:
        return built(config, content, tmp_path / site, *extra)

    build("first")
    first = tree(tmp_path / "first")
    numbered = sorted(name for name in first if "/page/" in name)
    published = sorted(name for name in first if name.startswith("determinations/"))
    # 230 determinations in 2016: the year's own page shows the newest 130, page 1 the oldest 100.
    assert "years/2016/page/1/index.html" in numbered
    assert "years/2016/page/2/index.html" not in numbered
    oldest = soup(tmp_path / "first" / "years" / "2016" / "page" / "1" / "index.html")
    assert len(oldest.select("table tbody tr")) == 100
    assert "determinations 1 to 100, counted from the oldest" in oldest.get_text(" ")
    for number in range(230, 245):
        write_record(content, f"r{number:03d}.md", dated_record(number, start + timedelta(number)))
    log = build("second")
    second = tree(tmp_path / "second")
    for name in (*numbered, *published):
        assert second[name] == first[name], name
    rendered = int(log.split("Pages: ", 1)[1].split(" rendered", 1)[0])
    assert rendered < 15 + 20, log  # the new determinations' pages and a page per group
    # Search result cards are numbered from the oldest too: the files of the older ones hold the
    # last build's bytes (copied from the cache, never linked to it: issue 25).
    cards_before, cards_now = (
        tmp_path / site / "search" / "data" / "cards" for site in ("first", "second")
    )
    assert (cards_now / "0.json").read_bytes() == (cards_before / "0.json").read_bytes()
    newest = max(cards_now.glob("*.json"), key=lambda path: int(path.stem))  # the new ones'
    previous = cards_before / newest.name
    assert not previous.exists() or previous.read_bytes() != newest.read_bytes()
    build("fresh", "--no-cache")
    assert second == tree(tmp_path / "fresh")
    # Nothing changed: every page, a group's own page with its figures too, from the cache.
    again = build("again")
    assert "Pages: 0 rendered" in again, again
    assert tree(tmp_path / "again") == second
    # A numbered page is taken from the cache by what it shows: a change to one of its rows
    # renders it again.
    old = content / "r005.md"
    old.write_text(old.read_text().replace("Family Practice", "Internal Medicine"))
    build("third")
    third = tree(tmp_path / "third")
    assert third["years/2016/page/1/index.html"] != second["years/2016/page/1/index.html"]
    build("fresh", "--no-cache")
    assert third == tree(tmp_path / "fresh")


def test_a_rebuild_takes_the_exports_of_unchanged_years_from_the_cache(tmp_path: Path) -> None:
    content, cache = tmp_path / "content", tmp_path / "cache"
    for number, decided in enumerate([date(2015, 3, 1), date(2015, 4, 1), date(2016, 5, 1)]):
        write_record(content, f"r{number}.md", dated_record(number, decided))
    config = cached_config(tmp_path / "config", cache)

    def build(site: str, *extra: str) -> str:
        return built(config, content, tmp_path / site, *extra)

    assert "Exports: 0 of 2 parts taken from the cache" in build("first")
    write_record(content, "r3.md", dated_record(3, date(2017, 1, 2)))
    assert "Exports: 2 of 3 parts taken from the cache" in build("second")
    build("fresh", "--no-cache")
    assert tree(tmp_path / "second") == tree(tmp_path / "fresh")


def test_a_rebuild_does_not_read_record_files_unchanged_since_the_last_build(
    tmp_path: Path,
) -> None:
    content, cache = tmp_path / "content", tmp_path / "cache"
    shutil.copytree(SAMPLE, content)
    config = cached_config(tmp_path / "config", cache)

    def build(site: str, *extra: str) -> str:
        return built(config, content, tmp_path / site, *extra)

    # Files changed within 2 s of a build's start are not trusted by their status. Dated in the
    # future, none is trusted by the first build, however long it takes to start; dated back
    # (which makes their change time now) and 2 s later, the second build trusts them all and
    # notes them; the third does not read them.
    future = time.time_ns() + 3_600 * 10**9
    for path in content.glob("*.md"):
        os.utime(path, ns=(future, future))
    assert "Record files: 0 not read" in build("site")
    past = time.time_ns() - 3_600 * 10**9
    for path in content.glob("*.md"):
        os.utime(path, ns=(past, past))
    time.sleep(2.1)
    assert "Record files: 0 not read" in build("site")
    assert "Record files: 36 not read" in build("site")
    # Same size, modification time set back: the change time still tells.
    changed = sorted(content.glob("*.md"))[0]
    before = changed.stat()
    changed.write_text(changed.read_text().replace("Family Practice", "Family Practise"))
    os.utime(changed, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert changed.stat().st_size == before.st_size
    log = build("site")
    unread = int(log.split("Record files: ", 1)[1].split(" ", 1)[0])
    assert unread < 36  # the chunk holding the changed file was read (chunks cut by path hash)
    assert "Records: 1 read afresh, 35 from the cache" in log
    build("fresh", "--no-cache")
    assert tree(tmp_path / "site") == tree(tmp_path / "fresh")


def test_pruning_keeps_the_entries_used_and_those_being_written(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache", "code")
    keys = [cache.key("entry", str(number)) for number in range(4)]
    for key in keys[:2]:
        cache.store("pages", key, b"page")
    for key in keys[2:]:
        cache.store("chunks", key, b"chunk")
    being_written = cache.path("pages", keys[0]).parent / ".tmp-abc"
    being_written.write_bytes(b"half")
    assert cache.prune({keys[0], keys[2]}) == 2
    assert cache.load("pages", keys[0]) == b"page" and cache.load("chunks", keys[2]) == b"chunk"
    assert cache.load("pages", keys[1]) is None and cache.load("chunks", keys[3]) is None
    assert being_written.read_bytes() == b"half"


def test_a_rebuild_starts_from_the_last_builds_record_index(tmp_path: Path) -> None:
    """What the records stage's workers are given of the last build: the chunk entry of every
    record and the statuses of every chunk's files (``stages.RecordIndex``)."""
    cache_dir = tmp_path / "cache"
    settings = Settings(
        content_dir=SAMPLE, templates_dir=REPO / "templates", id_secret=DEMO_SECRET,
        cache_dir=cache_dir,
    )  # fmt: skip
    for scratch in ("scratch-1", "scratch-2"):
        (tmp_path / scratch).mkdir()
    first = prepare_site_here(settings, tmp_path / "scratch-1")
    previous = RecordIndex.load(BuildCache(cache_dir, fingerprint()))
    assert len(previous.chunks) == len(first.index.cards) > 0
    assert previous.statuses
    assert RecordIndex.load(BuildCache(None, fingerprint())) == RecordIndex()
    again = prepare_site_here(settings, tmp_path / "scratch-2")
    assert len(again.index.cards) == len(first.index.cards)


def _damage(path: Path, how: int) -> None:
    """Truncate, empty, flip a byte of, or append to a file, in place (as a disk or an editor
    might): ``how`` picks which."""
    data = path.read_bytes()
    damaged = [data[: len(data) // 2], b"", data, data + b"<!-- edited -->"][how % 4]
    if how % 4 == 2:
        middle = len(data) // 2
        damaged = (
            data[:middle] + bytes([data[middle] ^ 0x20]) + data[middle + 1 :] if data else b"x"
        )
    with path.open("r+b") as file:  # in place: the same inode
        file.write(damaged)
        file.truncate(len(damaged))


def test_a_damaged_cache_is_made_again_never_published(tmp_path: Path) -> None:
    """Every file of the cache truncated, emptied, flipped or appended to, and site files edited
    in place: the rebuild warns, makes the cache again and gives the bytes of a build without it."""
    for number in range(3):
        write_record(
            tmp_path / "content",
            f"r{number}.md",
            VALID_RECORD.replace("9000001", f"900000{number}"),
        )
    config, cache, site = (
        cached_config(tmp_path / "config", tmp_path / "cache"),
        tmp_path / "cache",
        tmp_path / "site",
    )
    content = tmp_path / "content"
    built(config, content, tmp_path / "fresh", "--no-cache")
    built(config, content, site)
    entries = sorted(p for p in cache.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert {p.relative_to(cache).parts[0] for p in entries} >= {"pages", "chunks", "templates"}
    for how, entry in enumerate(entries):
        _damage(entry, how)
    pages = sorted(site.rglob("*.html"))
    for how, page in enumerate(pages[:20]):
        _damage(page, how)
    log = built(config, content, site)
    assert "Traceback" not in log and "is damaged (or from an earlier version)" in log
    assert tree(site) == tree(tmp_path / "fresh")
    for page in pages[:20]:  # the site and the cache share no file
        _damage(page, 3)
    log = built(config, content, site)
    assert "is damaged" not in log
    assert tree(site) == tree(tmp_path / "fresh")

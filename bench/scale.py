"""Scale benchmark: records to a finished, searchable site at N determinations, with the figures the
scale issue asks for (build seconds, pages per second, peak memory, cores used, incremental rebuild,
ingest seconds and bytes for one query).

    .venv/bin/python bench/scale.py 1000 20000 [100000] --work build/bench [--source head]

For each N:

1. ``DIR/records-N``: N synthetic records from ``bench/synth.py`` (seed 1; reused if present).
2. ``DIR/content-N``: a working copy of them (hard links), the folder the site is built from.
3. Full build: ``python -m generator build --content DIR/content-N --site-dir DIR/site-N`` (with
   ``--no-cache`` under ``--no-incremental``: no rebuild needs the cache's copy of every page) as a
   subprocess with ``IMR_SITE_NO_PROGRESS=1``. Measured: wall seconds, CPU seconds (user+sys of the
   whole tree, from ``wait4``) over wall = cores used, and memory of the process tree sampled from
   ``/proc`` every 0.2 s: the peak of the summed RSS (counts pages shared by forked workers once per
   process, so it overstates), the peak of the summed PSS (shared pages split between the processes
   that share them: the tree's real footprint) and the largest single process (``ru_maxrss``).
4. Query bytes on the built site (``bench/query_bytes.py``: Chromium through Playwright).
5. Incremental: 1% new records (new case numbers, seed 2, decided in the month after the others, as
   a new batch of published determinations is; with ``--spread``, over the same past years: a
   back-fill) are added to ``DIR/content-N`` and the site is rebuilt in place; ``imr-site build`` reuses its build cache (``.imr-cache`` beside mkdocs.yml,
   filled by the full build of step 3, which starts from an empty cache). With ``--verify`` a fresh
   full build of the same records (``--no-cache``) goes to ``DIR/site-N-fresh`` and the two trees are
   compared.
6. Ingest: ``imr-site ingest`` on N letters: the 160 real text letters of
   ``../shared/corpus/dwc-imr/txt`` replicated by symbolic links in a temporary folder (read only; their
   text is never copied; the records written go to a temporary folder that is deleted).

``--source head`` benchmarks a ``git archive`` of HEAD (in ``DIR/src-<commit>``) instead of the working
tree, so work in progress by others does not change the figures mid-run; ``--source worktree`` (the
default) runs the repository as it is. Everything runs with this script's Python (the project venv).
Figures are printed as they come and, with ``--json FILE``, written as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import synth  # noqa: E402

LETTERS = REPO.parent / "shared" / "corpus" / "dwc-imr" / "txt"
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_SECONDS = 0.2
ADDED_SEED = 2
QUIET_CORES = 0.5
QUIET_WAIT_SECONDS = float(os.environ.get("BENCH_QUIET_WAIT", "120"))


@dataclass
class Run:
    """One measured subprocess: wall and CPU seconds, memory of its process tree, load around it."""

    command: list[str]
    returncode: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0
    cores_used: float = 0.0
    peak_tree_rss_mb: float = 0.0
    peak_tree_pss_mb: float = 0.0
    max_single_rss_mb: float = 0.0
    max_sampled_rss_mb: float = 0.0
    peak_processes: int = 0
    system_busy_cores: float = 0.0
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    output_tail: str = ""

    def summary(self) -> str:
        return (
            f"{self.wall_s:7.1f} s wall, {self.cpu_s:7.1f} s CPU = {self.cores_used:.2f} cores "
            f"(all processes on the machine: {self.system_busy_cores:.2f} cores busy), "
            f"peak tree PSS {self.peak_tree_pss_mb:.0f} MB, RSS sum {self.peak_tree_rss_mb:.0f} MB, "
            f"largest process {self.max_sampled_rss_mb:.0f} MB sampled, "
            f"{self.max_single_rss_mb:.0f} MB ru_maxrss, {self.peak_processes} processes; "
            f"load {self.load_before[0]:.2f} -> {self.load_after[0]:.2f}"
        )


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _tree(root: int) -> list[int]:
    children = _children_map()
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in bytes; (0, 0) if it has gone."""
    try:
        rss = int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
        pss = 0
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
                break
        return rss, pss
    except (OSError, ValueError, IndexError):
        return 0, 0


def _busy_jiffies() -> tuple[int, int]:
    """(busy, total) CPU jiffies of the whole machine."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    total = sum(fields[:8])
    return total - idle, total


def wait_for_quiet(most_seconds: float = QUIET_WAIT_SECONDS) -> float:
    """Wait (up to ``most_seconds``) until other processes use under half a core; returns the busy
    cores last seen. The machine is shared: this keeps other work out of the figures when it can."""
    deadline = time.monotonic() + most_seconds
    while True:
        busy0, total0 = _busy_jiffies()
        time.sleep(2)
        busy1, total1 = _busy_jiffies()
        busy = (busy1 - busy0) / max(1, total1 - total0) * (os.cpu_count() or 1)
        if busy < QUIET_CORES or time.monotonic() > deadline:
            return busy


def measure(command: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` and measure it and its process tree until it exits."""
    busy = wait_for_quiet()
    if busy >= QUIET_CORES:
        print(f"  (machine busy before the run: {busy:.2f} cores in use by others)", flush=True)
    run = Run(command=[str(part) for part in command])
    run.load_before = os.getloadavg()
    busy0, total0 = _busy_jiffies()
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after the process is reaped
    started = time.perf_counter()
    proc = subprocess.Popen(
        run.command,
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid == proc.pid:
            break
        pids = _tree(proc.pid)
        rss = pss = 0
        for member in pids:
            one_rss, one_pss = _memory(member)
            rss, pss = rss + one_rss, pss + one_pss
            run.max_sampled_rss_mb = max(run.max_sampled_rss_mb, one_rss / 1e6)
        run.peak_tree_rss_mb = max(run.peak_tree_rss_mb, rss / 1e6)
        run.peak_tree_pss_mb = max(run.peak_tree_pss_mb, pss / 1e6)
        run.peak_processes = max(run.peak_processes, len(pids))
        time.sleep(SAMPLE_SECONDS)
    run.wall_s = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    run.returncode = proc.returncode
    busy1, total1 = _busy_jiffies()
    cores = os.cpu_count() or 1
    run.system_busy_cores = (busy1 - busy0) / max(1, total1 - total0) * cores
    run.cpu_s = usage.ru_utime + usage.ru_stime
    run.cores_used = run.cpu_s / run.wall_s
    # ru_maxrss (KiB) is the largest single process of the tree; Linux carries the RSS the forked
    # child had before exec (this script's own) into it, so it is never below this script's RSS.
    run.max_single_rss_mb = usage.ru_maxrss * 1024 / 1e6
    run.load_after = os.getloadavg()
    log.seek(0)
    output = log.read()
    log.close()
    run.output_tail = output.decode(errors="replace")[-2000:]
    if run.returncode != 0:
        # The whole output is kept: a worker's or a child's own message comes long before the end.
        handle, kept = tempfile.mkstemp(prefix="scale-build-", suffix=".log")
        os.write(handle, output)
        os.close(handle)
        print(run.output_tail, file=sys.stderr)
        raise SystemExit(f"{' '.join(run.command)} exited {run.returncode}; its output: {kept}")
    return run


def tree_size(folder: Path) -> tuple[int, int, int]:
    """(files, bytes of content, bytes on disk) below ``folder``."""
    files = content = disk = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            stat = (Path(root) / name).lstat()
            files += 1
            content += stat.st_size
            disk += stat.st_blocks * 512
    return files, content, disk


def tree_digest(folder: Path) -> dict[str, str]:
    """SHA-256 of every file below ``folder``, by relative path."""
    digests = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digests[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def ensure_records(work: Path, count: int) -> Path:
    records = work / f"records-{count}"
    if not (records.is_dir() and sum(1 for _ in records.glob("*.md")) == count):
        print(f"Generating {count} synthetic records in {records} ...", flush=True)
        started = time.perf_counter()
        synth.generate(count, records, seed=1)
        print(f"  {time.perf_counter() - started:.1f} s", flush=True)
    return records


def reset_content(records: Path, content: Path) -> None:
    """``content`` holds exactly the files of ``records`` (hard links), nothing added."""
    wanted = {path.name for path in records.glob("*.md")}
    content.mkdir(parents=True, exist_ok=True)
    for path in content.iterdir():
        if path.name not in wanted:
            path.unlink()
    for name in wanted:
        if not (content / name).exists():
            os.link(records / name, content / name)


def add_records(
    content: Path, count: int, added: int, *, spread: bool = False, batch: int = 1
) -> None:
    """``added`` new records numbered after ``count`` (new case numbers), from another seed.

    They are decided in the month after the last decision of the generated records (``batch`` 2:
    the month after that, and so on), as a new batch of published determinations is; with
    ``spread``, over the same five years as the others (a back-fill of old letters, the worst case
    for a rebuild)."""
    rng = random.Random(ADDED_SEED)
    newest = synth.FIRST_DECISION + dt.timedelta(days=synth.DECISION_DAYS + 30 * (batch - 1))
    for number in range(count + 1, count + added + 1):
        text = synth.record(number, rng) if spread else synth.record(number, rng, newest, 30)
        (content / f"synthetic-{number:07d}.md").write_text(text, encoding="utf-8")


def source_tree(kind: str, work: Path) -> tuple[Path, str]:
    """The repository to benchmark, and a description of its code."""
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    if kind == "worktree":
        dirty = subprocess.run(
            [
                "git",
                "status",
                "--porcelain",
                "generator",
                "templates",
                "site_overrides",
                "mkdocs.yml",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return REPO, f"working tree at {commit[:12]}" + (
            " with uncommitted changes" if dirty else ""
        )
    target = work / f"src-{commit[:12]}"
    if not (target / "mkdocs.yml").is_file():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", "HEAD"], cwd=REPO, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target, f"git archive of HEAD {commit[:12]}"


@dataclass
class Figures:
    records: int
    code: str
    build: Run | None = None
    pages: int = 0
    html_pages: int = 0
    pages_per_s: float = 0.0
    site_files: int = 0
    site_mb: float = 0.0
    site_disk_mb: float = 0.0
    search_index_files: int = 0
    search_index_mb: float = 0.0
    incremental: Run | None = None
    incremental_mode: str = ""
    incremental_identical: str = "not checked"
    ingest: Run | None = None
    ingest_letters: int = 0
    queries: list[dict[str, object]] = field(default_factory=list)


def build_command(content: Path, site: Path, extra: list[str] | None = None) -> list[str]:
    return [
        sys.executable,
        "-m",
        "generator",
        "build",
        "--content",
        str(content),
        "--site-dir",
        str(site),
        *(extra or []),
    ]


def incremental_flag(source: Path, env: dict[str, str]) -> list[str]:
    help_text = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--help"],
        check=False,
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    return (
        []
        if "--no-cache" in help_text
        else ["--incremental"]
        if "--incremental" in help_text
        else []
    )


def run_ingest(work: Path, count: int, source: Path, env: dict[str, str]) -> tuple[Run, int]:
    letters = sorted(LETTERS.glob("*.txt"))
    if not letters:
        raise SystemExit(f"no letters in {LETTERS}")
    with tempfile.TemporaryDirectory(prefix="imr-bench-letters-") as tmp:
        folder, out = Path(tmp) / "letters", Path(tmp) / "records"
        folder.mkdir()
        for number in range(count):
            (folder / f"letter-{number:07d}.txt").symlink_to(letters[number % len(letters)])
        run = measure(
            [sys.executable, "-m", "generator", "ingest", str(folder), "--out", str(out)],
            cwd=source,
            env=env,
        )
    return run, count


def bench_one(count: int, args: argparse.Namespace, source: Path, code: str) -> Figures:
    work: Path = args.work
    env = {**os.environ, "IMR_SITE_NO_PROGRESS": "1"}
    figures = Figures(records=count, code=code)
    records = ensure_records(work, count)
    content, site = work / f"content-{count}", work / f"site-{count}"
    reset_content(records, content)
    shutil.rmtree(site, ignore_errors=True)

    print(f"\n== N = {count}: full build ({code})", flush=True)
    shutil.rmtree(source / ".imr-cache", ignore_errors=True)  # the full build starts cold
    # Without a rebuild to measure, no cache: it holds a copy of every page (a million pages
    # and their copies filled 69 GB of disk).
    cold = ["--no-cache"] if args.no_incremental else []
    figures.build = measure(build_command(content, site, cold), cwd=source, env=env)
    figures.pages = count
    figures.html_pages = sum(1 for _ in site.rglob("*.html"))
    figures.pages_per_s = count / figures.build.wall_s
    figures.site_files, content_bytes, disk_bytes = tree_size(site)
    figures.site_mb, figures.site_disk_mb = content_bytes / 1e6, disk_bytes / 1e6
    index_files, index_bytes, _ = tree_size(site / "search" / "data")
    figures.search_index_files, figures.search_index_mb = index_files, index_bytes / 1e6
    print(f"  build: {figures.build.summary()}", flush=True)
    print(
        f"  {figures.pages_per_s:.0f} determination pages/s; {figures.html_pages} HTML pages; "
        f"site {figures.site_files} files, {figures.site_mb:.0f} MB ({figures.site_disk_mb:.0f} MB "
        f"on disk); search index {index_files} files, {figures.search_index_mb:.1f} MB",
        flush=True,
    )

    if not args.no_queries:
        import query_bytes  # noqa: PLC0415 - Playwright only when queries are measured

        figures.queries = [asdict(row) for row in query_bytes.measure_site(site)]
        query_bytes.print_rows([query_bytes.QueryRow(**row) for row in figures.queries])

    if not args.no_incremental:
        added = max(1, count // 100)
        add_records(content, count, added, spread=args.spread)
        extra = incremental_flag(source, env)
        figures.incremental_mode = " ".join(extra) or "rebuild with the build cache"
        figures.incremental_mode += ", added records spread over past years" if args.spread else ""
        print(f"  + {added} records; rebuild in place: {figures.incremental_mode}", flush=True)
        figures.incremental = measure(build_command(content, site, extra), cwd=source, env=env)
        share = figures.incremental.wall_s / figures.build.wall_s
        print(f"  rebuild: {figures.incremental.summary()}", flush=True)
        print(f"  rebuild / full build = {share:.0%}", flush=True)
        if args.verify:
            fresh = work / f"site-{count}-fresh"
            shutil.rmtree(fresh, ignore_errors=True)
            measure(build_command(content, fresh, ["--no-cache"]), cwd=source, env=env)
            a, b = tree_digest(site), tree_digest(fresh)
            differing = sorted(name for name in set(a) | set(b) if a.get(name) != b.get(name))
            figures.incremental_identical = (
                "identical"
                if not differing
                else f"{len(differing)} files differ: {', '.join(differing[:5])}"
            )
            print(
                f"  rebuilt site vs fresh full build: {figures.incremental_identical}", flush=True
            )
            shutil.rmtree(fresh, ignore_errors=True)
        reset_content(records, content)

    if not args.no_ingest:
        figures.ingest, figures.ingest_letters = run_ingest(work, count, source, env)
        rate = count / figures.ingest.wall_s
        print(
            f"  ingest {count} letters: {figures.ingest.summary()}; {rate:.0f} letters/s",
            flush=True,
        )
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", type=int, nargs="+", metavar="N")
    parser.add_argument("--work", type=Path, required=True, help="folder for records and sites")
    parser.add_argument("--source", choices=["worktree", "head"], default="worktree")
    parser.add_argument("--verify", action="store_true", help="compare rebuild with a fresh build")
    parser.add_argument("--no-queries", action="store_true")
    parser.add_argument("--no-incremental", action="store_true")
    parser.add_argument(
        "--spread",
        action="store_true",
        help="date the 1%% added records over the past years (a back-fill), not in the next month",
    )
    parser.add_argument("--no-ingest", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    source, code = source_tree(args.source, args.work)
    print(f"Code: {code} ({source}); Python {sys.version.split()[0]}; {os.cpu_count()} CPUs")
    results = []
    for count in args.counts:
        results.append(bench_one(count, args, source, code))
        if args.json:
            args.json.write_text(json.dumps([asdict(r) for r in results], indent=1))
    print("\nN | build s | pages/s | peak PSS MB | cores | rebuild +1% s | ingest s")
    for r in results:
        assert r.build is not None
        rebuild = f"{r.incremental.wall_s:.1f}" if r.incremental else "-"
        ingest = f"{r.ingest.wall_s:.1f}" if r.ingest else "-"
        print(
            f"{r.records} | {r.build.wall_s:.1f} | {r.pages_per_s:.0f} | "
            f"{r.build.peak_tree_pss_mb:.0f} | {r.build.cores_used:.2f} | {rebuild} | {ingest}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

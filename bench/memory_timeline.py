"""Memory of a build over time: where the peak is, and which process holds it (Linux only).

    .venv/bin/python bench/memory_timeline.py -- .venv/bin/python -m generator -v build \\
        --content DIR/content-20000 --site-dir /tmp/site --no-cache

Runs the command and samples, every 0.25 s, the proportional set size (PSS, from
``/proc/PID/smaps_rollup``: a page shared by n processes counts 1/n in each) of its process and of
every process below it. Prints one line a second (the main process's PSS, the tree's, the number
of processes) with the command's own log lines (``-v`` gives each stage's time) in between, then the
tree's peak: when, and how it was split between the main process and the workers.

    .venv/bin/python bench/memory_timeline.py --attach PID [--every 2]

samples a process already running (the build ``scale.py`` runs, say) until it ends: a line a
sample with the tree's PSS and each process's.
"""

from __future__ import annotations

import argparse
import subprocess
import threading
import time
from pathlib import Path

INTERVAL = 0.25


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def pss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) // 1024
    return 0


def tree_pss(root: int) -> list[int]:
    """PSS (MB) of ``root`` first, then of every process below it."""
    todo, values = [root], []
    while todo:
        pid = todo.pop()
        try:
            todo += children(pid)
            values.append(pss_mb(pid))
        except OSError:
            continue
    return values


def attach(pid: int, every: float) -> None:
    """Sample the tree of a running process (a build ``scale.py`` started, say) until it ends:
    a line a sample, the tree's PSS and each process's (the root's first), then the peak."""
    started, peak = time.perf_counter(), (0, 0.0, "")
    while True:
        try:
            values = tree_pss(pid)
        except OSError:
            break
        if not values:
            break
        at, total = time.perf_counter() - started, sum(values)
        line = f"{at:7.0f} s  tree {total:5d} MB  | " + " ".join(map(str, values))
        print(line, flush=True)
        peak = max(peak, (total, at, line))
        time.sleep(every)
    print(f"peak: tree {peak[0]} MB at {peak[1]:.0f} s ({peak[2].partition('| ')[2]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attach", type=int, metavar="PID", help="sample a running process")
    parser.add_argument("--every", type=float, default=2.0, help="seconds between samples")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.attach:
        attach(args.attach, args.every)
        return
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    lines: list[tuple[float, str]] = []

    def read_log() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.append((time.perf_counter() - started, line.rstrip()))

    threading.Thread(target=read_log, daemon=True).start()
    samples: list[tuple[float, int, int, int]] = []
    while process.poll() is None:
        values = tree_pss(process.pid)
        if values:
            samples.append((time.perf_counter() - started, values[0], sum(values), len(values)))
        time.sleep(INTERVAL)
    time.sleep(0.2)  # the last log lines
    report(samples, lines)


def report(samples: list[tuple[float, int, int, int]], lines: list[tuple[float, str]]) -> None:
    events = [(at, line, None) for at, line in lines]
    events += [(at, "", (main_mb, tree_mb, count)) for at, main_mb, tree_mb, count in samples]
    last_second = -1
    for at, line, sample in sorted(events, key=lambda event: event[0]):
        if sample is None:
            print(f"{at:8.2f}  {line}")
        elif int(at) != last_second:
            last_second = int(at)
            print(
                f"{at:8.2f}  main {sample[0]:5d} MB  tree {sample[1]:5d} MB  processes {sample[2]}"
            )
    if samples:
        at, main_mb, tree_mb, count = max(samples, key=lambda sample: sample[2])
        print(
            f"peak: tree {tree_mb} MB at {at:.1f} s (main {main_mb} MB, {count} processes); "
            f"main process's own peak {max(sample[1] for sample in samples)} MB"
        )


if __name__ == "__main__":
    main()

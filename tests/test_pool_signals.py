"""``parallel``'s pool workers and signals: imr-site's command line answers SIGTERM by raising
KeyboardInterrupt (``cli.py``); a worker forked from it must never run that handler (a worker's
traceback in a build's output), nor lose a SIGTERM the pool sends it (the pool then waited for
that worker for ever: a build hung until a test's 600 s timeout)."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import REPO

AS_THE_COMMAND_LINE = """
import os, signal, sys
from generator.exceptions import WorkerDiedError
from generator.parallel import parallel_map

def terminated(signum, frame):
    raise KeyboardInterrupt

signal.signal(signal.SIGTERM, terminated)  # as imr-site's command line sets it (cli.py)
"""

SIGTERM_AS_SOON_AS_FORKED = """
os.register_at_fork(after_in_child=lambda: os.kill(os.getpid(), signal.SIGTERM))
try:
    list(parallel_map(abs, [-1, -2, -3, -4], desc="test"))
except WorkerDiedError as error:
    print(error)
"""

MANY_SHORT_POOLS = """
for _ in range(int(sys.argv[1])):
    assert list(parallel_map(abs, [-1, -2, -3, -4], desc="test")) == [1, 2, 3, 4]
print("done")
"""


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "IMR_SITE_WORKERS": "4", "IMR_SITE_NO_PROGRESS": "1"}
    return subprocess.run(
        [sys.executable, "-c", AS_THE_COMMAND_LINE + script, *args],
        capture_output=True, text=True, timeout=300, check=False, cwd=REPO, env=env,
    )  # fmt: skip


def test_a_sigterm_that_reaches_a_worker_as_it_is_forked_ends_it_without_a_word() -> None:
    """Sent before the worker set its own dispositions, it was taken by the inherited handler:
    its KeyboardInterrupt printed a traceback, or was lost (Python drops a signal caught in the
    moment after a fork) and the worker lived on."""
    run = _run(SIGTERM_AS_SOON_AS_FORKED)
    assert run.returncode == 0, run.stderr
    assert "a worker process was stopped by SIGTERM" in run.stdout
    assert run.stderr == ""


def test_many_short_pools_end_without_a_traceback_or_a_wait() -> None:
    """Pools whose jobs are done before every worker has started (the pool then terminates
    workers still starting): before the fix, 300 such pools under load printed a worker's
    KeyboardInterrupt traceback or hung in about one run of two."""
    run = _run(MANY_SHORT_POOLS, "60")
    assert run.returncode == 0, run.stderr
    assert run.stdout == "done\n"
    assert run.stderr == ""

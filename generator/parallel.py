"""Run a function over chunks of work on every core, results in input order (so output is the same
bytes whatever the core count). Workers are forked, so they share what the parent loaded (the
MkDocs theme, navigation and configuration) without pickling it."""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import logging
import multiprocessing
import multiprocessing.pool
import multiprocessing.process
import os
import pickle
import reprlib
import shutil
import signal
import sys
import tempfile
import threading
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from generator.exceptions import FileSystemError, ImrSiteError, WorkerDiedError
from generator.progress import progress
from generator.settings import WORKERS_ENV

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


def worker_count() -> int:
    """Cores to use: IMR_SITE_WORKERS if set, else every core this process may run on."""
    configured = os.environ.get(WORKERS_ENV)
    if configured:
        return max(1, int(configured))
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


def stable_chunks(names: Sequence[str], size: int) -> list[Sequence[str]]:
    """Chunks of about ``size`` names, cut after each name whose hash marks a boundary (at most
    four times ``size`` long), so adding or removing names changes only the chunks they fall in
    and the result of every other chunk can be taken whole from a cache."""
    chunks: list[Sequence[str]] = []
    start = 0
    for end, name in enumerate(names, start=1):
        digest = hashlib.blake2b(name.encode("utf-8", "surrogatepass"), digest_size=4).digest()
        if int.from_bytes(digest, "big") % size == 0 or end - start >= 4 * size:
            chunks.append(names[start:end])
            start = end
    if start < len(names):
        chunks.append(names[start:])
    return chunks


def parallel_map(
    function: Callable[[T], R],
    jobs: Sequence[T],
    *,
    desc: str,
    ordered: bool = True,
    context: object = None,
) -> Iterator[R]:
    """``map(function, jobs)`` on forked workers, yielding results in job order (or, when not
    ``ordered``, as they are done: the parent need not wait for a long job to use the others).
    ``function`` reads ``context`` with ``worker_context()``: what every job shares, inherited
    by the workers when they are forked, never pickled."""
    workers = min(worker_count(), len(jobs))
    with _shared(context):
        if workers < 2:
            yield from progress(map(function, jobs), desc=desc, unit="chunk", total=len(jobs))
            return
        watch = _Watch(jobs)
        with _forked_pool(workers, watch) as pool:
            mapped = pool.imap if ordered else pool.imap_unordered
            results = mapped(partial(_watched, function), enumerate(jobs), chunksize=1)
            watched = (watch.next(results, pool) for _ in range(len(jobs)))
            yield from progress(watched, desc=desc, unit="chunk", total=len(jobs))


def parallel_map_beside(
    function: Callable[[T], R],
    jobs: Sequence[T],
    local_jobs: Sequence[T],
    *,
    desc: str,
    context: object = None,
) -> Iterator[tuple[int, R]]:
    """``function`` over ``jobs`` on forked workers and over ``local_jobs`` in this process
    meanwhile: jobs that read so many of this process's objects that a worker would copy them
    (reading an object writes its reference count, so its memory page becomes the worker's own).
    Once the workers are through ``jobs``, they share out the local jobs not started yet.

    Yields (place, result) as each job is done; places count ``jobs``, then ``local_jobs``.
    ``context`` as for ``parallel_map``."""
    total = len(jobs) + len(local_jobs)
    with _shared(context):
        yield from progress(
            _beside(function, jobs, local_jobs), desc=desc, unit="chunk", total=total
        )


@contextlib.contextmanager
def _shared(context: object) -> Iterator[None]:
    _FORKED["context"] = context
    try:
        yield
    finally:
        _FORKED.pop("context", None)


def worker_context() -> Any:
    """In a job of ``parallel_map`` or ``parallel_map_beside``: the ``context`` it was given."""
    return _FORKED["context"]


def _beside(
    function: Callable[[T], R], jobs: Sequence[T], local_jobs: Sequence[T]
) -> Iterator[tuple[int, R]]:
    workers = min(worker_count(), len(jobs) + len(local_jobs))
    if workers < 2:
        yield from enumerate(map(function, [*jobs, *local_jobs]))
        return
    numbered = partial(_numbered, function)
    waiting = deque(range(len(jobs), len(jobs) + len(local_jobs)))
    watch = _Watch([*jobs, *local_jobs])
    with _forked_pool(workers, watch) as pool:
        results = pool.imap_unordered(numbered, enumerate(jobs), chunksize=1)
        for _ in range(len(jobs)):
            while waiting:
                try:
                    yield results.next(timeout=0)
                    break
                except multiprocessing.TimeoutError:
                    place = waiting.popleft()
                    yield place, function(local_jobs[place - len(jobs)])
            else:
                yield watch.next(results, pool)
        rest = [(place, local_jobs[place - len(jobs)]) for place in waiting]
        results = pool.imap_unordered(numbered, rest, chunksize=1)
        for _ in rest:
            yield watch.next(results, pool)


def _numbered(function: Callable[[T], R], job: tuple[int, T]) -> tuple[int, R]:
    return job[0], _watched(function, job)


def _watched(function: Callable[[T], R], job: tuple[int, T]) -> R:
    """In a worker: ``function`` over a numbered job, noting in the pool's ``_Watch`` which
    process started it and when it is done."""
    place, work = job
    watch = _FORKED.get("watch")
    if watch is not None:
        watch.started[place] = os.getpid()
    result = function(work)
    if watch is not None:
        watch.done[place] = 1
    return result


WATCH_SECONDS = 1.0
"""How often the parent, waiting for a result, looks whether a worker died."""
_FORKED: dict[str, Any] = {}
"""What the workers of a pool about to be forked inherit: the pool's watch and the jobs' context
(``worker_context``). The one place state reaches a worker other than in its job."""


class _Watch:
    """Which worker process started which job, in memory the pool's workers share with the
    parent: a worker that dies (killed, out of memory, a crash) is reported with the job it was
    on, instead of the parent waiting for its result for ever (``multiprocessing.Pool``
    replaces the worker and forgets the job)."""

    def __init__(self, jobs: Sequence[object]) -> None:
        self.jobs = jobs
        self.started = multiprocessing.RawArray("q", len(jobs))
        self.done = multiprocessing.RawArray("b", len(jobs))
        self.workers: dict[int, multiprocessing.process.BaseProcess] = {}

    def next(
        self, results: multiprocessing.pool.IMapIterator[R], pool: multiprocessing.pool.Pool
    ) -> R:
        """The next result, looking at the workers every WATCH_SECONDS while it is awaited."""
        while True:
            try:
                return results.next(timeout=WATCH_SECONDS)
            except multiprocessing.TimeoutError:
                self.check(pool)

    def check(self, pool: multiprocessing.pool.Pool) -> None:
        """Raise WorkerDiedError if a worker of ``pool`` has died."""
        for process in getattr(pool, "_pool", []):
            self.workers.setdefault(id(process), process)
        for process in self.workers.values():
            if process.exitcode is not None:
                raise WorkerDiedError(self._message(process))

    def _message(self, process: multiprocessing.process.BaseProcess) -> str:
        how = _how_stopped(process.exitcode or 0)
        lost = [
            place
            for place in range(len(self.jobs))
            if self.started[place] == process.pid and not self.done[place]
        ]
        what = "; ".join(_describe(self.jobs[place]) for place in lost) or "a job"
        return f"a worker process was stopped {how} while working on {what}; nothing was published"


def _describe(job: object) -> str:
    """A job as a message names it: its files (a chunk of records), or what it is."""
    paths = getattr(job, "paths", None)
    if paths is not None and len(paths):
        names = list(paths)
        if len(names) == 1:
            return str(names[0])
        return f"one of {len(names)} files, {names[0]} to {names[-1]}"
    return reprlib.repr(job)


@contextlib.contextmanager
def _forked_pool(workers: int, watch: _Watch) -> Iterator[multiprocessing.pool.Pool]:
    """Workers forked from this process, noting their
    jobs in ``watch``; stopped at the end of the block (``_shut_down``), however it ends.

    They are forked with Ctrl-C and SIGTERM held back: a worker would otherwise start with this
    process's handlers (SIGTERM raising KeyboardInterrupt, ``cli.py``) until ``_start_worker``
    replaced them, and a pool stopped in that moment printed a worker's traceback."""
    _FORKED["watch"] = watch
    with _stop_signals_held():
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker)
    try:
        watch.check(pool)  # notes the workers
        yield pool
    finally:
        _shut_down(pool)


def _start_worker() -> None:
    """In a pool worker: Ctrl-C is the parent's to answer (it stops the pool) and SIGTERM, which
    the pool sends to stop a worker, ends it at once, so a worker prints no traceback of its own;
    and it dies with its parent, never left running. Forked with both signals held back
    (``_forked_pool``), it lets them in once its own dispositions are set."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
    die_with_parent()


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _stop_signals_held() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back (blocked) in this thread for the block, and so in the
    processes and threads started in it; any that came meanwhile is delivered at its end."""
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextlib.contextmanager
def _stop_signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM noted but not acted on during the block, then raised again at its end:
    stopping children is never cut short half way by a second Ctrl-C (a pool left with a lock
    taken and a worker running). Only the main thread sets handlers; elsewhere, as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    came: list[int] = []
    handlers = {number: signal.getsignal(number) for number in _STOP_SIGNALS}
    for number, handler in handlers.items():
        if handler not in (signal.SIG_IGN, None):
            signal.signal(number, lambda signum, _frame: came.append(signum))
    try:
        yield
    finally:
        for number, handler in handlers.items():
            if handler is not None:
                signal.signal(number, handler)
        if came:
            signal.raise_signal(came[0])


def _shut_down(pool: multiprocessing.pool.Pool) -> None:
    """Stop ``pool``, never waiting on a worker that died. ``Pool.terminate`` waits for a lock
    that idle workers take in turn, and a worker killed holding it (out of memory, a kill
    signal) never gives it back: after STOP_SECONDS every worker is killed, and what is left of
    the pool's stopping (its threads, in this process) is left to end with the process."""
    with _stop_signals_deferred():
        stopping = threading.Thread(target=pool.terminate, name="imr-pool-stop", daemon=True)
        stopping.start()
        stopping.join(STOP_SECONDS)
        if not stopping.is_alive():
            return
        for process in list(getattr(pool, "_pool", [])):
            if process.exitcode is None:
                process.kill()
                process.join(STOP_SECONDS)
        stopping.join(STOP_SECONDS)
        if stopping.is_alive():
            log.debug("The pool's workers were killed; its threads are left to end with us")


_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Have the kernel kill this (forked) process when its parent dies, where it can (Linux): a
    build killed with SIGKILL leaves no child behind, waiting for ever."""
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def run_apart(function: Callable[..., R], *args: object, scratch: Path) -> R:
    """``function(*args)`` in a forked child process, its result (or the exception it raised)
    handed back pickled through a file in ``scratch``.

    What the child makes and lets go on the way goes with it. In this process it would stay:
    Python gives an arena of small objects back only when every object in it is gone, so a stage
    that makes millions of short-lived objects among a few long-lived ones leaves this process,
    and every worker later forked from it, that much larger. The result must pickle (files it
    holds by name)."""
    handle, name = tempfile.mkstemp(dir=scratch, prefix="apart-", suffix=".pickle")
    os.close(handle)
    path = Path(name)
    try:
        child = multiprocessing.get_context("fork").Process(
            target=_run_and_hand_back, args=(function, args, path), name="imr-apart"
        )
        try:
            with _stop_signals_held():  # the child lets them in where it answers them
                child.start()
            child.join()
        except BaseException:  # interrupted: the child (and its workers) must not run on
            _stop(child)
            raise
        if child.exitcode != 0 or path.stat().st_size == 0:
            free = shutil.disk_usage(scratch).free
            raise lost_outcome(function.__name__, child.exitcode or 0, scratch, free)
        with path.open("rb") as file:
            succeeded, value = pickle.load(file)  # noqa: S301 - written by our own child
    finally:
        path.unlink(missing_ok=True)
    if not succeeded:
        raise value
    return value  # type: ignore[no-any-return]


LOW_DISK_BYTES = 64 << 20
"""Free space below which a child that died without handing back its outcome is taken to have
filled the disk (it could not even write the outcome, nor its error message to a log there)."""


def lost_outcome(name: str, exitcode: int, scratch: Path, free: int) -> ImrSiteError:
    """The error for a child of ``run_apart`` that stopped without handing back its outcome:
    a full disk when the scratch folder's disk has less than LOW_DISK_BYTES ``free``, else the
    child's death, by its exit code or signal."""
    if free < LOW_DISK_BYTES:
        return FileSystemError(
            f"{scratch}: the disk is full ({free >> 20} MB free) and the process running {name} "
            "stopped; nothing was published. Free some space (or use --no-cache) and build again"
        )
    return WorkerDiedError(
        f"the process running {name} was stopped {_how_stopped(exitcode)} before handing back "
        "its result; nothing was published"
    )


def _how_stopped(exitcode: int) -> str:
    """How a process stopped, as a message says it: its exit code, or the signal that stopped it."""
    if exitcode >= 0:
        return f"with exit code {exitcode}"
    name = signal.Signals(-exitcode).name
    return f"by {name}" + (" (out of memory?)" if name == "SIGKILL" else "")


def _run_and_hand_back(
    function: Callable[..., object], args: tuple[object, ...], path: Path
) -> None:
    """In the child: ``function(*args)``, then its result or exception pickled to ``path``. An
    exception carries the child's traceback as a note (a traceback does not pickle)."""
    die_with_parent()
    try:
        _hand_back(function, args, path)
    except KeyboardInterrupt:  # wherever it comes, even as the outcome is written
        raise SystemExit(130) from None  # the parent was interrupted too: no traceback here


def _hand_back(function: Callable[..., object], args: tuple[object, ...], path: Path) -> None:
    """``_run_and_hand_back``'s work, Ctrl-C let in."""
    try:
        # Held back while it was forked (``run_apart``).
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        outcome: tuple[bool, object] = (True, function(*args))
    except Exception as error:
        error.add_note("".join(traceback.format_exception(error)).rstrip())
        outcome = (False, error)
    with path.open("wb") as file:
        try:
            pickle.dump(outcome, file, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # a result or an error that does not pickle: a bug
            file.seek(0)
            file.truncate()
            trace = "".join(traceback.format_exception(error)).rstrip()
            failure = RuntimeError(
                f"{function.__name__}'s outcome could not be handed back:\n{trace}"
            )
            pickle.dump((False, failure), file, protocol=pickle.HIGHEST_PROTOCOL)


def _stop(child: multiprocessing.process.BaseProcess) -> None:
    """Stop a child that is still running: interrupted first (so it stops its own workers),
    terminated if it has not stopped within a few seconds."""
    if not child.is_alive() or child.pid is None:
        return
    with _stop_signals_deferred():  # a second Ctrl-C does not leave the child running
        try:
            os.kill(child.pid, signal.SIGINT)
        except ProcessLookupError:  # reaped by the join Ctrl-C broke into: nothing left to stop
            return
        child.join(STOP_SECONDS)
        if child.is_alive():
            child.terminate()
            child.join(STOP_SECONDS)
        if child.is_alive():  # stuck where no signal handler runs
            child.kill()
            child.join()


STOP_SECONDS = 5

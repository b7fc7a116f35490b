"""A process forked at the start of a build, while the main process holds little, to run one call
for it at the end (the leak audit): the workers that call forks are then copies of a small process,
not of one that holds every card, group and posting of the site by then.

A forked worker shares its parent's memory until either of them writes to a page of it, and Python
writes to every object it touches (its reference count) and fills the holes freed objects leave
among live ones. Audit workers forked from the main process came to hold 140 MB each at 100,000
determinations, most of it their own copies of the main process's pages.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from generator.parallel import worker_count

log = logging.getLogger(__name__)

R = TypeVar("R")


class EarlyProcess:
    """Fork now, call later: ``call(function, *args)`` runs in the process forked at creation
    (once), or here where processes cannot be forked or one core is all there is."""

    def __init__(self) -> None:
        self._connection: Connection | None = None
        self._process: multiprocessing.process.BaseProcess | None = None
        if worker_count() > 1 and "fork" in multiprocessing.get_all_start_methods():
            context = multiprocessing.get_context("fork")
            self._connection, theirs = context.Pipe()
            self._process = context.Process(
                target=_serve, args=(theirs, self._connection), name="imr-early"
            )
            self._process.start()
            theirs.close()

    def call(self, function: Callable[..., R], *args: Any) -> R:
        if self._connection is None:
            return function(*args)
        connection, self._connection = self._connection, None
        connection.send((function, args))
        succeeded, value = connection.recv()
        connection.close()
        if not succeeded:
            raise value
        result: R = value
        return result

    def close(self) -> None:
        """End the process (if nothing was called, it is waiting: closing the pipe ends it)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            self._process.join(timeout=10)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join()
            self._process = None

    def __enter__(self) -> EarlyProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _serve(connection: Connection, parents: Connection) -> None:
    """Wait for one call (an interrupt is the parent's to handle), run it, send back its result or
    its exception. (``parents``: the parent's end of the pipe, which the fork copied; closed, so
    that the parent closing its own ends the wait.)"""
    parents.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        function, args = connection.recv()
    except EOFError:  # the parent closed the pipe: nothing to do
        return
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        outcome: tuple[bool, object] = (True, function(*args))
    except Exception as error:  # handed to the parent, which raises it
        outcome = (False, error)
    try:
        connection.send(outcome)
    except (BrokenPipeError, OSError):  # the parent is gone
        return
    except Exception as error:  # a result or an exception that cannot be pickled
        message = f"the early process could not send back {outcome[1]!r}: {error}"
        connection.send((False, RuntimeError(message)))

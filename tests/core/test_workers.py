"""The worker process a build starts beside itself always stops with it."""

from __future__ import annotations

import signal

from newsforge.workers import Beside, can_fork


def _deaf_to_sigterm() -> str:
    """A setup after which the worker ignores SIGTERM (as a worker does for a moment
    after it is forked, while it still runs the handler it inherited)."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    return "ready"


def _echo(state: str, items: list[object]) -> list[object]:
    return [state, *items]


def test_a_worker_that_ignores_sigterm_still_stops() -> None:
    assert can_fork()  # the case that hung: a forked worker holds a copy of our end

    def hung(signum: int, frame: object) -> None:
        raise _HungError("closing the worker hung")

    before = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        with Beside(_deaf_to_sigterm, ()) as worker:
            assert worker.run(_echo, [1])() == ["ready", 1]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, before)


class _HungError(Exception):
    """Not an OSError: multiprocessing swallows those while it waits for a process."""


def test_a_worker_that_failed_to_set_up_gives_none() -> None:
    with Beside(_failing_setup, ()) as worker:
        assert worker.run(_echo, [1])() is None


def _failing_setup() -> None:
    raise RuntimeError("no model here")

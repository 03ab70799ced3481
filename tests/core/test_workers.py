"""The worker process a build starts beside itself always stops with it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

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


_STRANDED = '''
import os, sys, time
from newsforge.workers import map_in_processes

def ready() -> None:
    pass

def wait(chunk):
    print(os.getpid(), flush=True)
    time.sleep(120)
    return chunk

if __name__ == "__main__":
    for _ in map_in_processes(wait, [1, 2], workers=2, chunk=1, initializer=ready,
                              initargs=(), fresh=True):
        pass
'''


def test_workers_from_the_fork_server_end_when_the_build_is_killed(tmp_path: Path) -> None:
    """Each keeps the fork server alive, so only watching the build itself ends them."""
    script = tmp_path / "stranded.py"
    script.write_text(_STRANDED, encoding="utf-8")
    build = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                             cwd=tmp_path)
    assert build.stdout is not None
    workers = [int(build.stdout.readline()) for _ in range(2)]
    build.kill()
    build.wait()
    deadline = time.monotonic() + 20
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    stranded = [pid for pid in workers if _alive(pid)]
    for pid in stranded:  # not left running after a failure
        os.kill(pid, signal.SIGKILL)
    assert not stranded


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError):  # a zombie has ended: only its entry is left
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    return True

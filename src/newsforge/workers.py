"""Running one stage's pure per-item function on many workers: local processes or Dask.

A stage hands over its items in chunks with two functions: ``setup(*setup_args)`` builds
what it reads with (a language model, compiled rules), once per worker, and
``work(state, chunk)`` turns one chunk into results. An ``Executor`` runs them:

- ``ProcessExecutor``: local processes, forked when no other thread runs (spawned in the
  preview server, whose watchdog threads make forking unsafe); ``setup`` runs in each
  process's initializer.
- ``DaskExecutor``: a Dask distributed cluster (``distributed``, the ``newsforge[dask]``
  extra): a scheduler's address, or a ``LocalCluster`` started for the build. The setup
  arguments are sent once to every worker; each worker builds the state on its first
  chunk and keeps it, keyed by a token of this run, until the run ends.

Results always come back in the order of the items, so the output never depends on the
executor or on the number of workers.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import hashlib
import multiprocessing
import os
import pickle
import select
import signal
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, TypeVar

from newsforge import __version__
from newsforge.errors import BuildError

Item = TypeVar("Item")
Result = TypeVar("Result")
State = TypeVar("State")

EXECUTORS = ("processes", "dask")
# Chunks in flight per worker: enough that no worker waits for the next, few enough that
# finished results never pile up ahead of their consumer.
_AHEAD = 3
# prctl(2): the signal a process gets when its parent dies.
_PR_SET_PDEATHSIG = 1

# The state each worker process (or Dask worker) built for a run, by the run's token.
# A cache local to the worker; the parent only ever holds one under Dask's in-process
# cluster, and removes it when the run ends.
_states: dict[str, Any] = {}
_states_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class ExecutorSpec:
    """Where a build's loading and extraction run: ``processes`` (local, the default) or
    ``dask`` (``address`` of a scheduler, or None for a LocalCluster of ``jobs`` workers)."""

    kind: str = "processes"
    address: str | None = None
    jobs: int | None = None


def parse_executor(text: str, jobs: int | None = None) -> ExecutorSpec:
    """``processes``, ``dask`` or ``dask=tcp://host:8786``; ValueError on anything else."""
    kind, _, address = text.partition("=")
    kind = kind.strip().lower()
    if kind not in EXECUTORS or (address and kind != "dask"):
        raise ValueError(f"unknown executor {text!r}: use 'processes', 'dask' or "
                         "'dask=ADDRESS' (a Dask scheduler such as tcp://10.0.0.5:8786)")
    return ExecutorSpec(kind, address.strip() or None, jobs)


class Executor(Protocol):
    """Runs ``work`` over chunks of ``items`` with a state built by ``setup`` per worker."""

    def map(self, setup: Callable[..., Any], work: Callable[[Any, list[Any]], list[Any]],
            items: Sequence[Any], setup_args: tuple[Any, ...], *, chunk: int
            ) -> Iterator[Any]: ...


def _chunks(items: Sequence[Item], size: int) -> deque[list[Item]]:
    return deque(list(items[i:i + size]) for i in range(0, len(items), size))


def _in_order(pool: ProcessPoolExecutor, function: Callable[[list[Item]], list[Result]],
              chunks: deque[list[Item]], ahead: int) -> Iterator[Result]:
    """``function`` over ``chunks`` in ``pool``, results in chunk order, with at most
    ``ahead`` chunks submitted and not yet consumed: ``Executor.map`` submits every chunk
    at once, so results a slower consumer has not taken yet (100k rendered pages) would
    pile up in memory. Each chunk is let go of once its results are taken (the texts
    handed to render workers: a GB at 100k articles)."""
    pending: deque[Future[list[Result]]] = deque()
    while chunks:
        pending.append(pool.submit(function, chunks.popleft()))
        if len(pending) >= ahead:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def _install(token: str, setup: Callable[..., Any], setup_args: tuple[Any, ...]) -> None:
    _die_with_parent()
    _states[token] = setup(*setup_args)


def _initialise(initializer: Callable[..., None], *initargs: Any) -> None:
    _die_with_parent()
    initializer(*initargs)


def _die_with_parent() -> None:
    """Have the system end this worker when the build that started it dies (Linux). A
    killed build must leave no worker behind: one blocked writing results nobody reads
    would also hold the build's output pipes open."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    # The process that asked for this worker: its parent, or the one a fork server forked
    # it for. The server outlives that process as long as a worker it forked holds the
    # pipe that keeps it alive (every worker does), so the system's signal never comes:
    # such a worker watches the build itself.
    parent = multiprocessing.parent_process()
    if parent is None or parent.pid is None or parent.pid == os.getppid():
        return
    try:
        watched: int | None = os.pidfd_open(parent.pid)
    except ProcessLookupError:
        os._exit(1)  # it died before the call
    except (OSError, AttributeError):  # no process descriptors here: look every second
        watched = None
    threading.Thread(target=_end_with, args=(parent.pid, watched), daemon=True).start()


def _end_with(pid: int, watched: int | None) -> None:
    """End this process when ``pid`` has ended (``watched``: a descriptor of it)."""
    if watched is not None:
        select.select([watched], [], [])
    else:
        while _running(pid):
            time.sleep(1)
    os._exit(1)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # running, as another user
        pass
    return True


def _run_installed(token: str, work: Callable[[Any, list[Any]], list[Any]],
                   chunk: list[Any]) -> list[Any]:
    return work(_states[token], chunk)


def _run_chunk(token: str, setup: Callable[..., Any], setup_args: tuple[Any, ...],
               work: Callable[[Any, list[Any]], list[Any]], chunk: list[Any]) -> list[Any]:
    """One Dask task: the worker's state for this run (built on its first chunk), then work."""
    state = _states.get(token)
    if state is None:
        with _states_lock:
            state = _states.get(token)
            if state is None:
                state = _states[token] = setup(*setup_args)
    return work(state, chunk)


def _forget(token: str) -> None:
    _states.pop(token, None)


@dataclass(frozen=True, slots=True)
class ProcessExecutor:
    """``workers`` local processes, started for each ``map`` and stopped after it."""

    workers: int

    def map(self, setup: Callable[..., Any], work: Callable[[Any, list[Any]], list[Any]],
            items: Sequence[Any], setup_args: tuple[Any, ...], *, chunk: int
            ) -> Iterator[Any]:
        token = uuid.uuid4().hex
        with ProcessPoolExecutor(self.workers, mp_context=_start_method(),
                                 initializer=_install,
                                 initargs=(token, setup, setup_args)) as pool:
            yield from _in_order(pool, partial(_run_installed, token, work),
                                 _chunks(items, chunk), _AHEAD * self.workers)


class DaskExecutor:
    """A Dask distributed cluster: the scheduler at ``address``, or a LocalCluster of
    ``jobs`` single-threaded workers (``processes=False``: threads of this process, which
    is what tests use). Use as a context manager; the cluster it started stops with it."""

    def __init__(self, address: str | None = None, jobs: int | None = None,
                 processes: bool = True) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise RuntimeError("the Dask executor needs the 'distributed' package: "
                               "pip install 'newsforge[dask]'") from None
        self._cluster: Any = None
        if address is None:
            self._cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=jobs or os.cpu_count() or 1, threads_per_worker=1,
                processes=processes, dashboard_address=None)
            self.client: Any = Client(self._cluster)  # type: ignore[no-untyped-call]
        else:
            self.client = Client(address)  # type: ignore[no-untyped-call]
        self._check_versions()

    def _check_versions(self) -> None:
        """Every worker must run the same newsforge as this process, or pages would
        differ by machine."""
        ours = code_digest()
        theirs = self.client.run(code_digest)
        stale = sorted(worker for worker, digest in theirs.items() if digest != ours)
        if stale:
            self.close()
            raise RuntimeError(f"Dask workers {', '.join(stale)} run another newsforge "
                               f"than this one ({__version__}, code {ours[:12]}): install "
                               "the same version on every machine of the cluster")

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def map(self, setup: Callable[..., Any], work: Callable[[Any, list[Any]], list[Any]],
            items: Sequence[Any], setup_args: tuple[Any, ...], *, chunk: int
            ) -> Iterator[Any]:
        token = uuid.uuid4().hex
        shipped = self.client.scatter(setup_args, broadcast=True, hash=False)
        chunks = _chunks(items, chunk)
        futures = self.client.map(_run_chunk, [token] * len(chunks), [setup] * len(chunks),
                                  [shipped] * len(chunks), [work] * len(chunks), chunks,
                                  pure=False)
        try:
            for future in futures:
                yield from future.result()
        finally:
            self.client.cancel(futures)
            self.client.run(_forget, token)


def open_executor(spec: ExecutorSpec, workers: int) -> Executor:
    """The executor ``spec`` names; ``workers`` local processes for ``processes``."""
    if spec.kind == "dask":
        return DaskExecutor(spec.address, spec.jobs)
    return ProcessExecutor(workers)


def map_in_processes(chunk_function: Callable[[list[Item]], list[Result]],
                     items: Sequence[Item], *, workers: int, chunk: int,
                     initializer: Callable[..., None], initargs: tuple[Any, ...],
                     fresh: bool = False) -> Iterator[Result]:
    """``chunk_function`` over ``items`` in ``workers`` processes, results in item order;
    each process runs ``initializer(*initargs)`` first (the stage keeps its own state).

    A process with no other thread forks its workers: they share ``initargs`` with this
    process page by page instead of each unpickling a copy, and the collector's objects
    are frozen first so that it does not write to those pages. With threads running (the
    preview server's watchers) forking is unsafe, so the workers are spawned. ``fresh``
    workers hold none of this process's memory: they are forked from a small server
    process (spawned where there is none) and unpickle ``initargs``. The bytes are the
    same either way."""
    context = _fresh_start_method() if fresh else _start_method()
    forking = context.get_start_method() == "fork"
    chunks = _chunks(items, chunk)
    del items  # the chunks hold them now, each until it is done
    if forking:
        gc.freeze()
    try:
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_initialise,
                                 initargs=(initializer, *initargs)) as pool:
            yield from _in_order(pool, chunk_function, chunks, _AHEAD * workers)
    finally:
        if forking:
            gc.unfreeze()


class Beside:
    """One worker process, started at once and set up (``setup(*setup_args)``) while this
    one goes on; ``run`` hands it work. It never fails the caller: a worker that breaks
    gives None, and the caller does the work itself. Close it (or use ``with``)."""

    def __init__(self, setup: Callable[..., Any], setup_args: tuple[Any, ...]) -> None:
        context = _start_method()
        self._connection, theirs = context.Pipe()
        # Every start method's context has Process; the stubs give only the base class.
        self._process = context.Process(  # type: ignore[attr-defined]
            target=_serve, args=(theirs, self._connection, setup, setup_args), daemon=True)
        self._process.start()
        theirs.close()

    def run(self, work: Callable[[Any, list[Any]], list[Any]], items: Sequence[Any]
            ) -> Callable[[], list[Any] | None]:
        """Send ``work(state, items)`` (a few items: they are sent at once); the result
        is the function that waits for what it returns."""
        try:
            self._connection.send((work, list(items)))
        except OSError:
            return lambda: None
        return self._result

    def _result(self) -> list[Any] | None:
        try:
            done, value = self._connection.recv()
        except (OSError, EOFError):
            return None
        return value if done else None

    def close(self) -> None:
        # Killed, not asked: a SIGTERM that lands before the worker has reset the handler
        # it inherited may be caught, and the worker then waits for work forever. It
        # holds nothing to clean up (a mirror it was making has no manifest, so the next
        # build rewrites that spare).
        self._connection.close()
        self._process.kill()
        self._process.join()

    def __enter__(self) -> Beside:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _serve(connection: Any, callers_end: Any, setup: Callable[..., Any],
           setup_args: tuple[Any, ...]) -> None:
    """A ``Beside`` worker: set up, then do each piece of work it is sent (until the
    caller closes its end of the pipe)."""
    callers_end.close()  # a forked copy of it would keep the pipe open for ever
    _die_with_parent()
    # Ctrl-C is the build's to handle, and a SIGTERM sent to the whole process group
    # must end this worker, not run the handler it may have inherited from the command
    # line.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        state = setup(*setup_args)
    except Exception:  # the caller does the work itself, and reports what fails
        return
    while True:
        try:
            work, items = connection.recv()
        except (OSError, EOFError):
            return
        try:
            connection.send((True, work(state, items)))
        except Exception:  # as above
            connection.send((False, None))


def run_apart(function: Callable[..., Result], args: tuple[Any, ...],
              on_event: Callable[[Any], None]) -> Result:
    """``function(*args, emit)`` in a forked process of its own; what it ``emit``s reaches
    ``on_event`` here as it goes. Its result is written to a temporary file and read back
    only once the process has ended, so its memory (the high-water mark of a 100k-article
    analysis, and the heap it leaves fragmented) is back with the system before this
    process holds the result. Its exception is raised here; a process that ends without
    an answer (killed, out of memory) raises BuildError. Needs ``can_fork()``."""
    context = multiprocessing.get_context("fork")
    mine, theirs = context.Pipe(duplex=False)
    with tempfile.TemporaryFile(prefix="newsforge-") as result_file:
        process = context.Process(target=_apart, args=(theirs, result_file.fileno(),
                                                       function, args))
        process.start()
        theirs.close()
        try:
            while True:
                try:
                    kind, value = mine.recv()
                except EOFError:
                    process.join()
                    raise BuildError(
                        f"the analysis process ended without an answer (exit code "
                        f"{process.exitcode})", hint="it may have run out of memory; "
                        "try again with fewer --jobs") from None
                if kind == "event":
                    on_event(value)
                elif kind == "failed":
                    raise value
                else:
                    break
            process.join()
            result_file.seek(0)
            result: Result = pickle.load(result_file)
            return result
        finally:
            mine.close()
            if process.is_alive():
                process.kill()
                process.join()


def _apart(connection: Any, result_fd: int, function: Callable[..., Any],
           args: tuple[Any, ...]) -> None:
    _die_with_parent()
    # Ctrl-C and SIGTERM are the build's to handle: it ends this process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        result = function(*args, partial(_send_event, connection))
        with open(result_fd, "wb", closefd=False) as stream:
            pickle.dump(result, stream, protocol=pickle.HIGHEST_PROTOCOL)
        connection.send(("done", None))
    except BaseException as error:  # every failure is the caller's to report
        try:
            connection.send(("failed", error))
        except Exception:  # an exception that does not pickle
            connection.send(("failed", RuntimeError(repr(error))))
    connection.close()
    # Freeing every record one by one would only delay the caller: the system takes
    # the whole heap back at once.
    os._exit(0)


def _send_event(connection: Any, event: Any) -> None:
    connection.send(("event", event))


def _start_method() -> multiprocessing.context.BaseContext:
    """Fork when this process runs no other thread (a forked worker starts at once, with
    every module imported), else spawn: forking a process with threads (the preview
    server's watchers) is unsafe."""
    return multiprocessing.get_context("fork" if can_fork() else "spawn")


def _fresh_start_method() -> multiprocessing.context.BaseContext:
    """A fork server where the system has one (a worker then starts at once, from a small
    process with newsforge imported), else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["newsforge.render"])
    return context


def can_fork() -> bool:
    """Whether a worker would start at once (forked), not in a fresh interpreter."""
    return threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()


def worker_count(items: int, per_worker: int, jobs: int | None) -> int:
    """How many processes ``items`` deserve: one per ``per_worker`` items, at most ``jobs``
    (default: the machine's cores), and 1 when starting workers would cost more."""
    return max(1, min(jobs or os.cpu_count() or 1, items // per_worker))


def code_digest() -> str:
    """A digest of the newsforge code and data this process runs (its version and every
    module and data file of the package): what a cache entry or a Dask worker must share."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()

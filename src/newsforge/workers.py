"""Running one stage's pure per-item function in worker processes.

A stage hands over its items in chunks; each worker process first runs the stage's
initializer (to build what it reads with, once) and then the chunk function. Results
come back in the order of the items, so the output never depends on the number of
workers. Processes are spawned, not forked: the preview server runs watchdog threads.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def map_in_processes(chunk_function: Callable[[list[Item]], list[Result]],
                     items: Sequence[Item], *, workers: int, chunk: int,
                     initializer: Callable[..., None], initargs: tuple[Any, ...],
                     ) -> Iterator[Result]:
    """``chunk_function`` over ``items`` in ``workers`` processes, results in item order."""
    chunks = [list(items[i:i + chunk]) for i in range(0, len(items), chunk)]
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=spawn, initializer=initializer,
                             initargs=initargs) as pool:
        for results in pool.map(chunk_function, chunks):
            yield from results


def worker_count(items: int, per_worker: int, jobs: int | None) -> int:
    """How many processes ``items`` deserve: one per ``per_worker`` items, at most ``jobs``
    (default: the machine's cores), and 1 when starting workers would cost more."""
    return max(1, min(jobs or os.cpu_count() or 1, items // per_worker))

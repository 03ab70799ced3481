"""Reading many files in worker processes, each with its own reading context."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from newsforge.config import Config
from newsforge.langdata import Languages
from newsforge.loader.core import LoadContext, attempt, make_context
from newsforge.model import Article, Problem

_CHUNK = 64
# Each worker process builds its reading context once (the language model takes ~0.7 s to
# load) and keeps it here for the chunks it is given; it is never set in the parent.
_worker_context: list[LoadContext] = []


def load_in_processes(files: Sequence[tuple[Path, Path]], config: Config,
                      languages: Languages, furniture: frozenset[str],
                      workers: int) -> Iterator[Article | Problem]:
    """Load ``files`` in ``workers`` processes; outcomes come back in the order given."""
    chunks = [list(files[i:i + _CHUNK]) for i in range(0, len(files), _CHUNK)]
    spawn = multiprocessing.get_context("spawn")  # fork is unsafe beside watchdog's threads
    with ProcessPoolExecutor(workers, mp_context=spawn, initializer=_start_worker,
                             initargs=(config, languages, furniture)) as pool:
        for outcomes in pool.map(_load_chunk, chunks):
            yield from outcomes


def _start_worker(config: Config, languages: Languages, furniture: frozenset[str]) -> None:
    _worker_context.append(replace(make_context(config, languages), furniture=furniture))


def _load_chunk(chunk: list[tuple[Path, Path]]) -> list[Article | Problem]:
    context = _worker_context[0]
    return [attempt(path, root, context) for path, root in chunk]

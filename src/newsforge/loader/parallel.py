"""Reading many files in worker processes, each with its own reading context."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from newsforge.config import Config
from newsforge.langdata import Languages
from newsforge.loader.core import LoadContext, attempt, make_context
from newsforge.model import Article, Problem
from newsforge.workers import map_in_processes

_CHUNK = 64
# Each worker process builds its reading context once (the language model takes ~0.7 s to
# load) and keeps it here for the chunks it is given; it is never set in the parent.
_worker_context: list[LoadContext] = []


def load_in_processes(files: Sequence[tuple[Path, Path]], config: Config,
                      languages: Languages, furniture: frozenset[str],
                      workers: int) -> Iterator[Article | Problem]:
    """Load ``files`` in ``workers`` processes; outcomes come back in the order given."""
    return map_in_processes(_load_chunk, files, workers=workers, chunk=_CHUNK,
                            initializer=_start_worker, initargs=(config, languages, furniture))


def _start_worker(config: Config, languages: Languages, furniture: frozenset[str]) -> None:
    _worker_context.append(replace(make_context(config, languages), furniture=furniture))


def _load_chunk(chunk: list[tuple[Path, Path]]) -> list[Article | Problem]:
    context = _worker_context[0]
    return [attempt(path, root, context) for path, root in chunk]

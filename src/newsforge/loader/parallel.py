"""Reading many files on an executor's workers, each worker with its own reading context."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from newsforge.config import Config
from newsforge.langdata import Languages
from newsforge.loader.core import LoadContext, attempt, make_context
from newsforge.model import Article, Problem
from newsforge.workers import Executor, ProcessExecutor

_CHUNK = 64


def load_in_processes(files: Sequence[tuple[Path, Path]], config: Config,
                      languages: Languages, furniture: frozenset[str],
                      workers: int, executor: Executor | None = None
                      ) -> Iterator[Article | Problem]:
    """Load ``files`` on ``executor`` (default: ``workers`` local processes); outcomes come
    back in the order given."""
    run = executor or ProcessExecutor(workers)
    return run.map(_reading_context, _load_chunk, files, (config, languages, furniture),
                   chunk=_CHUNK)


def _reading_context(config: Config, languages: Languages,
                     furniture: frozenset[str]) -> LoadContext:
    # Built once per worker: the language model takes ~0.7 s to load.
    return replace(make_context(config, languages), furniture=furniture)


def _load_chunk(context: LoadContext, chunk: list[tuple[Path, Path]]
                ) -> list[Article | Problem]:
    return [attempt(path, root, context) for path, root in chunk]

"""Extracting mentions from many articles on an executor's workers.

Extraction reads one article at a time and its result depends on that article alone,
so it can run anywhere; resolution, which needs the whole archive, stays in the caller.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from newsforge.langdata import Languages
from newsforge.model import Article
from newsforge.tagger.extract import ArticleMentions, Vocabulary, extract_or_report
from newsforge.tagger.rules import GazetteerEntry, Rules, compile_rules
from newsforge.workers import Executor, ProcessExecutor

_CHUNK = 64


def extract_in_processes(articles: Sequence[Article], languages: Languages,
                         extra: tuple[GazetteerEntry, ...], workers: int,
                         executor: Executor | None = None) -> Iterator[ArticleMentions]:
    """``extract_or_report`` for every article on ``executor`` (default: ``workers`` local
    processes), in the order given; ``extra`` are the editor's curated names, compiled
    with the language data."""
    run = executor or ProcessExecutor(workers)
    return run.map(_extraction_state, _extract_chunk, articles, (languages, extra),
                   chunk=_CHUNK)


def _extraction_state(languages: Languages, extra: tuple[GazetteerEntry, ...]
                      ) -> tuple[Rules, Vocabulary]:
    # Each worker compiles the language data once and keeps it, with its own memo of words.
    return compile_rules(languages, extra), {}


def _extract_chunk(state: tuple[Rules, Vocabulary], chunk: list[Article]
                   ) -> list[ArticleMentions]:
    rules, vocabulary = state
    return [extract_or_report(article, rules, vocabulary) for article in chunk]

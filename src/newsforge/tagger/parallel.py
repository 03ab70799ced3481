"""Extracting mentions from many articles in worker processes.

Extraction reads one article at a time and its result depends on that article alone,
so it can run anywhere; resolution, which needs the whole archive, stays in the caller.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from newsforge.langdata import Languages
from newsforge.model import Article
from newsforge.tagger.extract import ArticleMentions, Vocabulary, extract_article
from newsforge.tagger.rules import GazetteerEntry, Rules, compile_rules
from newsforge.workers import map_in_processes

_CHUNK = 64
# Each worker compiles the language data once and keeps it, with its own memo of words,
# for the chunks it is given; neither is ever set in the parent process.
_worker_state: list[tuple[Rules, Vocabulary]] = []


def extract_in_processes(articles: Sequence[Article], languages: Languages,
                         extra: tuple[GazetteerEntry, ...], workers: int
                         ) -> Iterator[ArticleMentions]:
    """``extract_article`` for every article, in ``workers`` processes, in the order given;
    ``extra`` are the editor's curated names, compiled with the language data."""
    return map_in_processes(_extract_chunk, articles, workers=workers, chunk=_CHUNK,
                            initializer=_start_worker, initargs=(languages, extra))


def _start_worker(languages: Languages, extra: tuple[GazetteerEntry, ...]) -> None:
    _worker_state.append((compile_rules(languages, extra), {}))


def _extract_chunk(chunk: list[Article]) -> list[ArticleMentions]:
    rules, vocabulary = _worker_state[0]
    return [extract_article(article, rules, vocabulary) for article in chunk]

"""The loader: every article file becomes one immutable Article, or one clear problem.

``load_tree`` is the stage's entry point. It first learns the archive's page furniture
(short lines repeated verbatim across many files), then reads each file on its own
(in several processes for large archives): a bad file costs that file only, and its
problem names the path and line.
"""

from __future__ import annotations

import math
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from newsforge.config import Config
from newsforge.langdata import Languages
from newsforge.loader.core import (
    LoadContext,
    article_id,
    attempt,
    display_path,
    load_file,
    make_context,
)
from newsforge.loader.detect import LanguageDetector
from newsforge.loader.frontmatter import is_section_name
from newsforge.loader.parallel import load_in_processes
from newsforge.loader.rawtext import furniture_key, is_furniture_candidate
from newsforge.model import Article, Problem
from newsforge.workers import worker_count

__all__ = ["LanguageDetector", "LoadContext", "LoadResult", "article_id", "article_paths",
           "display_path", "furniture_candidates", "furniture_from", "learn_furniture",
           "load_file", "load_tree", "make_context"]

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")
_FURNITURE_MIN_FILES = 3
_FURNITURE_MIN_SHARE = 0.02
# Starting a worker (and loading the language model in it) costs about what reading a
# few hundred files does.
_PARALLEL_PER_WORKER = 400


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The articles that loaded (sorted by id) and every problem met on the way."""

    articles: tuple[Article, ...]
    problems: tuple[Problem, ...]


def article_paths(paths: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(file, the folder its id is relative to) for every article under ``paths``, sorted.

    Hidden files and folders are left out, and so are Hugo's section files (``_index.md``)
    found in a folder: they describe a section, they are not articles. A file named
    explicitly is always read (a section file then says why it is left out).
    """
    found: dict[tuple[str, str], tuple[Path, Path]] = {}
    for given in paths:
        if given.is_dir():
            root = str(given)
            # Walked as strings: at 10k files, Path objects made this a rebuild's first
            # quarter second.
            for name in _visible_files(root):
                base = name.rpartition(os.sep)[2]
                if os.path.splitext(base)[1].lower() in ARTICLE_SUFFIXES \
                        and not is_section_name(base):
                    found.setdefault((name, root), (Path(name), given))
        else:
            found.setdefault((str(given), str(given.parent)), (given, given.parent))
    # Ordered as Paths order, by their parts.
    return [found[key] for key in sorted(found, key=lambda key: (_parts(key[0]),
                                                                 _parts(key[1])))]


def _parts(path: str) -> list[str]:
    """``Path(path).parts`` of a path as the walk writes it, as a list (a walk of the
    current folder writes its files as './name', whose Path is 'name')."""
    parts = path.split(os.sep)
    if parts[0] == "" and len(parts) > 1:
        parts[0] = os.sep
    elif parts[0] == "." and len(parts) > 1:
        del parts[0]
    return parts


def _visible_files(folder: str) -> Iterator[str]:
    """The files under ``folder`` whose names and folders' names do not start with a dot;
    linked folders are not entered (a link may loop), linked files are listed. One
    directory listing per folder and no other system call (at 100k files the walk is a
    rebuild's first cost)."""
    try:
        with os.scandir(folder) as listing:
            entries = [entry for entry in listing if not entry.name.startswith(".")]
    except (PermissionError, NotADirectoryError, FileNotFoundError):
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from _visible_files(entry.path)
            elif entry.is_file():
                yield entry.path
        except OSError:
            continue


def learn_furniture(files: Sequence[Path]) -> frozenset[str]:
    """Short lines that stand verbatim in many raw-text files: page furniture, not news."""
    texts = [f for f in files if f.suffix.lower() == ".txt"]
    return furniture_from([furniture_candidates(path) for path in texts], len(texts))


def furniture_candidates(path: Path) -> frozenset[str]:
    """The lines of one raw-text file that could be furniture, in their compared form
    (none when it cannot be read: that is reported when the file itself is loaded)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    return frozenset(furniture_key(line) for line in text.split("\n")
                     if is_furniture_candidate(line))


def furniture_from(candidates: Sequence[frozenset[str]], texts: int) -> frozenset[str]:
    """The furniture of an archive of ``texts`` raw-text files, from each file's
    candidates: lines found in enough of them."""
    threshold = max(_FURNITURE_MIN_FILES, math.ceil(_FURNITURE_MIN_SHARE * texts))
    if texts < threshold:
        return frozenset()
    counts: Counter[str] = Counter()
    for found in candidates:
        counts.update(found)
    return frozenset(line for line, count in counts.items() if count >= threshold)


def load_tree(config: Config, languages: Languages, paths: Sequence[Path] | None = None,
              *, jobs: int | None = None, detector: LanguageDetector | None = None
              ) -> LoadResult:
    """Load every article under ``paths`` (default: the content folder).

    ``jobs`` caps the worker processes (default: one per core); small archives are read
    in this process, with ``detector`` when a long-running caller keeps one loaded. The
    result does not depend on the number of workers.
    """
    roots = list(paths) if paths else [config.content]
    problems: list[Problem] = []
    for root in roots:
        if not root.exists():
            problems.append(Problem(str(root), None, "no such file or folder",
                                    "check the 'content' setting or the path given"))
    files = article_paths(r for r in roots if r.exists())
    furniture = learn_furniture([f for f, _ in files])
    workers = worker_count(len(files), _PARALLEL_PER_WORKER, jobs)
    outcomes: Iterable[Article | Problem]
    if workers > 1:
        outcomes = load_in_processes(files, config, languages, furniture, workers)
    else:
        context = replace(make_context(config, languages, detector), furniture=furniture)
        outcomes = (attempt(path, root, context) for path, root in files)
    articles: list[Article] = []
    for outcome in outcomes:
        if isinstance(outcome, Problem):
            problems.append(outcome)
        else:
            articles.append(outcome)
            problems.extend(outcome.problems)
    articles.sort(key=lambda a: a.id)
    return LoadResult(tuple(articles), tuple(problems))



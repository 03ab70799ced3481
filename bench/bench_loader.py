#!/usr/bin/env python3
"""Loader benchmark: read a generated raw-text corpus and print speed and peak memory.

    python bench/bench_loader.py --n 10000
    python bench/bench_loader.py --n 10000 --keep /tmp/nf-bench --jobs 1

Writes a corpus with ../shared/bench/gen_corpus.py (or --gen PATH; reused when --keep
names a work folder that already holds it), then times `load_tree` on it — the furniture pass,
language identification and reading every file, in worker processes unless --jobs 1 —
and prints articles per second, how dates were found, and the peak RSS of this process
and of its workers. A figure, never an assertion.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections import Counter
from pathlib import Path

from corpus import DEFAULT_GEN, ensure_corpus

from newsforge.config import default_config, replace
from newsforge.langdata import load_languages
from newsforge.loader import load_tree


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=10000, help="articles (default 10000)")
    parser.add_argument("--format", choices=["txt", "md"], default="txt")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes")
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: temporary)")
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN)
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="nf-loader-"))
    folder = ensure_corpus(work, args.n, args.format, args.gen)
    config = replace(default_config(folder), content=folder)
    languages = load_languages()
    started = time.perf_counter()
    result = load_tree(config, languages, jobs=args.jobs)
    seconds = time.perf_counter() - started
    count = len(result.articles)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"articles        {count}")
    print(f"seconds         {seconds:.2f}")
    print(f"articles/s      {count / seconds:.0f}")
    print(f"peak RSS        {own:.0f} MiB (largest worker {workers:.0f} MiB)")
    print(f"problems        {len(result.problems)}")
    for source, n in sorted(Counter(a.date_source.value for a in result.articles).items()):
        print(f"date            {source}: {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

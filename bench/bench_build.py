#!/usr/bin/env python3
"""Build benchmark: generate N articles, build them, print speed and peak memory.

    python bench/bench_build.py --n 1000 --format md
    python bench/bench_build.py --n 10000 --format txt --keep /tmp/nf-bench

Uses ../shared/bench/gen_corpus.py (or --gen PATH) to write the corpus, then runs one
full build (load -> tag -> assemble -> render -> write) in this process and prints
articles per second, wall seconds per stage and in total, and the peak RSS. A figure,
never an assertion: run it on a quiet machine and compare runs, not numbers across
machines.
"""

from __future__ import annotations

import argparse
import itertools
import resource
import sys
import tempfile
import time
from pathlib import Path

from corpus import DEFAULT_GEN, ensure_corpus

from newsforge.build import build_site
from newsforge.config import default_config, replace
from newsforge.model import Severity
from newsforge.report import Event, StageStarted


class StageClock:
    """A reporter that notes when each stage starts."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = []

    def emit(self, event: Event) -> None:
        if isinstance(event, StageStarted):
            self.marks.append((event.stage, time.perf_counter()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="number of articles")
    parser.add_argument("--format", choices=("md", "txt"), default="md")
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN, help="gen_corpus.py")
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: temporary)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="nf-bench-") as scratch:
        work = args.keep or Path(scratch)
        content = ensure_corpus(work, args.n, args.format, args.gen)
        config = replace(default_config(work), content=content, output=work / "build",
                         templates=None, static=None, entities=None)
        clock = StageClock()
        started = time.perf_counter()
        result = build_site(config, clock)
        finished = time.perf_counter()
    marks = [*clock.marks, ("end", finished)]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"articles        {result.articles} ({args.format}), ok={result.ok}, "
          f"{result.warnings} warnings, {result.errors} errors")
    for problem in [p for p in result.problems if p.severity is Severity.ERROR][:5]:
        print(f"  error: {problem.format()}")
    print(f"entities        {result.entities}")
    print(f"files written   {result.pages}")
    for (stage, at), (_, until) in itertools.pairwise(marks):
        print(f"  {stage:<12}  {until - at:8.2f} s")
    print(f"wall            {finished - started:8.2f} s")
    print(f"articles/s      {result.articles / (finished - started):8.1f}")
    print(f"peak RSS        {peak_mb:8.1f} MB")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())

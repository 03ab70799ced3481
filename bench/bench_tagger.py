#!/usr/bin/env python3
"""Tagger benchmark: load a generated corpus once, tag it, print speed and peak memory.

    python bench/bench_tagger.py --n 10000
    python bench/bench_tagger.py --n 10000 --keep /tmp/nf-bench --repeat 3

Uses ../shared/bench/gen_corpus.py (or --gen PATH) to write a .txt corpus, loads it with
the loader (not timed), then times `tag_archive` alone (extraction and resolution; the
language data is compiled inside the timed call, as in a build) and prints articles per
second, the extraction/resolution split, entity and mention counts, and the peak RSS of
the process. A figure, never an assertion.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from corpus import DEFAULT_GEN, ensure_corpus

from newsforge.config import default_config, replace
from newsforge.langdata import load_languages
from newsforge.loader import load_tree
from newsforge.tagger import tag_archive
from newsforge.tagger.extract import extract_article
from newsforge.tagger.resolve import resolve
from newsforge.tagger.rules import compile_rules


def _peak_mib() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=10000, help="number of articles")
    parser.add_argument("--gen", type=Path, default=DEFAULT_GEN, help="gen_corpus.py")
    parser.add_argument("--keep", type=Path, help="work folder to keep (default: temporary)")
    parser.add_argument("--repeat", type=int, default=1, help="timed runs (best is reported)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="nf-bench-tagger-") as scratch:
        work = args.keep or Path(scratch)
        content = ensure_corpus(work, args.n, "txt", args.gen)
        config = replace(default_config(work), content=content, entities=None)
        languages = load_languages()
        started = time.perf_counter()
        loaded = load_tree(config, languages)
        load_seconds = time.perf_counter() - started
        articles = loaded.articles
        print(f"loaded {len(articles)} articles in {load_seconds:.1f} s (not part of the figure)")
        rss_before = _peak_mib()

        best = float("inf")
        tagging = None
        for _ in range(max(1, args.repeat)):
            started = time.perf_counter()
            tagging = tag_archive(articles, languages)
            best = min(best, time.perf_counter() - started)
        assert tagging is not None

        # The same work split into its two steps, for profiling by eye.
        rules = compile_rules(languages)
        started = time.perf_counter()
        extracted = [extract_article(a, rules) for a in articles]
        extract_seconds = time.perf_counter() - started
        started = time.perf_counter()
        resolve(extracted, rules.lexicon)
        resolve_seconds = time.perf_counter() - started

    words = sum(len(p.text.split()) for a in articles for p in a.paragraphs)
    print(f"tagged {len(articles)} articles ({words} words) in {best:.2f} s: "
          f"{len(articles) / best:.0f} articles/s, {words / best / 1000:.0f}k words/s")
    print(f"  extraction {extract_seconds:.2f} s, resolution {resolve_seconds:.2f} s")
    print(f"  {len(tagging.entities)} entities, {len(tagging.mentions)} mentions")
    print(f"peak RSS {_peak_mib():.0f} MiB (after loading: {rss_before:.0f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Hostile-input benchmark: seconds per MB to load and tag files of pathological shapes.

    python bench/bench_pathological.py --mb 2

Writes one file of each shape (one huge line, a million short lines, deep nesting,
thousands of repeated names, pathological whitespace, long runs of capitalised words,
very long URLs, a long Markdown front matter, ...) of about --mb megabytes, plus a normal
article repeated to the same size, and prints for each the loading and tagging time per
MB and its ratio to the normal article's. A figure, never an assertion.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newsforge.config import default_config
from newsforge.langdata import load_languages
from newsforge.loader import LanguageDetector, load_tree
from newsforge.tagger import compile_rules, tag_archive

NORMAL = (
    "Vientiane, March 4 — Prime Minister Sonexay Siphandone met Vietnamese Deputy Prime "
    "Minister Tran Hong Ha on Monday to review the rail link between the two capitals. "
    "Both sides agreed that the Lao People's Revolutionary Party and the Communist Party of "
    "Vietnam would keep close contact ahead of the 12th National Congress.\n\n"
)


def _shapes(size: int) -> dict[str, Callable[[], str]]:
    def fill(unit: str) -> str:
        return unit * (size // len(unit.encode("utf-8")) + 1)

    def normal() -> str:
        # Each paragraph differs: a page repeating itself verbatim is cut at the repeat.
        count = size // len(NORMAL.encode("utf-8")) + 1
        return "Harbour talks in Vientiane\n\n" + "".join(
            NORMAL.replace("rail link", f"rail link, stage {n},") for n in range(count))

    return {
        "normal article": normal,
        "one huge line": lambda: "Headline\n\n" + fill("word Word, ").replace("\n", " "),
        "a million short lines": lambda: fill("a\n"),
        "short blank-separated lines": lambda: fill("Home\n\n"),
        "deep nesting": lambda: "Title\n\n" + "(" * (size // 2) + ")" * (size // 2),
        "repeated names": lambda: "Title\n\n" + fill("Tô Lâm met Hun Manet. "),
        "capitalised run": lambda: "Title\n\n" + fill("Alpha Beta Gamma Delta "),
        "whitespace": lambda: "Title\n\n" + fill(" \t \u00a0 \u3000 "),
        "long urls": lambda: "Title\n\nSource: https://example.org/" + fill("a/b-c_d") + "\n",
        "dates everywhere": lambda: "Title\n\n" + fill("on 12/03/2024 and 29/2 and May 5, "),
        "markdown front matter": lambda: "---\ntitle: T\nlanguage: en\nkeys:\n" +
        fill("  - value\n") + "---\nBody text.\n",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=1.0, help="size of each file in MB")
    parser.add_argument("--only", help="run only the shapes whose name contains this")
    args = parser.parse_args()
    size = int(args.mb * 1_000_000)
    languages = load_languages()
    detector = LanguageDetector()
    rules = compile_rules(languages)
    baseline: float | None = None
    print(f"{'shape':30} {'MB':>6} {'load s/MB':>10} {'tag s/MB':>10} {'× normal':>9}")
    with tempfile.TemporaryDirectory() as scratch:
        for name, make in _shapes(size).items():
            if args.only and args.only not in name and name != "normal article":
                continue
            site = Path(scratch) / name.replace(" ", "-")
            site.mkdir()
            suffix = ".md" if "markdown" in name else ".txt"
            path = site / f"page{suffix}"
            path.write_text(make(), encoding="utf-8")
            megabytes = path.stat().st_size / 1_000_000
            config = default_config(site)
            started = time.perf_counter()
            loaded = load_tree(config, languages, [path], jobs=1, detector=detector)
            loading = time.perf_counter() - started
            started = time.perf_counter()
            tag_archive(loaded.articles, languages, None, rules=rules)
            tagging = time.perf_counter() - started
            per_mb = (loading + tagging) / megabytes
            baseline = baseline or per_mb
            print(f"{name:30} {megabytes:6.2f} {loading / megabytes:10.3f} "
                  f"{tagging / megabytes:10.3f} {per_mb / baseline:9.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The generated corpus every benchmark reads: made once per size and format, then reused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEFAULT_GEN = Path(__file__).resolve().parents[2] / "shared" / "bench" / "gen_corpus.py"


def ensure_corpus(work: Path, n: int, fmt: str, gen: Path = DEFAULT_GEN) -> Path:
    """``work/content-<n>-<fmt>``, written by gen_corpus.py unless it is already there."""
    content = work / f"content-{n}-{fmt}"
    if not content.exists():
        subprocess.run([sys.executable, str(gen), "--n", str(n), "--format", fmt,
                        "--out", str(content)], check=True, stdout=subprocess.DEVNULL)
    return content

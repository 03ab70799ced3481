"""The scale benchmark runs end to end on a small corpus, so it never rots unnoticed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
GEN = BENCH.parents[1] / "shared" / "bench" / "gen_corpus.py"


@pytest.mark.skipif(not GEN.exists(), reason="needs ../shared/bench/gen_corpus.py")
def test_the_scale_benchmark_runs_every_scenario(tmp_path: Path) -> None:
    figures = tmp_path / "figures.json"
    done = subprocess.run([sys.executable, str(BENCH / "bench_scale.py"), "--sizes", "200",
                           "--formats", "md", "--keep", str(tmp_path / "work"),
                           "--json", str(figures), "--keep-caches"], capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    runs = json.loads(figures.read_text(encoding="utf-8"))
    assert [run["scenario"] for run in runs] == ["cold", "no change", "edit one", "add one",
                                                 "delete one", "template"]
    assert all(run["wall"] > 0 and run["peak_mb"] > 0 for run in runs)
    assert all(run["stages"] == [] for run in runs)  # only asked for with --stages
    cold = runs[0]
    assert cold["articles"] == 200 and cold["files_written"] > 200
    assert runs[3]["articles"] == 201 and runs[4]["articles"] == 200
    for line in ("cold", "no change", "template"):
        assert f"200-md      {line}" in done.stdout


@pytest.mark.skipif(not GEN.exists(), reason="needs ../shared/bench/gen_corpus.py")
def test_the_benchmark_times_the_scenarios_asked_for(tmp_path: Path) -> None:
    def bench(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(BENCH / "bench_scale.py"), "--sizes", "50",
                               "--formats", "txt", "--keep", str(tmp_path / "work"),
                               "--keep-caches", *args], capture_output=True, text=True,
                              timeout=600, check=False)

    refused = bench("--scenarios", "edit one")
    assert refused.returncode == 2 and "include cold" in refused.stderr
    assert "unknown scenarios: warm" in bench("--scenarios", "cold,warm").stderr
    figures = tmp_path / "figures.json"
    done = bench("--scenarios", "cold,template", "--json", str(figures), "--stages")
    assert done.returncode == 0, done.stderr[-2000:]
    runs = json.loads(figures.read_text(encoding="utf-8"))
    assert [run["scenario"] for run in runs] == ["cold", "template"]
    # Each stage the build names, in order, its walls adding up to the run's.
    stages = runs[0]["stages"]
    names = [stage["name"] for stage in stages]
    assert names[0] == "start" and names.index("load") < names.index("tag") \
        < names.index("assemble") < names.index("render") < names.index("write")
    assert sum(stage["wall"] for stage in stages) == pytest.approx(runs[0]["wall"])
    assert sum(stage["main_user"] + stage["workers_user"] for stage in stages) > 0
    assert "render" in done.stdout and "work sys" in done.stdout

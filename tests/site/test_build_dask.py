"""A build whose loading and tagging run on a Dask cluster gives the serial build's bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitekit import SEEDS, tree_digest

from newsforge.build import build_site
from newsforge.config import load_config, replace
from newsforge.report import ListReporter, StageStarted
from newsforge.workers import ExecutorSpec, parse_executor

distributed = pytest.importorskip("distributed")


def test_a_dask_build_equals_a_serial_build(tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "content")
    (tmp_path / "newsforge.yaml").write_text("title: Dask test\ncontent: content\n",
                                             encoding="utf-8")
    config = load_config(tmp_path / "newsforge.yaml")
    serial = build_site(replace(config, output=tmp_path / "serial"), use_cache=False)
    assert serial.ok
    # A small cluster of threads in this process keeps the test fast; the build talks to
    # it by its scheduler address, as to a cluster of machines.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        reporter = ListReporter()
        spec = ExecutorSpec("dask", cluster.scheduler_address)
        result = build_site(config, reporter, executor=spec, use_cache=False)
        assert result.ok, result.problems
        # Loading and extraction ran as tasks of the cluster.
        ran = cluster.scheduler.task_prefixes
        assert "run_chunk" in ran and sum(ran["run_chunk"].state_counts.values()) >= 2
    assert tree_digest(config.output) == tree_digest(tmp_path / "serial")
    assert any(isinstance(e, StageStarted) and e.detail == "5 of 5 files changed"
               for e in reporter.events)


def test_the_executor_option_is_checked() -> None:
    assert parse_executor("processes") == ExecutorSpec("processes")
    assert parse_executor("dask") == ExecutorSpec("dask")
    assert parse_executor("dask=tcp://10.1.2.3:8786") == ExecutorSpec("dask",
                                                                      "tcp://10.1.2.3:8786")
    for wrong in ("threads", "processes=4", "spark=host"):
        with pytest.raises(ValueError, match="unknown executor"):
            parse_executor(wrong)

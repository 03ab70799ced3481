"""Pages rendered in worker processes are byte for byte the pages rendered here."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from sitekit import REPO, SEEDS, tree_digest

from newsforge import build
from newsforge.analysis import analyse
from newsforge.build import build_site
from newsforge.config import default_config, load_config, replace
from newsforge.errors import BuildError, NewsforgeError
from newsforge.render import Job, Renderer, render_in_processes
from newsforge.theme import load_theme


def test_workers_render_the_same_bytes() -> None:
    config = load_config(REPO / "newsforge.yaml")
    site = analyse(config).site
    theme = load_theme(config)
    renderer = Renderer(site, theme, config)
    jobs = renderer.jobs()
    serial = [renderer.render_or_report(job, jobs) for job in jobs]
    parallel = list(render_in_processes(renderer, workers=2, describe=_size_of))
    assert [(path, data, problem) for path, data, problem, _ in parallel] == serial
    assert all(problem is None for _, _, problem, _ in parallel)
    # described in the worker, with the job it rendered
    assert all(described == (path, len(data)) for path, data, _, described in parallel)
    assert len(parallel) > 100


def _size_of(renderer: Renderer, job: Job, data: bytes) -> tuple[str, int]:
    return job.path, len(data)


def test_errors_keep_their_file_and_line_across_processes() -> None:
    error = BuildError("template error", path="templates/x.html", line=7, hint="fix it")
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, NewsforgeError)
    assert (type(copy), copy.path, copy.line, copy.hint) == (BuildError, "templates/x.html",
                                                             7, "fix it")


def test_a_build_rendering_in_workers_publishes_what_a_serial_one_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def built(name: str, jobs: int) -> dict[str, str]:
        root = tmp_path / name
        config = replace(default_config(root), content=SEEDS, output=root / "build",
                         templates=root / "templates", static=root / "static")
        assert build_site(config, jobs=jobs).ok
        return tree_digest(config.output)

    serial = built("serial", 1)
    monkeypatch.setattr(build, "_RENDER_PER_WORKER", 1)
    assert built("workers", 2) == serial

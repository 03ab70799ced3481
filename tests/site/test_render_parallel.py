"""Pages rendered in worker processes are byte for byte the pages rendered here."""

from __future__ import annotations

import pickle

from sitekit import REPO

from newsforge.analysis import analyse
from newsforge.config import load_config
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

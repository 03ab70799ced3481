"""A large cold build analyses the archive in a process of its own: the same site, the
same report and the same cache as analysing it in the build's process."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from sitekit import SEEDS, tree_digest

from newsforge import build
from newsforge.build import build_site
from newsforge.cache import BuildCache
from newsforge.config import Config, default_config, replace
from newsforge.errors import BuildError
from newsforge.report import ListReporter, StageStarted
from newsforge.workers import run_apart


def _built(config: Config, apart: bool, monkeypatch: pytest.MonkeyPatch
           ) -> tuple[dict[str, str], ListReporter]:
    monkeypatch.setattr(build, "_APART_FROM", 0 if apart else 10**9)
    reporter = ListReporter()
    result = build_site(config, reporter, jobs=1)
    assert result.ok, [p.format() for p in result.problems]
    return tree_digest(config.output), reporter


def _site(root: Path) -> Config:
    shutil.copytree(SEEDS, root / "content")
    return replace(default_config(root), content=root / "content", output=root / "build",
                   templates=root / "templates", static=root / "static")


def test_the_analysis_apart_builds_the_same_site_and_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    here, apart = _site(tmp_path / "here"), _site(tmp_path / "apart")
    pages_here, told_here = _built(here, False, monkeypatch)
    pages_apart, told_apart = _built(apart, True, monkeypatch)
    assert pages_apart == pages_here
    stages = [e.stage for e in told_apart.of(StageStarted)]
    assert stages == [e.stage for e in told_here.of(StageStarted)]
    assert "load" in stages and "assemble" in stages  # reported from the other process
    # The cache the other process wrote serves the next build: only the file changed
    # since is read again.
    for config in (here, apart):
        (first, *_) = sorted(config.content.iterdir())
        first.write_text(first.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    pages_here, _ = _built(here, False, monkeypatch)
    again = ListReporter()
    assert build_site(apart, again).ok
    assert ("load", "1 of 5 files changed") in [(e.stage, e.detail)
                                                for e in again.of(StageStarted)]
    assert tree_digest(apart.output) == pages_here


def test_without_the_cache_or_when_it_loses_the_analysis_the_site_is_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The other process hands the analysis back itself when it wrote none to the cache,
    and the build analyses the archive again when what it wrote cannot be read back."""
    here, uncached, lost = (_site(tmp_path / name) for name in ("here", "uncached", "lost"))
    pages_here, _ = _built(here, False, monkeypatch)
    monkeypatch.setattr(build, "_APART_FROM", 0)
    assert build_site(uncached, jobs=1, use_cache=False).ok
    assert tree_digest(uncached.output) == pages_here
    read_back: list[str] = []

    def lost_on_the_way(cache: BuildCache) -> None:
        read_back.append(str(cache.folder))

    monkeypatch.setattr(BuildCache, "snapshot", lost_on_the_way)
    assert build_site(lost, jobs=1).ok
    assert tree_digest(lost.output) == pages_here
    assert read_back  # the parent did look for it


def _fails(emit: Callable[[object], None]) -> None:
    emit("started")
    raise BuildError("no room", path="content/a.txt", line=3, hint="free some")


def test_its_errors_reach_the_build_with_their_file_and_line() -> None:
    told: list[object] = []
    with pytest.raises(BuildError) as caught:
        run_apart(_fails, (), told.append)
    assert (caught.value.path, caught.value.line, caught.value.hint) == (
        "content/a.txt", 3, "free some")
    assert told == ["started"]


def _dies(emit: Callable[[object], None]) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_a_process_killed_on_the_way_is_a_build_error() -> None:
    with pytest.raises(BuildError, match="without an answer"):
        run_apart(_dies, (), lambda event: None)

"""A bug that strikes one article while tagging or rendering costs that article only: the
site is built and published, the article's file is named in a warning asking for a bug
report, and no traceback is printed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from newsforge import render
from newsforge.cli import main
from newsforge.tagger import extract

REPO = Path(__file__).resolve().parents[2]
# The seed whose processing the injected bug breaks.
VICTIM = "002"


@pytest.fixture
def seed_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(REPO / "seeds", tmp_path / "seeds")
    (tmp_path / "newsforge.yaml").write_text("title: Seeds\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _victim_path(site: Path) -> str:
    (victim,) = [p for p in (site / "seeds").iterdir() if p.name.startswith(VICTIM)]
    return victim.name


def test_a_tagger_bug_in_one_article_costs_its_entities_only(
        seed_site: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    real = extract.extract_article

    def broken(article: Any, *args: Any) -> Any:
        if Path(article.path).name.startswith(VICTIM):
            raise ZeroDivisionError("injected")
        return real(article, *args)

    monkeypatch.setattr(extract, "extract_article", broken)
    status = main(["build"])
    err = capsys.readouterr().err
    assert status == 0, err[-2000:]
    assert "Traceback" not in err
    warning = next(line for line in err.splitlines() if "internal error while tagging" in line)
    assert _victim_path(seed_site) in warning and "ZeroDivisionError: injected" in warning
    # The article is on the site; the others still have their people.
    pages = {p.parent.name: p.read_text(encoding="utf-8")
             for p in (seed_site / "build").rglob("index.html")}
    assert (seed_site / "build" / "entities").is_dir()
    assert any("Tô Lâm" in text for text in pages.values())


def test_a_render_bug_on_one_page_leaves_a_stand_in_and_a_warning(
        seed_site: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    real = render.Renderer.render

    def broken(self: render.Renderer, job: render.Job, jobs: Any = ()) -> tuple[str, bytes]:
        if job.kind == "article" and \
                Path(self.site.article_by_id[job.key[0]].path).name.startswith(VICTIM):
            raise KeyError("injected")
        return real(self, job, jobs)

    monkeypatch.setattr(render.Renderer, "render", broken)
    status = main(["build"])
    err = capsys.readouterr().err
    assert status == 0, err[-2000:]
    assert "Traceback" not in err
    warning = next(line for line in err.splitlines() if "internal error while rendering" in line)
    assert _victim_path(seed_site) in warning
    stand_ins = [p for p in (seed_site / "build").rglob("index.html")
                 if "could not be rendered" in p.read_text(encoding="utf-8")]
    assert len(stand_ins) == 1
    # Every other article page was rendered in full.
    assert sum(1 for p in (seed_site / "build").rglob("index.html")
               if "<article" in p.read_text(encoding="utf-8")) >= 4


def test_strict_makes_an_internal_error_fatal(
        seed_site: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    real = extract.extract_article

    def broken(article: Any, *args: Any) -> Any:
        if Path(article.path).name.startswith(VICTIM):
            raise ZeroDivisionError("injected")
        return real(article, *args)

    monkeypatch.setattr(extract, "extract_article", broken)
    assert main(["build", "--strict"]) != 0
    assert "Traceback" not in capsys.readouterr().err
    assert not (seed_site / "build").exists()

"""Pages whose inputs did not change are taken from the last output, never rendered again,
and the result is still exactly a cold build's.

A small archive with two articles per listing page (so an edit moves cards between
pages) goes through changes that reach far into the site: a headline shown on many
cards, a date that moves an article to another day, month and year, a person no longer
named, an article added that shifts every listing page, and one deleted. After each,
the incremental build equals a cold build byte for byte, and an edit of one body
renders only the pages that show that article.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sitekit import SEEDS, tree_digest

from newsforge.analysis import Toolkit, prepare_toolkit
from newsforge.build import build_site
from newsforge.config import Config, load_config, replace
from newsforge.report import ListReporter, StageStarted

STORIES = {
    "port.md": ("Port of Danang opens a new quay", "2024-03-04",
                "The port of Danang opened a new quay on Monday. Minister Tran Van Binh "
                "and Governor Le Thi Hoa spoke at the ceremony."),
    "budget.md": ("Hanoi approves the city budget", "2024-03-04",
                  "The city council of Hanoi approved the budget on Monday. Governor Le "
                  "Thi Hoa said schools come first."),
    "rail.md": ("Rail link to Hue delayed", "2024-03-05",
                "The rail link to Hue opens a year late, Minister Tran Van Binh told "
                "reporters in Hanoi on Tuesday."),
    "floods.md": ("Floods close roads in Quang Nam", "2024-04-10",
                  "Floods closed three roads in Quang Nam province on Wednesday, the "
                  "provincial office said."),
}


def _write(root: Path) -> Config:
    shutil.copytree(SEEDS, root / "content")
    for name, (title, day, body) in STORIES.items():
        (root / "content" / name).write_text(
            f"---\ntitle: {title}\ndate: {day}\nlanguage: en\n---\n\n{body}\n",
            encoding="utf-8")
    (root / "newsforge.yaml").write_text(
        "title: Quay archive\ncontent: content\nper_page: 2\n", encoding="utf-8")
    return load_config(root / "newsforge.yaml")


def _rewrite(root: Path, name: str, old: str, new: str) -> None:
    path = root / "content" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _headline(root: Path) -> None:
    _rewrite(root, "port.md", "opens a new quay", "opens its second quay")


def _date(root: Path) -> None:
    _rewrite(root, "rail.md", "2024-03-05", "2023-12-30")


def _person(root: Path) -> None:
    _rewrite(root, "budget.md", "Governor Le Thi Hoa said", "The mayor said")


def _added(root: Path) -> None:
    (root / "content" / "bridge.md").write_text(
        "---\ntitle: Bridge over the Han river reopens\ndate: 2024-03-04\nlanguage: en\n"
        "---\n\nThe bridge reopened on Monday, Minister Tran Van Binh said.\n",
        encoding="utf-8")


def _deleted(root: Path) -> None:
    (root / "content" / "floods.md").unlink()


CHANGES: dict[str, Callable[[Path], None]] = {
    "headline": _headline, "date": _date, "person": _person, "added": _added,
    "deleted": _deleted}


@pytest.fixture(scope="module")
def toolkit() -> Toolkit:
    return prepare_toolkit()


def _rendered(reporter: ListReporter) -> tuple[int, int]:
    """(pages rendered, pages of the site), from the render stage's report."""
    for event in reporter.of(StageStarted):
        assert isinstance(event, StageStarted)
        found = re.match(r"(\d+) of (\d+) pages changed", event.detail)
        if event.stage == "render" and found:
            return int(found[1]), int(found[2])
    raise AssertionError("no render stage reported")


def _cold(config: Config, toolkit: Toolkit, scratch: Path) -> dict[str, str]:
    output = scratch / f"cold-{len(list(scratch.iterdir()))}"
    assert build_site(replace(config, output=output), toolkit=toolkit, use_cache=False).ok
    return tree_digest(output)


def test_far_reaching_changes_give_the_cold_output(tmp_path: Path,
                                                   toolkit: Toolkit) -> None:
    root, scratch = tmp_path / "site", tmp_path / "scratch"
    root.mkdir()
    scratch.mkdir()
    config = _write(root)
    assert build_site(config, toolkit=toolkit).ok
    for name, change in CHANGES.items():
        change(root)
        reporter = ListReporter()
        assert build_site(config, reporter, toolkit=toolkit).ok, name
        rendered, total = _rendered(reporter)
        assert 0 < rendered < total, (name, rendered, total)
        assert tree_digest(config.output) == _cold(config, toolkit, scratch), name


def test_a_body_edit_renders_only_the_pages_showing_the_article(
        tmp_path: Path, toolkit: Toolkit) -> None:
    config = _write(tmp_path)
    first = ListReporter()
    assert build_site(config, first, toolkit=toolkit).ok
    assert _rendered(first)[0] == _rendered(first)[1]  # nothing to take from
    _rewrite(tmp_path, "floods.md", "closed three roads", "closed four roads")
    reporter = ListReporter()
    assert build_site(config, reporter, toolkit=toolkit).ok
    rendered, total = _rendered(reporter)
    # Its page, its cards (listing, day, month, feed), its redirect, the sitemaps.
    assert rendered < total / 4, (rendered, total)



def test_a_template_change_renders_only_the_pages_made_with_it(
        tmp_path: Path, toolkit: Toolkit) -> None:
    root, scratch = tmp_path / "site", tmp_path / "scratch"
    root.mkdir()
    scratch.mkdir()
    config = _write(root)
    first = ListReporter()
    assert build_site(config, first, toolkit=toolkit).ok
    days = len(list(config.output.glob("**/archive/*/*/*/index.html")))
    (root / "templates").mkdir()
    (root / "templates" / "robots.txt").write_text("User-agent: *\nDisallow: /x/\n",
                                                   encoding="utf-8")
    reporter = ListReporter()
    assert build_site(load_config(root / "newsforge.yaml"), reporter, toolkit=toolkit).ok
    assert _rendered(reporter)[0] == 1
    day = (SEEDS.parents[0] / "templates" / "day.html").read_text(encoding="utf-8")
    (root / "templates" / "day.html").write_text(day.replace(
        "{% block content %}", "{% block content %}<!-- a note -->"), encoding="utf-8")
    reporter = ListReporter()
    config = load_config(root / "newsforge.yaml")
    assert build_site(config, reporter, toolkit=toolkit).ok
    assert days > 3 and _rendered(reporter)[0] == days
    assert tree_digest(config.output) == _cold(config, toolkit, scratch)

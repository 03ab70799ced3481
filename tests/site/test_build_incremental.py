"""Incremental builds give exactly the output of a cold build, whatever changed.

A site is built, changed in one way (an article edited, added or deleted, a template,
the configuration, a static file), built again with its cache and spare tree, and the
output is compared byte for byte with a cold build of the same input into a fresh
folder without cache. A damaged cache, a cache of another version, a spare left by a
killed build and a build interrupted half-way must not change that.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sitekit import SEEDS, tree_digest

from newsforge.analysis import Toolkit, prepare_toolkit
from newsforge.build import build_site
from newsforge.cache import CACHE_DIR, write_checked
from newsforge.config import Config, load_config, replace
from newsforge.output import MANIFEST, spare_of
from newsforge.report import (
    BuildFinished,
    Event,
    ListReporter,
    ProgressMade,
    StageStarted,
)


@pytest.fixture(scope="module")
def toolkit() -> Toolkit:
    return prepare_toolkit()


def _write_site(root: Path) -> Config:
    shutil.copytree(SEEDS, root / "content")
    (root / "content" / "harbour.md").write_text(
        "---\ntitle: Harbour cranes arrive\ndate: 2024-03-04\nlanguage: en\n---\n\n"
        "Two new cranes reached the port of Danang on Tuesday, the harbour authority "
        "said. Minister Tran Van Binh attended the ceremony.\n", encoding="utf-8")
    (root / "content" / "riksdag.md").write_text(
        "---\ntitle: Riksdagen röstar om budgeten\ndate: 2024-05-06\nlanguage: sv\n---\n\n"
        "Riksdagen röstade på onsdagen om vårbudgeten. Finansministern Anna Berg "
        "försvarade förslaget i debatten.\n", encoding="utf-8")
    (root / "newsforge.yaml").write_text("title: Harbour archive\ncontent: content\n",
                                         encoding="utf-8")
    return load_config(root / "newsforge.yaml")


def _cold(config: Config, toolkit: Toolkit, scratch: Path) -> dict[str, str]:
    """The output of a serial cold build (fresh folder, no cache) of the same input."""
    output = scratch / f"cold-{len(list(scratch.iterdir()))}"
    result = build_site(replace(config, output=output), toolkit=toolkit, use_cache=False)
    assert result.ok, result.problems
    return tree_digest(output)


def _load_detail(reporter: ListReporter) -> str:
    details = [e.detail for e in reporter.of(StageStarted)
               if isinstance(e, StageStarted) and e.stage == "load"
               and "files changed" in e.detail]
    assert len(details) == 1
    return details[0]


def _edit(root: Path) -> None:
    path = root / "content" / "harbour.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Two new cranes", "Three new cranes"), encoding="utf-8")


_NOTE = "\nThe harbour authority will publish the schedule next week.\n"


def _retext(root: Path) -> None:
    """A sentence that names no one, at the end: the last analysis is patched."""
    path = root / "content" / "harbour.md"
    path.write_text(path.read_text(encoding="utf-8") + _NOTE, encoding="utf-8")


def _unretext(root: Path) -> None:
    """The sentence taken out again: back to the text the cached analysis has."""
    path = root / "content" / "harbour.md"
    path.write_text(path.read_text(encoding="utf-8").replace(_NOTE, ""), encoding="utf-8")


def _byline(root: Path) -> None:
    """The outlet and the author named in the front matter: the article is retouched."""
    path = root / "content" / "harbour.md"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "language: en\n", "language: en\nsource: Danang Harbour Gazette\nauthor: Staff\n",
        1), encoding="utf-8")


def _add(root: Path) -> None:
    (root / "content" / "ferry.md").write_text(
        "---\ntitle: Ferry line reopens\ndate: 2024-06-01\nlanguage: en\n---\n\n"
        "The ferry between the two islands runs again from Monday, the operator said.\n",
        encoding="utf-8")


def _delete(root: Path) -> None:
    (root / "content" / "riksdag.md").unlink()


def _template(root: Path) -> None:
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "robots.txt").write_text("User-agent: *\nDisallow: /drafts/\n",
                                                   encoding="utf-8")


def _configuration(root: Path) -> None:
    (root / "newsforge.yaml").write_text("title: Port and parliament\ncontent: content\n",
                                         encoding="utf-8")


def _static(root: Path) -> None:
    (root / "static").mkdir(exist_ok=True)
    (root / "static" / "extra.css").write_text("body { margin: 0 }\n", encoding="utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "edit": _edit, "retext": _retext, "unretext": _unretext, "byline": _byline, "add": _add,
    "delete": _delete, "template": _template, "configuration": _configuration,
    "static": _static}


def test_every_kind_of_change_gives_the_cold_output(tmp_path: Path, toolkit: Toolkit) -> None:
    root, scratch = tmp_path / "site", tmp_path / "scratch"
    root.mkdir()
    scratch.mkdir()
    config = _write_site(root)
    assert build_site(config, toolkit=toolkit).ok
    assert tree_digest(config.output) == _cold(config, toolkit, scratch)
    for name, change in CHANGES.items():
        change(root)
        config = load_config(root / "newsforge.yaml")
        reporter = ListReporter()
        result = build_site(config, reporter, toolkit=toolkit)
        assert result.ok and not result.unchanged, name
        assert tree_digest(config.output) == _cold(config, toolkit, scratch), name
        changed, _, total = _load_detail(reporter).partition(" of ")
        expected = {"edit": 1, "retext": 1, "unretext": 1, "byline": 1, "add": 1}.get(name, 0)
        assert int(changed) == expected, (name, changed, total)
        # (Taken out again, the pages are as the spare tree holds them: none is written.)
        if name in ("edit", "retext", "byline", "template", "static"):
            assert 0 < result.written < result.pages / 2, (name, result.written)


def test_nothing_changed_is_answered_from_the_last_build(tmp_path: Path,
                                                         toolkit: Toolkit) -> None:
    config = _write_site(tmp_path)
    first = build_site(config, toolkit=toolkit)
    before = tree_digest(config.output)
    again = build_site(config, toolkit=toolkit)
    assert again.unchanged and again.ok and again.pages == first.pages
    assert again.warnings == first.warnings and again.problems == first.problems
    # Touched but not changed: the bytes decide.
    article = tmp_path / "content" / "harbour.md"
    os.utime(article, ns=(article.stat().st_atime_ns, article.stat().st_mtime_ns + 10**9))
    assert build_site(config, toolkit=toolkit).unchanged
    # An output someone damaged is built again.
    (config.output / MANIFEST).unlink()
    rebuilt = build_site(config, toolkit=toolkit)
    assert rebuilt.ok and not rebuilt.unchanged
    assert tree_digest(config.output) == before
    # --strict is part of the inputs: it is never answered by a relaxed build.
    assert not build_site(config, toolkit=toolkit, strict=True).unchanged


def _damage(cache: Path) -> None:
    """One byte of every file changed: cached records and compiled templates."""
    for path in sorted(p for p in cache.rglob("*") if p.is_file()):
        data = bytearray(path.read_bytes())
        data[-20] ^= 0xFF
        path.write_bytes(bytes(data))


def _other_version(cache: Path) -> None:
    for path in sorted(p for p in cache.iterdir() if p.is_file()):
        kind = path.name.split("-")[0] if path.name.startswith("articles") else path.name
        write_checked(path, kind, "another-newsforge", {"content/x.md": "not an entry"})


@pytest.mark.parametrize("spoil", [_damage, _other_version], ids=["damaged", "other-version"])
def test_a_bad_cache_is_detected_and_rebuilt(tmp_path: Path, toolkit: Toolkit,
                                             spoil: Callable[[Path], None]) -> None:
    root, scratch = tmp_path / "site", tmp_path / "scratch"
    root.mkdir()
    scratch.mkdir()
    config = _write_site(root)
    assert build_site(config, toolkit=toolkit).ok
    spoil(root / CACHE_DIR)
    _edit(root)
    reporter = ListReporter()
    result = build_site(config, reporter, toolkit=toolkit)
    assert result.ok
    notes = [e.detail for e in reporter.of(StageStarted)
             if isinstance(e, StageStarted) and e.stage == "cache"]
    assert notes and all("rebuilt" in note for note in notes)
    assert any(("damaged" if spoil is _damage else "another newsforge") in note
               for note in notes)
    assert _load_detail(reporter).startswith("7 of 7")  # nothing trusted
    assert tree_digest(config.output) == _cold(config, toolkit, scratch)
    # And the rebuilt cache serves the next build.
    _add(root)
    reporter = ListReporter()
    assert build_site(config, reporter, toolkit=toolkit).ok
    assert _load_detail(reporter).startswith("1 of 8")
    assert tree_digest(config.output) == _cold(config, toolkit, scratch)


class _StopHalfway:
    """Ctrl-C once the changed pages are in the spare, before the output is swapped."""

    def emit(self, event: Event) -> None:
        if isinstance(event, ProgressMade):
            raise KeyboardInterrupt


def _built_twice(tmp_path: Path, toolkit: Toolkit) -> tuple[Path, Path, Config]:
    """A site built, edited and built again: its output now has a spare beside it."""
    root, scratch = tmp_path / "site", tmp_path / "scratch"
    root.mkdir()
    scratch.mkdir()
    config = _write_site(root)
    assert build_site(config, toolkit=toolkit).ok
    _edit(root)
    assert build_site(config, toolkit=toolkit).ok
    return root, scratch, config


def test_an_interrupted_rebuild_keeps_the_output_and_a_usable_cache(
        tmp_path: Path, toolkit: Toolkit) -> None:
    root, scratch, config = _built_twice(tmp_path, toolkit)
    before = tree_digest(config.output)
    _add(root)
    with pytest.raises(KeyboardInterrupt):
        build_site(config, _StopHalfway(), toolkit=toolkit)
    assert tree_digest(config.output) == before
    assert (spare_of(config.output) / MANIFEST).is_file()  # the spare says what it holds
    reporter = ListReporter()
    result = build_site(config, reporter, toolkit=toolkit)
    assert result.ok and _load_detail(reporter).startswith("0 of 8")
    assert tree_digest(config.output) == _cold(config, toolkit, scratch)


def test_a_spare_left_by_a_killed_build_is_rewritten(tmp_path: Path,
                                                     toolkit: Toolkit) -> None:
    root, scratch, config = _built_twice(tmp_path, toolkit)
    spare = spare_of(config.output)
    # What SIGKILL in the middle of an update leaves: no manifest, a stray file, a file
    # half-written, a folder where a file belongs.
    (spare / MANIFEST).unlink()
    (spare / "stray.html").write_text("left over", encoding="utf-8")
    half = next(spare.rglob("*.html"))
    half.unlink()  # a changed file is always created anew, never written in place
    half.write_text("half", encoding="utf-8")
    (spare / "robots.txt").unlink()
    (spare / "robots.txt").mkdir()
    _add(root)
    assert build_site(config, toolkit=toolkit).ok
    assert tree_digest(config.output) == _cold(config, toolkit, scratch)
    _delete(root)
    assert build_site(config, toolkit=toolkit).ok
    assert tree_digest(config.output) == _cold(config, toolkit, scratch)


def test_changed_files_read_beside_the_cached_analysis_give_the_cold_output(
        tmp_path: Path, toolkit: Toolkit, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a toolkit, the files changed since the last build are loaded and tagged in
    a process of their own while the cached analysis is read."""
    from newsforge.workers import Beside

    root, scratch = tmp_path / "site", tmp_path / "scratch"
    root.mkdir()
    scratch.mkdir()
    config = _write_site(root)
    assert build_site(config).ok
    handed: list[int] = []
    run = Beside.run

    def counted(self, work, items):  # type: ignore[no-untyped-def]
        handed.extend(len(files) for _, files in items)
        return run(self, work, items)

    monkeypatch.setattr(Beside, "run", counted)
    for change in (_retext, _edit, _add):
        change(root)
        reporter = ListReporter()
        assert build_site(config, reporter).ok
        assert tree_digest(config.output) == _cold(config, toolkit, scratch), change
        assert _load_detail(reporter).startswith("1 of "), change
    assert handed == [1, 1, 1]


def test_parallel_and_serial_builds_are_identical(tmp_path: Path, toolkit: Toolkit) -> None:
    root, scratch = tmp_path / "site", tmp_path / "scratch"
    root.mkdir()
    scratch.mkdir()
    config = _write_site(root)
    result = build_site(config, toolkit=toolkit, jobs=2, use_cache=False)
    assert result.ok
    assert tree_digest(config.output) == _cold(config, toolkit, scratch)


def test_the_cached_steps_equal_the_stages(tmp_path: Path, toolkit: Toolkit) -> None:
    """build.py runs loading and tagging step by step (to use the cache) and patches the
    cached analysis after edits to text and bylines; the Site must be the one the stages' own
    entry points (load_tree, tag_archive, assemble) give."""
    from newsforge.analysis import Analysis, analyse
    from newsforge.cache import BuildCache

    def cached() -> Analysis:
        cache = BuildCache(tmp_path / CACHE_DIR, "test")
        analysis = analyse(config, toolkit=toolkit, cache=cache)
        cache.save(0)
        whole = analysis.whole()
        assert (whole.site, whole.problems, whole.left_out) == (
            plain.site, plain.problems, plain.left_out)
        return analysis

    config = _write_site(tmp_path)
    plain = analyse(config, toolkit=toolkit)
    first = cached()  # an empty cache: every step runs
    assert first.tagging == plain.tagging and first.basis and not first.patched
    again = cached()  # nothing changed: the cached analysis as it is
    assert again.tagging is None and again.basis == first.basis and not again.patched
    # A sentence that names no one, added at the end: the cached analysis, new text.
    harbour = tmp_path / "content" / "harbour.md"
    harbour.write_text(harbour.read_text(encoding="utf-8") + "\nThe port stays open.\n",
                       encoding="utf-8")
    plain = analyse(config, toolkit=toolkit)
    retexted = cached()
    assert retexted.tagging is None and retexted.basis == first.basis
    assert retexted.patched == {a.id for a in plain.site.articles
                                if Path(a.path).name == harbour.name}
    # The other articles' texts stay packed, as the cache keeps them.
    assert set(retexted.texts.packed) == {a.id for a in plain.site.articles} - retexted.patched
    # A word that moves a name along its line: still the cached analysis, new text.
    _edit(tmp_path)
    plain = analyse(config, toolkit=toolkit)
    moved = cached()
    assert moved.tagging is None and moved.basis == first.basis and moved.patched
    # The outlet named: still the cached analysis, the article retouched.
    harbour.write_text(harbour.read_text(encoding="utf-8").replace(
        "language: en\n", "language: en\nsource: Danang Harbour Gazette\n", 1),
        encoding="utf-8")
    plain = analyse(config, toolkit=toolkit)
    sourced = cached()
    assert sourced.tagging is None and sourced.basis == first.basis and sourced.patched
    assert any(a.source is not None for a in sourced.site.articles
               if Path(a.path).name == harbour.name)
    # A new headline: the archive is analysed again.
    harbour.write_text(harbour.read_text(encoding="utf-8").replace(
        "title: Harbour cranes arrive", "title: Harbour cranes arrive early"), encoding="utf-8")
    plain = analyse(config, toolkit=toolkit)
    retitled = cached()
    assert retitled.tagging == plain.tagging and retitled.basis not in ("", first.basis)


def test_the_build_report_says_nothing_changed(tmp_path: Path, toolkit: Toolkit) -> None:
    config = _write_site(tmp_path)
    build_site(config, toolkit=toolkit)
    reporter = ListReporter()
    build_site(config, reporter, toolkit=toolkit)
    (finished,) = reporter.of(BuildFinished)
    assert isinstance(finished, BuildFinished) and finished.unchanged

"""A failed or interrupted build leaves the previous output exactly as it was."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sitekit import crawl, tree_digest

from newsforge import build
from newsforge.build import build_site
from newsforge.config import Config, replace
from newsforge.errors import BuildError
from newsforge.output import (
    MANIFEST,
    Staging,
    mirror_live,
    read_manifest,
    spare_of,
)
from newsforge.report import Event, ProgressMade, StageStarted
from newsforge.scaffold import init_site


def _previous_build(config: Config) -> dict[str, str]:
    assert build_site(config).ok
    return tree_digest(config.output)


def test_a_template_error_keeps_the_previous_build(site_config: Callable[..., Config],
                                                   tmp_path: Path) -> None:
    config = site_config()
    before = _previous_build(config)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "article.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n{{ no_such_variable.x }}\n'
        '{% endblock %}\n', encoding="utf-8")
    result = build_site(config)
    assert not result.ok and result.errors == 1
    (problem,) = result.problems[-1:]
    assert problem.path == str(tmp_path / "templates" / "article.html")
    assert problem.line == 3 and "no_such_variable" in problem.message
    assert tree_digest(config.output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".build")] == []


class _Interrupting:
    """A reporter that presses Ctrl-C as soon as rendering starts."""

    def emit(self, event: Event) -> None:
        if isinstance(event, StageStarted) and event.stage == "render":
            raise KeyboardInterrupt


class _InterruptMidway:
    def emit(self, event: Event) -> None:
        if isinstance(event, ProgressMade):
            raise KeyboardInterrupt


def test_an_interrupted_build_keeps_the_previous_build(site_config: Callable[..., Config],
                                                       tmp_path: Path) -> None:
    config = site_config()
    before = _previous_build(config)
    changed = replace(config, title="Another title")  # unchanged input is never rebuilt
    for reporter in (_Interrupting(), _InterruptMidway()):
        with pytest.raises(KeyboardInterrupt):
            build_site(changed, reporter)
        assert tree_digest(config.output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".build")] == []


def test_a_bad_content_file_is_left_out_and_the_rest_published(
        site_config: Callable[..., Config], tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "good.md").write_text("---\ntitle: Fine\ndate: 2024-01-02\nlanguage: en\n---\n"
                                     "A good article.\n", encoding="utf-8")
    config = site_config(content=content)
    before = _previous_build(config)
    (content / "bad.md").write_bytes(b"---\ntitle: [unclosed\n---\nBody\n")
    (content / "later.md").write_text("---\ntitle: Added later\ndate: 2024-01-03\n"
                                      "language: en\n---\nAnother article.\n", encoding="utf-8")
    result = build_site(config)
    assert result.ok and result.errors >= 1 and result.articles == 2
    assert result.left_out == ("content/bad.md",)
    assert any(p.path.endswith("bad.md") and p.line for p in result.problems)
    pages = "".join(page.read_text(encoding="utf-8")
                    for page in config.output.rglob("index.html"))
    assert "Added later" in pages and "unclosed" not in pages
    # With --strict the same problem keeps the previous output exactly as it was.
    (content / "later.md").unlink()
    published = tree_digest(config.output)
    assert published != before
    strict = build_site(config, strict=True)
    assert not strict.ok and tree_digest(config.output) == published


def test_strict_fails_on_warnings(site_config: Callable[..., Config], tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    # A day without a year and no other report of the story: filed undated, with a warning.
    (content / "lonely.txt").write_text(
        "The harbour board met on March 3 to discuss the new quay.\n\n"
        "Members approved the budget after a long debate.\n", encoding="utf-8")
    config = site_config(content=content)
    relaxed = build_site(config)
    assert relaxed.ok and relaxed.warnings >= 1
    before = tree_digest(config.output)
    strict = build_site(config, strict=True)
    assert not strict.ok and strict.warnings == relaxed.warnings
    assert tree_digest(config.output) == before


def test_output_that_is_not_a_build_is_never_replaced(tmp_path: Path) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work", encoding="utf-8")
    with pytest.raises(BuildError, match="not built by newsforge"):
        Staging(precious)
    with pytest.raises(BuildError, match="refusing to replace"):
        Staging(tmp_path, protected=(tmp_path / "content",))
    assert (precious / "thesis.txt").read_text(encoding="utf-8") == "years of work"


def test_paths_cannot_leave_the_output(tmp_path: Path) -> None:
    with Staging(tmp_path / "out") as staging:
        for bad in ("../escape.html", "/etc/passwd", "a/../../b", "", "a/..", "a//b",
                    "a/./b", "trailing/", "a\\b", "a\0b", "line\nbreak"):
            with pytest.raises(BuildError):
                staging.write(bad, b"x")
        staging.write("ok/index.html", b"fine")
        staging.write("ok/..not-a-parent/x...html", b"dots inside names are fine")
        staging.commit()
    assert (tmp_path / "out" / "ok" / "index.html").read_bytes() == b"fine"
    assert not (tmp_path / "escape.html").exists()


def test_a_new_site_builds_at_once(tmp_path: Path) -> None:
    from newsforge.config import load_config

    site = init_site(tmp_path / "mysite")
    config = load_config(site / "newsforge.yaml")
    result = build_site(config)
    assert result.ok and result.articles == 1, result.problems
    assert (site / "build" / "en" / "articles" / "welcome" / "index.html").is_file()
    assert crawl(site / "build", "/") == []


def test_the_crawler_sees_broken_links_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/index.html#here">x</a><a href="a/index.html#gone">y</a>'
        '<a href="missing/index.html">z</a>', encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text('<p id="here"></p>', encoding="utf-8")
    assert crawl(tmp_path, "/") == ["index.html: a/index.html#gone (no such anchor)",
                                    "index.html: missing/index.html (no such file)"]


def test_console_summary_and_problems(site_config: Callable[..., Config]) -> None:
    import io

    from newsforge.report import ConsoleReporter

    stream = io.StringIO()
    result = build_site(site_config(), ConsoleReporter(verbose=True, stream=stream))
    text = stream.getvalue()
    assert result.ok
    for stage in ("load", "tag", "assemble", "render", "write"):
        assert f"· {stage}" in text
    assert f"built into {site_config().output}: 5 articles, {result.entities} entities" in text
    quiet = io.StringIO()
    build_site(site_config(), ConsoleReporter(quiet=True, stream=quiet))
    assert quiet.getvalue() == ""


def test_mirroring_links_every_live_file_into_the_spare(site_config: Callable[..., Config]
                                                        ) -> None:
    config = site_config()
    assert build_site(config).ok
    out, spare = config.output.resolve(), spare_of(config.output.resolve())
    live = read_manifest(out)
    assert live and not spare.exists()  # a first build leaves no spare
    assert mirror_live(out) == len(live)
    assert read_manifest(spare) == live
    for path in live:
        assert (spare / path).stat().st_ino == (out / path).stat().st_ino, path
    assert mirror_live(out) == 0  # in step: nothing to do
    # After a rebuild the spare holds the build before: the files it changed are linked.
    assert build_site(replace(config, title="Another title")).ok
    changed = read_manifest(out)
    assert changed and changed != live and read_manifest(spare) == live
    assert mirror_live(out) == sum(live.get(path) != d for path, d in changed.items())
    assert read_manifest(spare) == {**live, **changed}
    # A spare whose manifest is damaged is left to staging, which rewrites it.
    (spare / MANIFEST).write_bytes(b"damaged")
    assert mirror_live(out) == 0 and (spare / MANIFEST).read_bytes() == b"damaged"


def test_a_rebuild_with_the_spare_mirrored_equals_one_without(
        site_config: Callable[..., Config], monkeypatch: pytest.MonkeyPatch) -> None:
    config = site_config()
    assert build_site(config).ok
    changed = replace(config, title="Another title")
    assert build_site(changed).ok
    expected = tree_digest(config.output)
    assert build_site(config).ok
    monkeypatch.setattr(build, "_MIRROR_FROM", 0)  # mirror even this small site
    monkeypatch.setattr(build, "mirror_live", _mirror_and_tell)
    assert build.can_fork()  # (the mirror runs in a forked process)
    live = read_manifest(config.output)
    shutil.rmtree(spare_of(config.output.resolve()))  # as after a first build
    assert build_site(changed).ok
    assert tree_digest(config.output) == expected
    assert live and (config.output.parent / "mirrored").read_text() == str(len(live))


def _mirror_and_tell(output: Path) -> int:
    """``mirror_live``, leaving how many files it linked beside the output."""
    linked = mirror_live(output)
    (output.parent / "mirrored").write_text(str(linked))
    return linked


def test_a_first_build_of_a_large_site_leaves_its_spare_ready(
        site_config: Callable[..., Config], monkeypatch: pytest.MonkeyPatch) -> None:
    config = site_config()
    monkeypatch.setattr(build, "_MIRROR_FROM", 0)  # as large a site as any
    assert build_site(config).ok
    out, spare = config.output.resolve(), spare_of(config.output.resolve())
    live = read_manifest(out)
    assert live and read_manifest(spare) == live
    for path in live:
        assert (spare / path).stat().st_ino == (out / path).stat().st_ino, path
    assert (spare / ".newsforge-build").is_file() and mirror_live(out) == 0
    assert not list(out.parent.glob(".*.next-*"))
    # The next build changes the spare's copies, never the live files they were linked to.
    changed = replace(config, title="Another title")
    assert build_site(changed).ok
    assert read_manifest(spare) == live and tree_digest(config.output) == _fresh(changed)


def _fresh(config: Config) -> dict[str, str]:
    """The tree a build into a new output folder, without cache, makes of ``config``."""
    other = replace(config, output=config.output.parent / "fresh")
    assert build_site(other, use_cache=False).ok
    return tree_digest(other.output)


def test_a_twin_is_dropped_when_the_build_does_not_publish(tmp_path: Path) -> None:
    output = tmp_path / "out"
    with Staging(output, twin=True) as staging:
        staging.write("a/index.html", b"one")
        (twin,) = tmp_path.glob(".out.next-*")
        assert (twin / "a" / "index.html").read_bytes() == b"one"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".newsforge-spare-out"]
    with Staging(output, twin=True) as staging:  # the spare left is not empty: no twin
        staging.write("a/index.html", b"one")
        staging.write("b.txt", b"two")
        assert not list(tmp_path.glob(".out.next-*"))
        staging.commit()
    assert not spare_of(output.resolve()).exists() and read_manifest(output)


def test_keeping_files_in_bulk_equals_keeping_them_one_by_one(tmp_path: Path) -> None:
    """Kept at once, the files the spare holds stay, those only the live tree holds are
    linked from it, and those neither holds are handed back to be written."""
    from newsforge.output import digest

    def publish(output: Path, files: dict[str, bytes]) -> None:
        with Staging(output) as staging:
            for path, data in files.items():
                staging.write(path, data)
            staging.commit()

    pages = {f"p/{n}/index.html": f"page {n}".encode() for n in range(40)}
    ends: list[dict[str, str]] = []
    for name, bulk in (("bulk", True), ("single", False)):
        output = tmp_path / name
        publish(output, pages)  # the first build: the spare has nothing yet
        publish(output, {**pages, "p/0/index.html": b"changed", "extra.html": b"new"})
        wanted = {path: digest(data) for path, data in pages.items()}
        wanted["p/0/index.html"] = digest(b"changed")  # only the live tree holds it
        wanted["p/1/index.html"] = digest(b"never built")  # neither holds it
        with Staging(output) as staging:
            missing = staging.keep_all(wanted) if bulk else [
                path for path, hexdigest in wanted.items()
                if not staging.keep(path, hexdigest)]
            assert missing == ["p/1/index.html"]
            staging.write("p/1/index.html", b"never built")
            assert staging.files == len(wanted)
            staging.commit()
        ends.append(tree_digest(output))
    assert ends[0] == ends[1]
    assert (tmp_path / "bulk" / "p" / "0" / "index.html").read_bytes() == b"changed"
    assert not (tmp_path / "bulk" / "extra.html").exists()

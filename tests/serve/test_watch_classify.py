"""classify_changes, the debounce batcher and the choice of watched folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsforge.config import Config, load_config
from newsforge.watch import ChangeBatcher, ChangeSet, classify_changes, watch_targets

# Every key spelled out, so these tests depend on the classifier, not on config defaults.
FULL = "title: T\nbase_url: /\nlanguages: [en]\nper_page: 5\n"


@pytest.fixture
def site(tmp_path: Path) -> Config:
    root = tmp_path / "site"
    for folder in ("articles", "templates", "static", "build"):
        (root / folder).mkdir(parents=True)
    (root / "newsforge.yaml").write_text(
        FULL + "content: articles\noutput: build\nentities: curation/entities.yaml\n",
        encoding="utf-8")
    return load_config(root / "newsforge.yaml")


def test_each_part_of_the_site_is_recognised(site: Config) -> None:
    root = site.root
    changes = classify_changes([
        root / "articles" / "2024" / "b.md",
        root / "articles" / "a.txt",
        root / "newsforge.yaml",
        root / "templates" / "article.html",
        root / "static" / "css" / "site.css",
        root / "curation" / "entities.yaml",
    ], site)
    assert changes == ChangeSet(
        content=(root / "articles" / "2024" / "b.md", root / "articles" / "a.txt"),
        config=True,
        templates=(root / "templates" / "article.html",),
        static=(root / "static" / "css" / "site.css",),
        entities=True,
    )
    assert not changes.empty
    assert changes.describe() == ("configuration, entity curation, 2 content files, "
                                  "1 template file, 1 static file")


@pytest.mark.parametrize("relative", [
    "build/index.html",                      # our own output
    "build",
    "articles/.a.txt.swp",                   # vim
    "articles/a.txt.swx",
    "articles/a.txt~",                       # many editors' backups
    "articles/#a.txt#",                      # emacs autosave
    "articles/.#a.txt",                      # emacs lock
    "articles/4913",                         # vim's write probe
    "articles/a.txt.tmp",
    "articles/.git/index",                   # a repository inside the content folder
    ".git/HEAD",
    ".newsforge-cache/state.json",
    "articles/__pycache__/x.pyc",
    "static/.DS_Store",
    "templates/~$draft.html",
    "README.md",                             # not a part of the site
    "newsforge.yaml.bak",
])
def test_noise_is_ignored(site: Config, relative: str) -> None:
    changes = classify_changes([site.root / relative], site)
    assert changes.empty, relative
    assert changes.describe() == "nothing"


def test_relative_paths_are_taken_from_the_site_root(site: Config) -> None:
    changes = classify_changes(["articles/x.txt", "templates/base.html"], site)
    assert changes.content == (site.root / "articles" / "x.txt",)
    assert changes.templates == (site.root / "templates" / "base.html",)


def test_output_inside_the_content_folder_is_still_ignored(tmp_path: Path) -> None:
    root = tmp_path / "s"
    root.mkdir()
    (root / "newsforge.yaml").write_text(FULL + "content: .\noutput: public\n", encoding="utf-8")
    config = load_config(root / "newsforge.yaml")
    changes = classify_changes([root / "public" / "a" / "index.html", root / "new.txt"], config)
    assert changes.content == (root / "new.txt",)


def test_a_config_file_appearing_counts_as_a_config_change(tmp_path: Path) -> None:
    root = tmp_path / "bare"
    root.mkdir()
    config = Config(root=root, content=root / "seeds", output=root / "build")  # no file yet
    assert classify_changes([root / "newsforge.yaml"], config).config


def test_duplicates_collapse_and_order_is_sorted(site: Config) -> None:
    a, b = site.root / "articles" / "a.txt", site.root / "articles" / "b.txt"
    assert classify_changes([b, a, b, str(a)], site).content == (a, b)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_batcher_waits_for_a_quiet_period() -> None:
    clock = Clock()
    batcher = ChangeBatcher(0.2, clock)
    assert batcher.remaining() is None
    assert batcher.take() == ()
    batcher.add(["/s/b"])
    clock.now += 0.15
    batcher.add(["/s/a", "/s/b"])  # the burst goes on: the quiet period restarts
    clock.now += 0.15
    assert batcher.take() == ()
    assert batcher.remaining() == pytest.approx(0.05)
    clock.now += 0.05
    assert batcher.remaining() == 0.0
    assert batcher.take() == ("/s/a", "/s/b")
    assert batcher.take() == ()
    assert batcher.remaining() is None


def test_watch_targets_cover_folders_and_config_without_the_output(site: Config) -> None:
    root = site.root
    (root / "curation").mkdir()
    targets = watch_targets(site)
    assert targets == tuple(sorted([
        (root / "articles", True), (root / "templates", True), (root / "static", True),
        (root, False), (root / "curation", False),
    ]))


def test_watch_targets_skip_missing_folders(tmp_path: Path) -> None:
    root = tmp_path / "s"
    (root / "seeds").mkdir(parents=True)
    config = Config(root=root, content=root / "seeds", output=root / "build",
                    templates=root / "templates", static=root / "static")
    assert watch_targets(config) == ((root, False), (root / "seeds", True))

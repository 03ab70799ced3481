"""The watchdog loop on a real folder: bursts collapse, noise is dropped, new folders join."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from servekit import FULL_CONFIG, poll

from newsforge.config import Config, load_config
from newsforge.watch import ChangeSet, watch


class Recorder:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.batches: list[ChangeSet] = []

    def __call__(self, changes: ChangeSet) -> Config:
        self.batches.append(changes)
        return self.config


@pytest.fixture
def site(tmp_path: Path) -> Config:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "build").mkdir()
    (root / "newsforge.yaml").write_text(FULL_CONFIG + "content: content\n", encoding="utf-8")
    return load_config(root / "newsforge.yaml")


@pytest.fixture
def watching(site: Config) -> Iterator[Recorder]:
    recorder = Recorder(site)
    stop, ready = threading.Event(), threading.Event()
    thread = threading.Thread(target=watch, args=(site, recorder, stop),
                              kwargs={"quiet": 0.2, "ready": ready}, daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        yield recorder
    finally:
        stop.set()
        thread.join(10)
        assert not thread.is_alive()


def test_saves_are_batched_and_noise_is_dropped(site: Config, watching: Recorder) -> None:
    content = site.content
    # Noise first, in the same burst: output files, swap files, a repository.
    (site.output / "index.html").write_text("built", encoding="utf-8")
    (content / ".a.txt.swp").write_text("swap", encoding="utf-8")
    (content / ".git").mkdir()
    (content / ".git" / "HEAD").write_text("ref", encoding="utf-8")
    for name in ("a.txt", "b.txt", "c.txt"):
        (content / name).write_text(f"{name} text\n", encoding="utf-8")
    (content / "a.txt").write_text("a.txt edited\n", encoding="utf-8")
    expected = {content / n for n in ("a.txt", "b.txt", "c.txt")}

    def seen() -> set[Path]:
        return {path for batch in watching.batches for path in batch.content}

    assert poll(lambda: seen() == expected, timeout=5)
    # Usually one batch; a stalled machine may split the burst, but never reports noise
    # and never calls rebuild for nothing (the debounce itself is tested with a clock).
    assert 1 <= len(watching.batches) <= 3
    for batch in watching.batches:
        assert not batch.empty
        assert not (batch.config or batch.templates or batch.static or batch.entities)


def test_config_and_a_templates_folder_created_later(site: Config, watching: Recorder) -> None:
    assert site.templates is not None
    site.templates.mkdir()  # did not exist when watching began
    assert poll(lambda: bool(watching.batches), timeout=5)
    template = site.templates / "article.html"

    def saved_and_seen() -> bool:
        # The new folder is watched from the end of that rebuild on; saving again until
        # the change shows avoids guessing when that is.
        template.write_text("{{ title }}", encoding="utf-8")
        return any(b.templates == (template,) for b in watching.batches)

    assert poll(saved_and_seen, timeout=5, interval=0.3)
    assert site.source_file is not None
    site.source_file.write_text(site.source_file.read_text() + "# note\n", encoding="utf-8")
    assert poll(lambda: any(b.config for b in watching.batches), timeout=5)


def test_a_content_folder_replaced_wholesale_is_still_watched(
        site: Config, watching: Recorder) -> None:
    import shutil

    (site.content / "a.txt").write_text("first\n", encoding="utf-8")
    assert poll(lambda: bool(watching.batches), timeout=5)
    shutil.rmtree(site.content)  # as a branch switch might
    site.content.mkdir()
    seen_before = len(watching.batches)
    assert poll(lambda: len(watching.batches) > seen_before, timeout=5)
    late = site.content / "late.txt"

    def saved_and_seen() -> bool:
        late.write_text("late\n", encoding="utf-8")
        return any(late in batch.content for batch in watching.batches)

    assert poll(saved_and_seen, timeout=5, interval=0.3)


def test_reading_files_is_not_a_change(site: Config, watching: Recorder) -> None:
    first, second = site.content / "a.txt", site.content / "b.txt"
    first.write_text("text\n", encoding="utf-8")
    assert poll(lambda: len(watching.batches) == 1, timeout=5)
    # A build reads every article; watchdog reports those opens and closes too.
    for _ in range(3):
        assert first.read_text(encoding="utf-8") == "text\n"
    second.write_text("more\n", encoding="utf-8")
    assert poll(lambda: len(watching.batches) == 2, timeout=5)
    assert watching.batches[1].content == (second,)

"""Live reload and the error overlay, with a stand-in builder (no real build)."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest
from servekit import FakeBuilder, event_stream, get, poll, write_static_site

from newsforge.config import Config, replace
from newsforge.errors import NewsforgeError
from newsforge.server import (
    EVENTS_PATH,
    WORKER_PATH,
    Preview,
    inject,
    live_reload_snippet,
    start_preview,
)
from newsforge.watch import ChangeSet

MARKER = b'id="newsforge-live-reload"'


def test_pages_get_the_script_but_files_on_disk_do_not(preview: Preview) -> None:
    status, _, body = get(preview.url, "/en/news/a-story/")
    assert status == 200
    assert MARKER in body
    assert body.index(MARKER) < body.rindex(b"</body>")
    assert json.dumps(preview.state.epoch).encode() in body
    for page in preview.state.config.output.rglob("*.html"):
        assert MARKER not in page.read_bytes()
    # Not into other kinds of file, and a 404 page reloads too (the page may appear).
    assert MARKER not in get(preview.url, "/style.css")[2]
    status, headers, body = get(preview.url, "/not-yet/")
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert MARKER in body


def test_injection_goes_before_the_last_closing_body() -> None:
    page = b"<html><BODY><script>'</body>'</script><p>x</p></Body></html>"
    assert inject(page, b"<s/>") == (
        b"<html><BODY><script>'</body>'</script><p>x</p><s/></Body></html>")
    assert inject(b"<p>fragment", b"<s/>") == b"<p>fragment<s/>"


def test_the_event_stream_pushes_every_new_epoch(preview: Preview) -> None:
    before = preview.state.epoch
    answers: list[dict[str, object]] = []
    reader = threading.Thread(
        target=lambda: event_stream(preview.url, EVENTS_PATH, 2, into=answers))
    reader.start()
    assert poll(lambda: len(answers) == 1, timeout=10)  # the epoch now, at once
    assert answers[0] == {"epoch": before, "failed": False}
    preview.state.rebuild(ChangeSet(content=(preview.state.config.content / "a.txt",)))
    reader.join(timeout=10)
    assert len(answers) == 2, "the stream never sent the new epoch"
    assert answers[1]["epoch"] == preview.state.epoch != before
    assert answers[1]["failed"] is False


def test_twenty_streams_are_served_at_once_and_pages_still_load(preview: Preview) -> None:
    """No tab's stream may block another's, nor the pages themselves."""
    before = preview.state.epoch
    answers: list[list[dict[str, object]]] = []
    readers = [threading.Thread(
        target=lambda: answers.append(event_stream(preview.url, EVENTS_PATH, 2, timeout=20)))
        for _ in range(20)]
    for reader in readers:
        reader.start()
    assert poll(lambda: preview.state.streams == 20, timeout=10)
    assert get(preview.url, "/en/news/a-story/")[0] == 200
    preview.state.rebuild(ChangeSet(content=(preview.state.config.content / "a.txt",)))
    for reader in readers:
        reader.join(timeout=20)
    assert len(answers) == 20
    assert all([e["epoch"] for e in events] == [before, preview.state.epoch]
               for events in answers)


def test_the_shared_worker_script_holds_one_stream_for_all_tabs(preview: Preview) -> None:
    status, headers, body = get(preview.url, WORKER_PATH)
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    assert b"new EventSource(" + json.dumps(EVENTS_PATH).encode() in body
    assert b"onconnect" in body


def test_a_failed_rebuild_keeps_the_site_and_shows_the_error(
        preview: Preview, fake_builder: FakeBuilder) -> None:
    fake_builder.errors = ("content/a.txt:3: unknown date <b>31/31</b>",)
    preview.state.rebuild(ChangeSet(content=(preview.state.config.content / "a.txt",)))
    status, _, body = get(preview.url, "/en/news/a-story/")
    assert status == 200
    assert "Hội nghị in Hà Nội".encode() in body  # the last good page
    assert b'id="newsforge-error"' in body
    assert b"content/a.txt:3: unknown date &lt;b&gt;31/31&lt;/b&gt;" in body
    assert b"<b>31/31</b>" not in body
    assert event_stream(preview.url, EVENTS_PATH, 1)[0]["failed"] is True

    fake_builder.errors = ()
    preview.state.rebuild(ChangeSet(content=(preview.state.config.content / "a.txt",)))
    assert b'id="newsforge-error"' not in get(preview.url, "/")[2]
    assert len(fake_builder.calls) == 3  # first build and two rebuilds


def test_a_broken_config_file_is_shown_and_not_built(
        preview: Preview, fake_builder: FakeBuilder) -> None:
    config_file = preview.state.config.source_file
    assert config_file is not None
    config_file.write_text("title: T\nlanguages: [en]\nno_such_key: 1\n", encoding="utf-8")
    preview.state.rebuild(ChangeSet(config=True))
    body = get(preview.url, "/")[2]
    assert f"{config_file}:3: ".encode() in body
    assert b"no_such_key" in body
    assert len(fake_builder.calls) == 1  # only the first build ran


def test_a_config_change_is_picked_up_and_keeps_command_line_overrides(
        static_config: Config, fake_builder: FakeBuilder, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"  # as if given with --out
    write_static_site(elsewhere)
    running = start_preview(replace(static_config, output=elsewhere), port=0,
                            builder=fake_builder)
    try:
        config_file = static_config.source_file
        assert config_file is not None
        config_file.write_text(config_file.read_text(encoding="utf-8").replace(
            "title: T", "title: Renamed"), encoding="utf-8")
        running.state.rebuild(ChangeSet(config=True))
    finally:
        running.close()
    assert [(c.title, c.output) for c in fake_builder.calls] == [
        ("T", elsewhere), ("Renamed", elsewhere)]


def test_the_snippet_escapes_what_it_shows() -> None:
    snippet = live_reload_snippet('e"</script>', "x.txt:1: <script>alert(1)</script>")
    assert b"<script>alert(1)" not in snippet
    assert snippet.count(b"</script>") == 1


def test_a_busy_port_is_a_clear_error(static_config: Config, fake_builder: FakeBuilder) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(NewsforgeError, match=f"cannot listen on 127.0.0.1:{port}") as caught:
            start_preview(static_config, port=port, builder=fake_builder)
    assert "--port" in caught.value.hint
    assert fake_builder.calls == []  # nothing was built for a server that cannot run


def test_a_failed_first_build_still_serves_the_error(tmp_path: Path) -> None:
    site = tmp_path / "new-site"
    (site / "seeds").mkdir(parents=True)
    builder = FakeBuilder(errors=("seeds/a.md:2: front matter is not YAML",))
    running = start_preview(Config(root=site, content=site / "seeds", output=site / "build"),
                            port=0, builder=builder)
    try:
        status, _, body = get(running.url, "/")
        assert status == 404  # nothing was ever built
        assert b"seeds/a.md:2: front matter is not YAML" in body
        assert MARKER in body  # and the tab reloads once the author fixes it
    finally:
        running.close()

"""``serve --watch`` on a copy of the seed archive: real builds, real files, real HTTP."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from servekit import get, make_seed_site, phrase_and_page, poll

from newsforge.config import Config
from newsforge.server import Preview, start_preview

MARKER = "Zephyrine"  # a word no article contains; it appears once the edit is built


@pytest.fixture(scope="module")
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Config:
    return make_seed_site(tmp_path_factory.mktemp("e2e") / "site")


@pytest.fixture(scope="module")
def watching(shared_site: Config) -> Iterator[Preview]:
    """One watching server for the module: each test leaves the site building cleanly."""
    running = start_preview(shared_site, port=0, watch=True)
    try:
        yield running
    finally:
        running.close()


def test_an_edited_seed_is_served_within_two_seconds(
        shared_site: Config, watching: Preview) -> None:
    seed_site = shared_site
    seed, phrase, page = phrase_and_page(seed_site, watching)
    builds_before = watching.state.last_start[0]
    text = seed.read_text(encoding="utf-8")
    seed.write_text(text.replace(phrase, f"{phrase} {MARKER}", 1), encoding="utf-8")

    assert poll(lambda: watching.state.last_start[0] > builds_before, timeout=10), \
        "the edit did not start a rebuild"
    rebuild_started = watching.state.last_start[1]
    within = max(0.0, rebuild_started + 2.0 - time.monotonic())
    assert poll(lambda: MARKER in get(watching.url, "/" + page)[2].decode("utf-8"),
                timeout=within), "the page did not change within 2 s of the rebuild starting"
    # The reload script is served, never written.
    written = (seed_site.output / unquote(page)).read_text(encoding="utf-8")
    assert "newsforge-live-reload" not in written


def test_a_broken_template_shows_in_the_page_and_recovers(
        shared_site: Config, watching: Preview) -> None:
    seed_site = shared_site
    assert seed_site.templates is not None
    seed_site.templates.mkdir()
    broken = seed_site.templates / "base.html"
    home_before = (seed_site.output / "index.html").read_bytes()
    broken.write_text("<html><body>{% block content %}</body>\n", encoding="utf-8")

    def overlay() -> str:
        match = re.search(r'<div id="newsforge-error".*?</div>',
                          get(watching.url, "/")[2].decode("utf-8"), re.S)
        return match.group(0) if match else ""

    assert poll(lambda: bool(overlay()), timeout=30)
    assert "base.html" in overlay()
    assert (seed_site.output / "index.html").read_bytes() == home_before  # last good site

    broken.unlink()
    assert poll(lambda: not overlay(), timeout=30)


def test_the_command_serves_and_stops_cleanly_on_ctrl_c(seed_site: Config) -> None:
    # Started as from a terminal: a test run launched in the background of a script
    # inherits SIGINT ignored, and so would the server (Python then never raises
    # KeyboardInterrupt), which is not what a user's Ctrl-C meets.
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "newsforge", "serve", "--watch", "--port", "0",
             "--config", str(seed_site.source_file)],
            cwd=seed_site.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    finally:
        signal.signal(signal.SIGINT, inherited)
    try:
        assert process.stdout is not None
        url = ""
        for line in process.stdout:
            found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            if found:
                url = found.group(1)
                break
        assert url, "the server never said where it listens"
        status, headers, body = get(url, "/")
        assert status == 200
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert b"newsforge-live-reload" in body
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "stopped" in out

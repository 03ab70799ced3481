"""Helpers and fixtures for tests/serve/: imported by name from here, never from conftest
(two conftest modules would shadow each other on sys.path)."""

from __future__ import annotations

import html
import http.client
import json
import posixpath
import re
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

import pytest

from newsforge.config import Config, load_config
from newsforge.server import BuildOutcome, Preview, start_preview

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Every key spelled out: these tests are about serving, not about configuration defaults.
FULL_CONFIG = "title: T\nbase_url: /\nlanguages: [en, vi, sv]\nper_page: 20\noutput: build\n"
REPO = Path(__file__).resolve().parents[2]


@dataclass
class FakeBuilder:
    """Stands in for the real build: records calls, fails when told to."""

    errors: tuple[str, ...] = ()
    calls: list[Config] = field(default_factory=list)
    writes: dict[str, str] = field(default_factory=dict)
    """Output files (relative path -> text) a successful build writes."""

    def __call__(self, config: Config) -> BuildOutcome:
        self.calls.append(config)
        if not self.errors:
            for name, text in self.writes.items():
                (config.output / name).write_text(text, encoding="utf-8")
        return BuildOutcome(not self.errors, self.errors)


def write_static_site(output: Path) -> None:
    """A small output tree with one file of every kind the server must type correctly."""
    (output / "en" / "news" / "a-story").mkdir(parents=True)
    page = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>"
            "<link rel=\"stylesheet\" href=\"/style.css\"></head><body><h1>{t}</h1></body></html>")
    (output / "index.html").write_text(page.format(t="Home"), encoding="utf-8")
    (output / "en" / "news" / "a-story" / "index.html").write_text(
        page.format(t="Hội nghị in Hà Nội"), encoding="utf-8")
    (output / "style.css").write_text("body { color: #222; }\n", encoding="utf-8")
    (output / "app.js").write_text("window.x = 1;\n", encoding="utf-8")
    (output / "feed.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>t</title></feed>\n", encoding="utf-8")
    (output / "sitemap.xml").write_text(
        '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>\n',
        encoding="utf-8")
    (output / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    (output / "pixel.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(16))
    (output / "data.json").write_text('{"ok": true}\n', encoding="utf-8")
    (output / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")


@pytest.fixture
def static_config(tmp_path: Path) -> Config:
    """A site whose output folder is already filled; nothing outside it is public."""
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    write_static_site(site / "build")
    # A secret next to the output folder: every traversal test tries to reach it.
    (site / "secret.txt").write_text("TOP SECRET\n", encoding="utf-8")
    (site / "newsforge.yaml").write_text(FULL_CONFIG + "content: seeds\n", encoding="utf-8")
    return load_config(site / "newsforge.yaml")


@pytest.fixture
def fake_builder() -> FakeBuilder:
    return FakeBuilder()


@pytest.fixture
def preview(static_config: Config, fake_builder: FakeBuilder) -> Iterator[Preview]:
    """The preview server on a free port, serving the static output, not watching."""
    running = start_preview(static_config, port=0, builder=fake_builder, poll_seconds=2.0)
    try:
        yield running
    finally:
        running.close()


def address(preview: Preview) -> tuple[str, int]:
    host, _, port = preview.url.removeprefix("http://").split("/")[0].rpartition(":")
    return host, int(port)


def raw_get(preview: Preview, target: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send a request line byte for byte (no client-side normalisation) and parse the reply."""
    host, port = address(preview)
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def get(url: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """A plain GET through http.client (no redirects followed)."""
    host, _, port = url.removeprefix("http://").split("/")[0].rpartition(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def event_stream(url: str, path: str, events: int, timeout: float = 10.0,
                 into: list[dict[str, object]] | None = None) -> list[dict[str, object]]:
    """The first ``events`` server-sent events of the stream at ``path``, as JSON objects
    (appended to ``into`` as they arrive, when given)."""
    host, _, port = url.removeprefix("http://").split("/")[0].rpartition(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("content-type", "").startswith("text/event-stream")
        found: list[dict[str, object]] = [] if into is None else into
        while len(found) < events:
            line = response.fp.readline()
            if not line:
                break
            if line.startswith(b"data: "):
                found.append(dict(json.loads(line[6:])))
        return found
    finally:
        conn.close()


def poll(check: Callable[[], bool], timeout: float, interval: float = 0.02) -> bool:
    """True as soon as ``check()`` holds, False if it never did within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)


def make_seed_site(site: Path) -> Config:
    """A copy of the seed archive as a site of its own, with a config file."""
    shutil.copytree(REPO / "seeds", site / "content")
    (site / "newsforge.yaml").write_text(FULL_CONFIG + "content: content\n", encoding="utf-8")
    return load_config(site / "newsforge.yaml")


@pytest.fixture
def seed_site(tmp_path: Path) -> Config:
    return make_seed_site(tmp_path / "seedsite")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (scripts/test.sh installs it with apt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def crawl(output: Path) -> list[str]:
    """Every page reachable by links from ``index.html``, as paths relative to ``output``.

    Pages are found the way a reader finds them, so the tests do not restate the URL
    scheme; the order is the crawl's (breadth first from the home page).
    """
    seen = ["index.html"]
    queue = ["index.html"]
    while queue:
        current = queue.pop(0)
        parser = _Links()
        parser.feed((output / current).read_text(encoding="utf-8"))
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(current),
                                                       unquote(parts.path)))
            if target.endswith("/") or (output / target).is_dir():
                target = posixpath.join(target, "index.html")
            if (target.endswith(".html") and target not in seen
                    and not target.startswith("..") and (output / target).is_file()):
                seen.append(target)
                queue.append(target)
    return seen


def phrase_and_page(site: Config, preview: Preview) -> tuple[Path, str, str]:
    """A seed file, a run of plain words from its text, and the served page showing them.

    Found at run time by matching text, so the test does not restate the URL scheme.
    """
    # Paths come back percent-encoded: article slugs keep their headline's script.
    pages = {path: get(preview.url, "/" + path)[2].decode("utf-8")
             for path in map(quote, crawl(site.output))}
    for seed in sorted(site.content.iterdir()):
        for line in sorted(seed.read_text(encoding="utf-8").splitlines(), key=len, reverse=True):
            words = re.findall(r"[^\W\d_]{4,}", line)
            for start in range(0, max(0, len(words) - 5)):
                phrase = " ".join(words[start:start + 5])
                if phrase not in line:
                    continue
                shown = [path for path, text in pages.items()
                         if html.escape(phrase) in text]
                if len(shown) == 1:
                    return seed, phrase, shown[0]
    raise AssertionError("no seed text found on exactly one page")

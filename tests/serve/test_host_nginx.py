"""The seed build served by real nginx under a sub-path, crawled link by link.

nginx (Debian package ``nginx``, installed by ``scripts/install-tools.sh``) runs as the
ordinary user with its own configuration, pid file, logs and temp folders in the test's
temporary folder, on a free loopback port. The site is built with
``base_url: http://127.0.0.1:<port>/archive/`` and served with ``alias``, the way a site
shares a host with other things. The crawl follows what browsers, feed readers and search
engines follow (href/src in HTML, OpenGraph and JSON-LD URLs, url() in CSS, redirect pages,
sitemaps, feeds, robots.txt), so a link that only works at a domain root shows up as a
non-200 answer.
"""

from __future__ import annotations

import http.client
import json
import os
import posixpath
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from servekit import REPO

from newsforge.build import build_site
from newsforge.config import load_config

NGINX = Path("/usr/sbin/nginx")
MIME_TYPES = Path("/etc/nginx/mime.types")
SUB_PATH = "/archive/"
# Output files that no page links to, and why: bookkeeping of the atomic output swap
# (output.py), and the error page nginx answers with for a missing URL (checked below).
UNLINKED = {".newsforge-build", ".newsforge-manifest", "404.html"}
# Folders whose files a script fetches at run time (Pagefind's index, loaded by the search
# page) rather than a link: each of their files is requested directly instead.
FETCHED_BY_SCRIPT = ("pagefind/",)
# Articles' earlier addresses (<lang>/articles/<id>/): redirect pages only old links reach.
EARLIER_ADDRESS = re.compile(r"^[^/]+/articles/.+/index\.html$")
# What each kind of file must be served as (nginx's own mime.types decides).
CONTENT_TYPES = {
    ".html": ("text/html",),
    ".css": ("text/css",),
    ".js": ("application/javascript", "text/javascript"),
    ".xml": ("text/xml", "application/xml"),
    ".svg": ("image/svg+xml",),
    ".json": ("application/json",),
    ".wasm": ("application/wasm",),
}


def need_nginx() -> Path:
    """nginx's path; a missing nginx fails the test unless skipping is allowed."""
    if NGINX.exists() and MIME_TYPES.exists():
        return NGINX
    message = "nginx is missing: run `bash scripts/install-tools.sh` (scripts/test.sh does)"
    if os.environ.get("NEWSFORGE_ALLOW_SKIP"):
        pytest.skip(message)
    pytest.fail(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nginx_config(folder: Path, port: int, output: Path) -> str:
    """A whole nginx configuration that writes nothing outside ``folder``."""
    temp = {name: folder / name for name in ("client", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir()
    return f"""
daemon off;
master_process off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log {folder / "access.log"};
    client_body_temp_path {temp["client"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        location {SUB_PATH} {{
            alias {output}/;
            index index.html;
            error_page 404 {SUB_PATH}404.html;
        }}
    }}
}}
"""


@dataclass(frozen=True)
class Hosted:
    output: Path
    port: int

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str) -> tuple[int, str, bytes]:
        """Status, Content-Type and body of one GET (redirects are not followed)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.getheader("Content-Type", ""), response.read()
        finally:
            connection.close()


def wait_until_listening(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(400):
        if server.poll() is not None:
            raise AssertionError(f"nginx exited at start:\n{log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nginx never listened on {port}:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hosted]:
    nginx = need_nginx()
    folder = tmp_path_factory.mktemp("nginx-host")
    port = free_port()
    site = folder / "site"
    shutil.copytree(REPO / "seeds", site / "content")
    (site / "newsforge.yaml").write_text(
        f"title: Mekong News Archive\nbase_url: http://127.0.0.1:{port}{SUB_PATH}\n"
        "languages: [en, vi, sv]\ncontent: content\noutput: build\n", encoding="utf-8")
    config = load_config(site / "newsforge.yaml")
    assert build_site(config).ok
    conf = folder / "nginx.conf"
    conf.write_text(nginx_config(folder, port, config.output), encoding="utf-8")
    log = folder / "error.log"
    # -e: the error log before the configuration is read (else /var/log/nginx, not ours).
    server = subprocess.Popen([str(nginx), "-p", str(folder), "-c", str(conf), "-e", str(log)],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        wait_until_listening(port, server, log)
        yield Hosted(config.output, port)
    finally:
        server.send_signal(signal.SIGQUIT)  # graceful stop: finish the open requests
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class _References(HTMLParser):
    """Every URL an HTML page makes a browser, reader or crawler fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.styles: list[str] = []
        self.json_ld: list[str] = []
        self._inside = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("href", "src", "poster", "data", "action"):  # a form: the search page
            if values.get(name):
                self.urls.append(values[name])
        if values.get("srcset"):
            self.urls.extend(part.split()[0] for part in values["srcset"].split(",")
                             if part.strip())
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            target = re.search(r"url\s*=\s*['\"]?([^'\"\s]+)", values.get("content", ""), re.I)
            if target:
                self.urls.append(target.group(1))
        if tag == "meta" and values.get("content", "").startswith(("http://", "https://")):
            self.urls.append(values["content"])  # og:url, og:image, twitter:image ...
        if values.get("style"):
            self.styles.append(values["style"])
        json_ld = tag == "script" and values.get("type") == "application/ld+json"
        self._inside = "style" if tag == "style" else "json-ld" if json_ld else ""

    def handle_endtag(self, tag: str) -> None:
        self._inside = ""

    def handle_data(self, data: str) -> None:
        if self._inside == "style":
            self.styles.append(data)
        elif self._inside == "json-ld":
            self.json_ld.append(data)


def references(content_type: str, body: bytes) -> list[str]:
    """The URLs one served file refers to, as written in it."""
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("text/html"):
        parser = _References()
        parser.feed(text)
        return (parser.urls + [u for css in parser.styles for u in css_urls(css)]
                + [u for block in parser.json_ld for u in json_urls(json.loads(block))])
    if content_type.startswith("text/css"):
        return css_urls(text)
    if "xml" in content_type:
        return xml_urls(body)
    if content_type.startswith("text/plain"):  # robots.txt
        return re.findall(r"(?im)^\s*sitemap:\s*(\S+)", text)
    return []


def css_urls(css: str) -> list[str]:
    quoted = re.findall(r"url\(\s*['\"]?([^'\")]+?)['\"]?\s*\)", css)
    imports = re.findall(r"@import\s+['\"]([^'\"]+)['\"]", css)
    return [u for u in quoted + imports if not u.startswith(("data:", "#"))]


def json_urls(data: object) -> list[str]:
    """Every absolute http(s) URL among the string values of structured data."""
    if isinstance(data, str):
        return [data] if data.startswith(("http://", "https://")) else []
    if isinstance(data, dict):
        return [u for value in data.values() for u in json_urls(value)]
    if isinstance(data, list):
        return [u for value in data for u in json_urls(value)]
    return []


def xml_urls(body: bytes) -> list[str]:
    """Sitemap <loc>s, feed links and ids, and xhtml:link alternates."""
    found: list[str] = []
    for element in ElementTree.fromstring(body).iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in ("loc", "uri", "icon", "logo") and element.text:
            found.append(element.text.strip())
        elif name == "link" and element.get("href"):
            found.append(element.get("href", ""))
    return found


def crawl(hosted: Hosted, starts: list[str]) -> tuple[dict[str, tuple[int, str]], list[str]]:
    """Every URL of the site reachable from ``starts``: path -> (status, content type),
    plus every same-host URL that points outside the sub-path (a root-relative link)."""
    answers: dict[str, tuple[int, str]] = {}
    outside: list[str] = []
    queue = list(starts)
    while queue:
        path = queue.pop(0)
        if path in answers:
            continue
        status, content_type, body = hosted.get(path)
        answers[path] = (status, content_type)
        if status != 200:
            continue
        for reference in references(content_type, body):
            absolute = urljoin(hosted.origin + path, reference)
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(
                    hosted.origin).netloc:
                continue  # another site (an article's source), mailto:, data: ...
            if not parts.path.startswith(SUB_PATH):
                outside.append(f"{path} -> {reference}")
                continue
            # One spelling per URL, as it goes on the wire: a slug in its own script may be
            # written raw or percent-encoded in different files.
            target = quote(unquote(parts.path))
            if target not in answers:
                queue.append(target)
    return answers, outside


def served_file(path: str) -> str:
    """The output file nginx answers ``path`` with (a folder answers with its index.html)."""
    relative = unquote(path.removeprefix(SUB_PATH))
    if relative == "" or relative.endswith("/"):
        relative += "index.html"
    return posixpath.normpath(relative)


@dataclass(frozen=True)
class Crawl:
    answers: dict[str, tuple[int, str]]
    """URL path -> (status, Content-Type) of everything the links reach."""
    outside: list[str]
    """Same-host links that leave the sub-path ('page -> link')."""
    unlinked: set[str]
    """Output files no link reaches."""
    fetched: dict[str, tuple[int, str]]
    """URL path -> (status, Content-Type) of each unlinked file that a script loads."""


@pytest.fixture(scope="module")
def crawled(hosted: Hosted) -> Crawl:
    answers, outside = crawl(hosted, [SUB_PATH, f"{SUB_PATH}robots.txt"])
    built = {p.relative_to(hosted.output).as_posix()
             for p in hosted.output.rglob("*") if p.is_file()}
    reached = {served_file(path) for path in answers}
    assert reached <= built, sorted(reached - built)
    unlinked = built - reached
    fetched = {}
    for name in sorted(unlinked):
        if name.startswith(FETCHED_BY_SCRIPT):
            status, content_type, _ = hosted.get(SUB_PATH + quote(name))
            fetched[SUB_PATH + quote(name)] = (status, content_type)
    return Crawl(answers, outside, unlinked, fetched)


def test_every_file_is_reachable_under_the_sub_path(crawled: Crawl) -> None:
    failed = {path: status for path, (status, _) in (crawled.answers | crawled.fetched).items()
              if status != 200}
    assert failed == {}
    assert crawled.outside == []
    assert {n for n in crawled.unlinked if not n.startswith(FETCHED_BY_SCRIPT)
            and not EARLIER_ADDRESS.match(n)} == UNLINKED
    assert len(crawled.answers) > 150  # the whole seed site, not a crawl stopped at the home


def test_each_kind_of_file_is_served_with_its_content_type(hosted: Hosted,
                                                           crawled: Crawl) -> None:
    seen: set[str] = set()
    wrong: list[str] = []
    for path, (_, content_type) in (crawled.answers | crawled.fetched).items():
        suffix = posixpath.splitext(served_file(path))[1]
        expected = CONTENT_TYPES.get(suffix)
        if expected is None:
            continue
        seen.add(suffix)
        if content_type.split(";")[0].strip() not in expected:
            wrong.append(f"{path}: {content_type}")
    assert wrong == []
    present = {p.suffix for p in hosted.output.rglob("*") if p.suffix in CONTENT_TYPES}
    assert seen == present
    assert {".html", ".css", ".xml", ".svg"} <= seen


def test_a_missing_url_gets_the_404_page_whose_links_work(hosted: Hosted) -> None:
    status, content_type, body = hosted.get(f"{SUB_PATH}en/no-such-story/")

    assert status == 404
    assert content_type.startswith("text/html")
    assert body == (hosted.output / "404.html").read_bytes()
    # The 404 page is shown at any depth, so its links must not depend on where it is.
    parser = _References()
    parser.feed(body.decode("utf-8"))
    deep = f"{SUB_PATH}en/no/such/deep/page/"
    targets = {urlsplit(urljoin(hosted.origin + deep, u)).path for u in parser.urls
               if not u.startswith(("http", "#", "mailto:"))}
    assert targets
    assert all(t.startswith(SUB_PATH) for t in targets), sorted(targets)
    failed = {t: s for t in sorted(targets) if (s := hosted.get(t)[0]) != 200}
    assert failed == {}

"""What the preview server answers for each path: types, clean URLs, and no escape."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from servekit import FakeBuilder, get, raw_get

from newsforge.config import Config, replace
from newsforge.server import Preview, Resolution, content_type, resolve_request, start_preview

TRAVERSALS = [
    b"/../../etc/passwd",
    b"/../secret.txt",
    b"/en/../../secret.txt",
    b"/%2e%2e/secret.txt",
    b"/%2E%2E%2Fsecret.txt",
    b"/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    b"/..%2fsecret.txt",
    b"/%252e%252e%252fsecret.txt",           # double-encoded
    b"/%252e%252e/secret.txt",
    b"/..\\secret.txt",                       # backslashes
    b"/%5c..%5csecret.txt",
    b"/..%5csecret.txt",
    b"/index.html%00.png",                    # NUL bytes
    b"/%00",
    b"/../secret.txt\x00.html",              # a raw NUL in the request line
    b"/%c0%ae%c0%ae/secret.txt",              # overlong UTF-8 dots
    b"//etc/passwd",
    b"/./../secret.txt",
    b"http://x/../secret.txt",
    b"../secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=[t.decode("latin-1") for t in TRAVERSALS])
def test_nothing_outside_the_output_folder_is_served(preview: Preview, target: bytes) -> None:
    status, _, body = raw_get(preview, target)
    assert status in (400, 404), target
    assert b"TOP SECRET" not in body
    assert b"root:" not in body


def test_a_symlink_pointing_outside_is_not_followed(preview: Preview) -> None:
    output = preview.state.config.output
    os.symlink(preview.state.config.root / "secret.txt", output / "leak.txt")
    os.symlink(preview.state.config.root, output / "up")
    os.symlink(output / "style.css", output / "inside.css")
    for target in (b"/leak.txt", b"/up/secret.txt", b"/up/"):
        status, _, body = raw_get(preview, target)
        assert status == 404, target
        assert b"TOP SECRET" not in body
    assert raw_get(preview, b"/inside.css")[0] == 200


@pytest.mark.parametrize(("path", "kind"), [
    ("/", "text/html; charset=utf-8"),
    ("/index.html", "text/html; charset=utf-8"),
    ("/style.css", "text/css; charset=utf-8"),
    ("/app.js", "text/javascript; charset=utf-8"),
    ("/feed.xml", "application/atom+xml"),
    ("/sitemap.xml", "application/xml"),
    ("/logo.svg", "image/svg+xml"),
    ("/pixel.png", "image/png"),
    ("/data.json", "application/json"),
    ("/robots.txt", "text/plain; charset=utf-8"),
])
def test_content_types(preview: Preview, path: str, kind: str) -> None:
    status, headers, body = get(preview.url, path)
    assert status == 200
    assert headers["content-type"] == kind
    assert int(headers["content-length"]) == len(body)
    if not kind.startswith("text/html"):  # only pages are decorated
        on_disk = preview.state.config.output / path.lstrip("/")
        assert body == on_disk.read_bytes()


def test_clean_paths(preview: Preview) -> None:
    status, _, body = get(preview.url, "/en/news/a-story/")
    assert status == 200
    assert "Hội nghị in Hà Nội".encode() in body
    status, headers, _ = get(preview.url, "/en/news/a-story")
    assert status == 301
    assert headers["location"] == "/en/news/a-story/"
    status, headers, _ = get(preview.url, "/en/news?x=1")
    assert (status, headers["location"]) == (301, "/en/news/?x=1")
    # A folder without index.html is not listed.
    assert get(preview.url, "/en/news/")[0] == 404
    assert get(preview.url, "/missing.html")[0] == 404
    assert get(preview.url, "/index.html/")[0] == 404


def test_percent_encoded_names_are_decoded_once(preview: Preview) -> None:
    output = preview.state.config.output
    (output / "tô lâm").mkdir()
    (output / "tô lâm" / "index.html").write_text("<body>ok</body>", encoding="utf-8")
    (output / "%41.txt").write_text("literal percent", encoding="utf-8")
    assert get(preview.url, "/t%C3%B4%20l%C3%A2m/")[0] == 200
    assert get(preview.url, "/%2541.txt")[2] == b"literal percent"
    assert get(preview.url, "/A.txt")[0] == 404


def test_head_sends_headers_only(preview: Preview) -> None:
    import http.client

    host, _, port = preview.url.removeprefix("http://").rstrip("/").rpartition(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.request("HEAD", "/style.css")
    response = conn.getresponse()
    assert response.status == 200
    assert response.read() == b""
    assert response.getheader("content-type") == "text/css; charset=utf-8"
    conn.close()


def test_a_redirect_cannot_leave_the_site(tmp_path: Path) -> None:
    (tmp_path / "evil.example").mkdir()
    assert resolve_request(tmp_path, "/", "//evil.example").status == 404
    found = resolve_request(tmp_path, "/", "///evil.example")
    assert found == Resolution(301, location="/evil.example/")


def test_sites_under_a_sub_path(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "index.html").write_text("home")
    (tmp_path / "en" / "index.html").write_text("en")
    assert resolve_request(tmp_path, "/archive/", "/") == Resolution(301, location="/archive/")
    assert resolve_request(tmp_path, "/archive/", "/archive") == Resolution(
        301, location="/archive/")
    assert resolve_request(tmp_path, "/archive/", "/archive/").file == tmp_path / "index.html"
    assert resolve_request(tmp_path, "/archive/", "/archive/en/").file == (
        tmp_path / "en" / "index.html")
    assert resolve_request(tmp_path, "/archive/", "/en/").status == 404


def test_a_missing_output_folder_is_a_404(tmp_path: Path) -> None:
    assert resolve_request(tmp_path / "nothing", "/", "/").status == 404


def test_content_type_table() -> None:
    assert content_type(Path("a.HTML")) == "text/html; charset=utf-8"
    assert content_type(Path("feed.atom")) == "application/atom+xml"
    assert content_type(Path("a.woff2")) == "font/woff2"
    assert content_type(Path("blob")) == "application/octet-stream"


def test_the_sites_own_404_page_is_used(preview: Preview) -> None:
    (preview.state.config.output / "404.html").write_text(
        "<html><body><h1>Nothing here, sorry</h1></body></html>", encoding="utf-8")
    status, _, body = get(preview.url, "/nowhere/")
    assert status == 404
    assert b"Nothing here, sorry" in body
    assert b'id="newsforge-live-reload"' in body


def test_a_site_with_a_sub_path_is_previewed_under_it(
        static_config: Config, fake_builder: FakeBuilder) -> None:
    running = start_preview(replace(static_config, base_url="https://example.org/archive/"),
                            port=0, builder=fake_builder)
    try:
        assert running.url.endswith("/archive/")
        assert get(running.url, "/archive/en/news/a-story/")[0] == 200
        assert get(running.url, "/")[1]["location"] == "/archive/"
        assert get(running.url, "/en/news/a-story/")[0] == 404
    finally:
        running.close()

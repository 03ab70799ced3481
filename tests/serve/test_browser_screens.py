"""Screenshots of the seed site as the preview server serves it, in headless Chromium.

The site tests photograph the build opened from disk; this one goes through
``newsforge serve``: every stylesheet, script and image must arrive with a type the
browser accepts (the server sends ``nosniff``), the injected reload script must raise no
error, and each page must be styled (its body's computed style is not the browser
default) and render something (a screenshot well larger than one of a blank page).
The images go to the test's tmp folder and, when ``NEWSFORGE_SCREENSHOTS`` names a
folder, to its ``served/`` subfolder too, for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from servekit import crawl, make_seed_site

from newsforge.server import Preview, start_preview

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 900}
# The kinds of page to photograph, by their place in the URL scheme of newsforge.urls.
KINDS = {
    "home": re.compile(r"^(?:[a-z]{2,3}(?:-[A-Za-z0-9]+)*/)?index\.html$"),
    "article": re.compile(r"^[^/]+/(\d{4}/\d\d/\d\d|undated)/[^/]+/index\.html$"),
    "entity": re.compile(r"^entities/[^/]+/[^/]+/index\.html$"),
    "month": re.compile(r"^(?:[^/]+/)?archive/\d{4}/\d{2}/index\.html$"),
}
BODY_STYLE = ("() => { const s = getComputedStyle(document.body);"
              " return [s.fontFamily, s.margin, s.backgroundColor, s.color, s.lineHeight]; }")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """The seed site built by the preview server (the real build) and served by it."""
    config = make_seed_site(tmp_path_factory.mktemp("screens") / "site")
    running = start_preview(config, port=0)
    try:
        assert running.state.error is None, running.state.error
        yield running
    finally:
        running.close()


def language_of(page_file: Path) -> str:
    match = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", page_file.read_text(encoding="utf-8"))
    assert match, f"{page_file} has no <html lang>"
    return match.group(1)


def chosen_pages(output: Path) -> list[tuple[str, str, str]]:
    """(kind, language, path) for up to two languages of each kind, in crawl order."""
    chosen: list[tuple[str, str, str]] = []
    for path in crawl(output):
        for kind, pattern in KINDS.items():
            if not pattern.match(path):
                continue
            language = language_of(output / path)
            taken = [c for c in chosen if c[0] == kind]
            if len(taken) < 2 and all(c[1] != language for c in taken):
                chosen.append((kind, language, path))
    return chosen


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()


def test_screenshots_of_the_served_seed_site(
        served: Preview, page: Page, tmp_path: Path) -> None:
    output = served.state.config.output
    pages = chosen_pages(output)
    kinds = {kind for kind, _, _ in pages}
    assert kinds == set(KINDS), f"pages found: {pages}"
    assert len({language for kind, language, _ in pages if kind in ("home", "article")}) >= 2

    page.set_content("<!doctype html><html><body></body></html>")
    default_style = page.evaluate(BODY_STYLE)
    blank = page.screenshot()

    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    # Failed loads are judged by the response check below, which lets the favicon
    # (that the site does not have and the browser asks for anyway) go.
    page.on("console", lambda m: problems.append(m.text) if m.type == "error"
            and not m.text.startswith("Failed to load resource") else None)
    # Leaving a page cancels its pending live-reload requests; that is not a failure.
    page.on("requestfailed", lambda r: problems.append(f"failed to load {r.url}")
            if "/__newsforge/" not in r.url else None)
    page.on("response", lambda r: problems.append(f"{r.status} for {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    shots = tmp_path / "screens"
    shots.mkdir()
    for kind, language, path in pages:
        page.goto(served.url + path)
        assert page.evaluate("document.documentElement.lang") == language
        style = page.evaluate(BODY_STYLE)
        assert sum(a != b for a, b in zip(style, default_style, strict=True)) >= 2, (
            f"{path} looks unstyled: {style}")
        assert page.evaluate("document.styleSheets.length") >= 1, path
        image = page.screenshot(full_page=True)
        assert len(image) > 5 * len(blank), f"{path} renders next to nothing"
        (shots / f"{kind}-{language}.png").write_bytes(image)
        assert problems == [], f"{path}: {problems}"

    keep = os.environ.get("NEWSFORGE_SCREENSHOTS")
    if keep:
        target = Path(keep) / "served"
        target.mkdir(parents=True, exist_ok=True)
        for shot in sorted(shots.iterdir()):
            shutil.copy(shot, target / shot.name)

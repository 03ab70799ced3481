"""A real browser tab reloads itself after a rebuild and shows a failed one (stand-in builder)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from servekit import FakeBuilder, phrase_and_page

from newsforge.config import Config
from newsforge.server import Preview, start_preview
from newsforge.watch import ChangeSet

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

STORY = "en/news/a-story/index.html"


def test_an_open_tab_reloads_after_a_rebuild(
        browser: Browser, preview: Preview, fake_builder: FakeBuilder) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(preview.url + "en/news/a-story/")
    assert page.inner_text("h1") == "Hội nghị in Hà Nội"
    page.evaluate("window.__beforeReload = true")

    fake_builder.writes[STORY] = "<!doctype html><html><body><h1>Rewritten</h1></body></html>"
    with page.expect_event("load", timeout=10_000):
        preview.state.rebuild(ChangeSet(content=(preview.state.config.content / "a.txt",)))
    assert page.evaluate("window.__beforeReload") is None
    assert page.inner_text("h1") == "Rewritten"
    assert errors == []
    page.close()


def test_a_failed_rebuild_appears_in_the_open_tab(
        browser: Browser, preview: Preview, fake_builder: FakeBuilder) -> None:
    page = browser.new_page()
    page.goto(preview.url)
    assert page.locator("#newsforge-error").count() == 0

    fake_builder.errors = ("content/a.txt:7: the date '31 Smarch' is not a date",)
    with page.expect_event("load", timeout=10_000):
        preview.state.rebuild(ChangeSet(content=(preview.state.config.content / "a.txt",)))
    overlay = page.locator("#newsforge-error")
    assert overlay.is_visible()
    assert "content/a.txt:7: the date '31 Smarch' is not a date" in overlay.inner_text()
    assert page.inner_text("h1") == "Home"  # the last good page, underneath

    fake_builder.errors = ()
    with page.expect_event("load", timeout=10_000):
        preview.state.rebuild(ChangeSet(content=(preview.state.config.content / "a.txt",)))
    assert page.locator("#newsforge-error").count() == 0
    page.close()


def test_editing_a_seed_reloads_the_open_article(browser: Browser, seed_site: Config) -> None:
    running = start_preview(seed_site, port=0, watch=True)
    try:
        seed, phrase, path = phrase_and_page(seed_site, running)
        page = browser.new_page()
        page.goto(running.url + path)
        assert phrase in page.inner_text("body")
        page.evaluate("window.__beforeReload = true")
        with page.expect_event("load", timeout=30_000):  # a real build, maybe on a busy CI
            seed.write_text(seed.read_text(encoding="utf-8").replace(
                phrase, f"{phrase} Quillterra", 1), encoding="utf-8")
        assert page.evaluate("window.__beforeReload") is None
        assert f"{phrase} Quillterra" in page.inner_text("body")
        page.close()
    finally:
        running.close()


def test_twenty_open_tabs_all_reload_after_one_rebuild(
        browser: Browser, preview: Preview, fake_builder: FakeBuilder) -> None:
    """Tabs share one event stream through a shared worker, so the browser's handful of
    connections per host is never used up by waiting tabs."""
    context = browser.new_context()
    tabs = [context.new_page() for _ in range(20)]
    for tab in tabs:
        tab.goto(preview.url + "en/news/a-story/")
        tab.evaluate("window.__beforeReload = true")
    assert preview.state.streams == 1

    fake_builder.writes[STORY] = "<!doctype html><html><body><h1>Rewritten</h1></body></html>"
    preview.state.rebuild(ChangeSet(content=(preview.state.config.content / "a.txt",)))
    for tab in tabs:
        tab.wait_for_function("document.querySelector('h1').textContent === 'Rewritten'",
                              timeout=10_000)
        assert tab.evaluate("window.__beforeReload") is None
    context.close()

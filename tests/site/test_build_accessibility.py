"""Accessibility of the seed build in headless Chromium: axe-core finds no violation on
every kind of page (light and dark colour schemes), the keyboard reaches a skip link
first, focus is visible, and the print style prints the text, not the navigation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from webcheck import (
    DESKTOP,
    PHONE,
    SeedBuild,
    axe_violations,
    chromium,
    describe_violations,
    seed_build,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser
__all__ = ["chromium", "seed_build"]  # fixtures, used by name

# Page kinds of newsforge.render's jobs, with how many languages of each to check.
KINDS = {"home": 1, "listing": 2, "article": 3, "entity": 2, "entity_index": 1, "archive": 1,
         "year": 2, "month": 1, "day": 2, "undated": 1, "not_found": 1, "search": 3}
# Not "redirect": its meta refresh navigates away while axe runs (the W3C validator still
# checks it, with every other page).


def checked_pages(seeds: SeedBuild) -> list[str]:
    pages = [path for kind, languages in KINDS.items()
             for path in seeds.sample(kind, languages)]
    for kind in ("home", "article", "entity", "year", "month", "day"):
        assert seeds.pages(kind), f"the seed build has no {kind} page"
    # The search page, wherever the site puts it, once search exists.
    pages.extend(sorted(p.relative_to(seeds.output).as_posix()
                        for p in seeds.output.glob("*/search/index.html")
                        if p.relative_to(seeds.output).as_posix() not in pages))
    return pages


@pytest.fixture
def page(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    scheme = getattr(request, "param", "light")
    context = chromium.new_context(viewport=DESKTOP, color_scheme=scheme)  # type: ignore[arg-type]
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield opened
    finally:
        context.close()
    assert not errors, f"script errors on the page: {errors}"


def test_no_axe_violations_on_any_kind_of_page(seed_build: SeedBuild, page: Page) -> None:
    found: dict[str, Any] = {}
    for path in checked_pages(seed_build):
        page.goto(seed_build.address(path))
        if violations := axe_violations(page):
            found[path] = violations
    assert not found, "axe-core violations:\n" + "\n".join(
        f"{path}:\n{describe_violations(v)}" for path, v in found.items())


@pytest.mark.parametrize("page", ["dark"], indirect=True)
def test_dark_mode_has_enough_contrast(seed_build: SeedBuild, page: Page) -> None:
    found: dict[str, Any] = {}
    for path in checked_pages(seed_build):
        page.goto(seed_build.address(path))
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background.startswith("rgb(") and sum(map(int, background[4:-1].split(","))) < 200, (
            f"{path} is not dark in dark mode: {background}")
        if violations := axe_violations(page, ["color-contrast", "link-in-text-block"]):
            found[path] = violations
    assert not found, "contrast problems in dark mode:\n" + "\n".join(
        f"{path}:\n{describe_violations(v)}" for path, v in found.items())


FOCUSED = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  const box = e.getBoundingClientRect();
  return {tag: e.tagName, cls: e.className, id: e.id, href: e.getAttribute('href'),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
          shadow: s.boxShadow !== 'none',
          visible: box.width > 0 && box.height > 0 && box.top >= 0
                   && box.left >= 0 && box.right <= innerWidth && box.bottom <= innerHeight}; }"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_keyboard_reaches_a_skip_link_first_and_focus_is_visible(
        seed_build: SeedBuild, chromium: Browser, viewport: dict[str, int]) -> None:
    context = chromium.new_context(viewport=viewport)  # type: ignore[arg-type]
    page = context.new_page()
    try:
        for path in (seed_build.sample("home", 1)[0], seed_build.sample("article", 1)[0]):
            page.goto(seed_build.address(path))
            page.keyboard.press("Tab")
            skip = page.evaluate(FOCUSED)
            assert skip["tag"] == "A" and skip["href"] == "#main", (path, skip)
            assert skip["visible"], f"{path}: the focused skip link is off screen: {skip}"
            assert skip["outline"] or skip["shadow"], f"{path}: no focus indicator: {skip}"
            page.keyboard.press("Enter")
            assert page.evaluate(FOCUSED)["id"] == "main", f"{path}: focus did not move to main"
            page.keyboard.press("Tab")
            after = page.evaluate(FOCUSED)
            assert after["tag"] == "A", f"{path}: Tab after the skip link left the content"
            main_holds = page.evaluate("document.querySelector('main').contains("
                                       "document.activeElement)")
            assert main_holds, f"{path}: the next Tab did not land inside main: {after}"
            assert after["outline"] or after["shadow"], f"{path}: no focus indicator: {after}"
    finally:
        context.close()


LINK_OUT = re.compile(r'<main.*<a [^>]*href="https?://', re.DOTALL)
PRINTED = """() => {
  const shown = sel => [...document.querySelectorAll(sel)]
    .filter(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0).length;
  const link = document.querySelector('main a[href^="http"]');
  const body = getComputedStyle(document.body);
  return {nav: shown('nav, .skip, search, [role=search]'), main: shown('main'),
          color: body.color, background: body.backgroundColor,
          after: link ? getComputedStyle(link, '::after').content : null,
          href: link ? link.href : null}; }"""


@pytest.mark.parametrize("page", ["light", "dark"], indirect=True)
def test_print_style_prints_black_text_without_navigation(seed_build: SeedBuild,
                                                          page: Page) -> None:
    page.emulate_media(media="print")
    # An article that links out of the site (its source), whose address paper must show.
    path = next(p for p in seed_build.pages("article")
                if LINK_OUT.search((seed_build.output / p).read_text(encoding="utf-8")))
    page.goto(seed_build.address(path))
    printed = page.evaluate(PRINTED)
    assert printed["nav"] == 0, f"navigation is printed: {printed}"
    assert printed["main"] == 1
    assert printed["color"] == "rgb(0, 0, 0)" and printed["background"] in (
        "rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), printed
    assert printed["href"], "the seed article has no outside link to print"
    assert printed["href"] in printed["after"], f"a link's address is not printed: {printed}"

"""Screenshots of the seed site in headless Chromium, opened straight from disk.

The pictures land in $NEWSFORGE_SCREENSHOTS (default: the test's temporary folder) so a
person can look at them; the test checks that each page loaded its stylesheet, has the
right language and is laid out (the masthead and main column have real sizes).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitekit import REPO

from newsforge.build import analyse, build_site
from newsforge.config import default_config, replace

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (scripts/test.sh installs it with apt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            yield browser.new_page(viewport={"width": 1280, "height": 900})
        finally:
            browser.close()


def test_screenshots_of_the_seed_site(page: object, tmp_path: Path) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    config = replace(default_config(REPO), title="Mekong News Archive",
                     output=tmp_path / "build", templates=tmp_path / "t", static=tmp_path / "s")
    assert build_site(config).ok
    site = analyse(config).site
    out = Path(os.environ.get("NEWSFORGE_SCREENSHOTS", tmp_path / "shots"))
    out.mkdir(parents=True, exist_ok=True)
    by_language = {a.language: a.id for a in site.articles}
    busiest = max(site.entities, key=lambda e: (len(site.articles_of_entity[e.id]), e.id),
                  default=None)
    month = next(iter(site.dates.years[max(site.dates.years)]))
    pages = {
        "home-en": ("index.html", "en"),
        "listing-vi": ("vi/index.html", "vi"),
        "article-en": (site.article_folder(by_language["en"]) + "index.html", "en"),
        "article-vi": (site.article_folder(by_language["vi"]) + "index.html", "vi"),
        "article-sv": (site.article_folder(by_language["sv"]) + "index.html", "sv"),
        "month": (f"archive/{max(site.dates.years)}/{month:02d}/index.html", "en"),
        "month-sv": (f"sv/archive/{max(site.dates.years)}/{month:02d}/index.html", "sv"),
        "people-sv": ("sv/entities/people/index.html", "sv"),
    }
    if busiest is not None:
        pages["entity"] = (site.entity_folder(busiest.id) + "index.html", "en")
        pages["entity-vi"] = (site.entity_folder(busiest.id, "vi") + "index.html", "vi")
    for name, (path, lang) in pages.items():
        page.goto((config.output / path).as_uri())
        assert page.evaluate("document.documentElement.lang") == lang, name
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), name
        main = page.locator("main").bounding_box()
        brand = page.locator(".brand").bounding_box()
        assert main and brand and main["height"] > 200 and brand["width"] > 100, name
        page.screenshot(path=str(out / f"{name}.png"), full_page=True)
        assert (out / f"{name}.png").stat().st_size > 20_000, name
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto((config.output / pages["article-vi"][0]).as_uri())
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the article page scrolls sideways on a phone"
    page.screenshot(path=str(out / "article-vi-phone.png"), full_page=True)

"""Screenshots of the seed site in headless Chromium, for a person to look at.

Home, article, entity and search pages (and a few more), in light and dark colour
schemes, on a phone (390x844) and a desktop (1280x900). The pictures go to the test's
temporary folder and, when ``NEWSFORGE_SCREENSHOTS`` names a folder, are copied there.
Each page must have its language, be styled in the scheme asked for, be laid out (the
masthead and main column have real sizes) and never scroll sideways.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from webcheck import DESKTOP, PHONE, SeedBuild, chromium, seed_build

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser
__all__ = ["chromium", "seed_build"]  # fixtures, used by name

# Page kinds of newsforge.render's jobs -> how many languages of each to photograph.
KINDS = {"home": 1, "listing": 1, "article": 3, "entity": 2, "month": 1, "entity_index": 1}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
LAYOUT = """() => { const box = s => { const e = document.querySelector(s);
    return e ? e.getBoundingClientRect().toJSON() : null; };
  return {lang: document.documentElement.lang, main: box('main'), brand: box('.brand'),
          background: getComputedStyle(document.body).backgroundColor,
          scrollWidth: document.documentElement.scrollWidth}; }"""


def photographed(seeds: SeedBuild) -> dict[str, str]:
    """Picture name -> page path: the first pages of each kind, and every search page."""
    chosen = {f"{kind}-{seeds.language_of(path)}": path
              for kind, languages in KINDS.items() for path in seeds.sample(kind, languages)}
    for path in seeds.pages("search"):
        chosen[f"search-{seeds.language_of(path)}"] = path
    return chosen


def is_dark(css_color: str) -> bool:
    channels = [int(c) for c in css_color.split("(")[1].rstrip(")").split(",")[:3]]
    return sum(channels) < 3 * 96


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_seed_site(seed_build: SeedBuild, chromium: Browser, scheme: str,
                                      tmp_path: Path) -> None:
    pages = photographed(seed_build)
    for kind in ("home", "article", "entity"):
        assert any(name.startswith(kind + "-") for name in pages), f"no {kind} page"
    shots = tmp_path / "shots"
    shots.mkdir()
    for device, viewport in VIEWPORTS.items():
        context = chromium.new_context(viewport=viewport,  # type: ignore[arg-type]
                                       color_scheme=scheme)  # type: ignore[arg-type]
        page = context.new_page()
        try:
            for name, path in pages.items():
                page.goto(seed_build.address(path))
                seen = page.evaluate(LAYOUT)
                where = f"{name} ({device}, {scheme})"
                assert seen["lang"] == seed_build.language_of(path), where
                assert is_dark(seen["background"]) == (scheme == "dark"), (where, seen)
                assert seen["main"]["height"] > 200 and seen["brand"]["width"] > 100, where
                assert seen["scrollWidth"] <= viewport["width"], f"{where} scrolls sideways"
                picture = shots / f"{name}-{device}-{scheme}.png"
                page.screenshot(path=str(picture), full_page=True)
                assert picture.stat().st_size > 20_000, f"{where} looks blank"
        finally:
            context.close()
    if target := os.environ.get("NEWSFORGE_SCREENSHOTS"):
        Path(target).mkdir(parents=True, exist_ok=True)
        for picture in shots.iterdir():
            shutil.copy2(picture, Path(target) / picture.name)

"""Full-text search: Pagefind's index of the seed build, one per language, stable bytes, and
the search box in headless Chromium finding names in any spelling, served at the root and
under a sub-path and opened from disk (file://)."""

from __future__ import annotations

import functools
import gzip
import json
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

import cbor2
import pytest
import webcheck
from sitekit import REPO, tree_digest
from webcheck import SeedBuild, _QuietHandler

from newsforge.build import build_site
from newsforge.cli import main
from newsforge.config import Config, default_config, replace

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser
# The served seed build and the browser, shared with the other browser tests.
seed_build = webcheck.seed_build
chromium = webcheck.chromium


def _config(folder: Path, **changes: object) -> Config:
    return replace(default_config(REPO), title="Mekong News Archive", output=folder / "build",
                   templates=folder / "t", static=folder / "s", **changes)


@pytest.fixture(scope="module")
def under_a_sub_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seed build published under /archive/ of a static server: its address."""
    www = tmp_path_factory.mktemp("www")
    config = _config(www, base_url="/archive/")
    config = replace(config, output=www / "archive")
    assert build_site(config).ok
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_QuietHandler, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/archive/"
    finally:
        server.shutdown()
        server.server_close()


# The four names the issue asks for, each from a page of its language, and the page it leads to.
QUERIES = [
    ("", "To Lam", "entities/people/to-lam/"),
    ("vi/", "Tô Lâm", "vi/entities/people/to-lam/"),
    ("", "LPRP", "entities/parties/lao-peoples-revolutionary-party/"),
    ("sv/", "kommunistiska", "sv/entities/parties/communist-party-of-vietnam/"),
]


def _result_links(page: Page) -> list[str]:
    return [a.get_attribute("href") or "" for a in page.query_selector_all(
        ".search-results h2 a")]


def _search(browser: Browser, start: str, query: str) -> tuple[list[str], str]:
    """Type ``query`` into the header's search box of page ``start``; the result links."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(start)
        page.fill("#site-search-q", query)
        page.press("#site-search-q", "Enter")
        page.wait_for_selector(".search-results li", timeout=15_000)
        links = _result_links(page)
        assert errors == []
        return links, page.url
    finally:
        page.close()


@pytest.mark.parametrize(("start", "query", "first"), QUERIES)
def test_the_search_box_finds_names_in_any_spelling(
        seed_build: SeedBuild, under_a_sub_path: str, chromium: Browser,
        start: str, query: str, first: str) -> None:
    for site in (seed_build.url, under_a_sub_path):
        links, address = _search(chromium, site + start, query)
        assert address.startswith(site) and "/search/index.html?q=" in address
        path = urlsplit(site).path
        assert links[0] == path + first, (site, links)
        assert all(link.startswith(path) for link in links)


def test_articles_are_found_by_their_words_with_a_filter(
        seed_build: SeedBuild, chromium: Browser) -> None:
    page = chromium.new_page()
    try:
        page.goto(seed_build.url + "search/index.html?q=Vientiane&kind=Article")
        page.wait_for_selector(".search-results li", timeout=15_000)
        links = _result_links(page)
        article = re.compile(r"/[a-z]{2}/(\d{4}/\d\d/\d\d|undated)/[^/]+/")
        assert links and all(article.search(unquote(link)) for link in links), links
        kinds = page.eval_on_selector_all("select[name=kind] option", "o => o.map(x => x.value)")
        assert {"Article", "Person", "Party", "Event"} <= set(kinds)
    finally:
        page.close()


@pytest.mark.parametrize(("start", "query", "first"),
                         [(start + "index.html", query, first + "index.html")
                          for start, query, first in QUERIES])
def test_opened_from_disk_the_search_box_finds_names_too(
        seed_build: SeedBuild, chromium: Browser, start: str, query: str, first: str) -> None:
    links, address = _search(chromium, (seed_build.output / start).as_uri(), query)
    opened = urljoin(address, links[0])
    assert opened == (seed_build.output / first).as_uri()
    page = chromium.new_page()
    try:  # the first result opens the page itself, not a folder listing
        page.goto(opened)
        assert page.url == opened and page.locator("h1").count() == 1
    finally:
        page.close()


def test_one_index_per_language_with_the_four_filters(seed_build: SeedBuild) -> None:
    """The main bundle and one per year of articles, each with an index per language;
    together they hold the four filters and every page."""
    main = seed_build.output / "pagefind"
    shards = sorted((main / "shards").iterdir())
    assert [s.name for s in shards] == sorted({p.parts[-5] for p in seed_build.output.glob(
        "[a-z][a-z]/[0-9][0-9][0-9][0-9]/*/*/*/index.html")})
    filters: dict[str, set[str]] = {}
    pages: dict[str, int] = {}
    for bundle in (main, *shards):
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
        for language, about in entry["languages"].items():
            meta = cbor2.loads(gzip.decompress(
                (bundle / f"pagefind.{about['hash']}.pf_meta").read_bytes())[12:])
            filters.setdefault(language, set()).update(name for name, _ in meta[3])
            pages[language] = pages.get(language, 0) + about["page_count"]
    assert sorted(filters) == ["en", "sv", "vi"]
    for language, names in filters.items():
        assert sorted(names) == ["kind", "language", "source", "year"], language
        assert pages[language] > 20, language
    assert json.loads((main / "pagefind-entry.json").read_text("utf-8"))["languages"]


def test_tool_pages_are_not_indexed_nor_listed(seed_build: SeedBuild) -> None:
    out = seed_build.output
    search = (out / "sv/search/index.html").read_text("utf-8")
    assert '<meta name="robots" content="noindex">' in search
    assert "data-pagefind-body" not in search
    assert ' aria-current="page">Artiklar' not in search  # no section of the menu is current
    sitemaps = "".join(p.read_text("utf-8") for p in out.glob("sitemap*.xml"))
    assert "/search/" not in sitemaps
    assert "data-pagefind-body" in (out / "entities/people/to-lam/index.html").read_text(
        "utf-8")


def test_same_pages_same_index_and_an_unchanged_site_is_not_indexed_again(
        tmp_path: Path) -> None:
    first, second = _config(tmp_path / "a"), _config(tmp_path / "b")
    assert build_site(first).ok
    entry = first.output / "pagefind" / "pagefind-entry.json"
    before = entry.stat().st_mtime_ns
    again = build_site(first)
    assert again.unchanged and entry.stat().st_mtime_ns == before
    assert build_site(second).ok
    one = {k: v for k, v in tree_digest(first.output).items() if k.startswith("pagefind/")}
    two = {k: v for k, v in tree_digest(second.output).items() if k.startswith("pagefind/")}
    assert one == two and len(one) > 20


def test_no_search_builds_without_index_box_or_page(tmp_path: Path) -> None:
    config = _config(tmp_path, search=False)
    assert build_site(config).ok
    assert not (config.output / "pagefind").exists()
    assert not list(config.output.rglob("search/index.html"))
    assert 'role="search"' not in (config.output / "index.html").read_text("utf-8")


def test_without_pagefind_the_build_says_so_without_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    (site / "seeds").mkdir(parents=True)
    (site / "seeds" / "a.md").write_text(
        "---\ntitle: One\ndate: 2025-01-02\nlang: en\n---\nA paragraph.\n", "utf-8")
    monkeypatch.setitem(sys.modules, "pagefind_bin_extended", None)  # as if not installed
    monkeypatch.chdir(site)
    assert main(["build"]) == 1
    said = capsys.readouterr()
    assert "Pagefind" in said.err and "--no-search" in said.err
    assert "Traceback" not in said.err + said.out
    assert not (site / "build").exists()
    assert main(["build", "--no-search"]) == 0
    assert (site / "build" / "index.html").is_file()


def test_a_rebuild_indexes_again_only_the_bundles_whose_pages_changed(
        tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(REPO / "seeds", content)
    old = content / "old.md"
    old.write_text("---\ntitle: Ferry to Pakse resumes\ndate: 2009-06-01\nlanguage: en\n"
                   "---\n\nThe ferry to Pakse runs again, the operator said.\n", "utf-8")
    config = replace(_config(tmp_path), content=content)
    assert build_site(config).ok
    changed = config.output / "pagefind" / "shards" / "2009" / "pagefind-entry.json"
    before = {p: p.stat().st_ino for p in (config.output / "pagefind").glob("shards/*/*.json")}
    assert changed in before and len(before) > 1
    old.write_text(old.read_text("utf-8").replace("runs again", "sails again"), "utf-8")
    assert build_site(config).ok
    after = {p: p.stat().st_ino for p in (config.output / "pagefind").glob("shards/*/*.json")}
    assert after.keys() == before.keys() and after[changed] != before[changed]
    # The other years' bundles are the same files, linked from the last output.
    assert {p: i for p, i in after.items() if p != changed} == \
        {p: i for p, i in before.items() if p != changed}
    assert build_site(replace(config, output=tmp_path / "cold"), use_cache=False).ok
    assert tree_digest(config.output) == tree_digest(tmp_path / "cold")


def _indexed(bundle: Path) -> int:
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    return sum(about["page_count"] for about in entry["languages"].values())


def test_a_theme_without_marks_has_every_page_indexed(tmp_path: Path) -> None:
    """Pagefind indexes every page when none marks its content; so does the build."""
    marked = _config(tmp_path / "marked")
    assert build_site(marked).ok
    plain = _config(tmp_path / "plain")
    plain.templates.mkdir(parents=True)  # type: ignore[union-attr]
    for name in ("article.html", "entity.html"):
        source = (REPO / "templates" / name).read_text("utf-8")
        (plain.templates / name).write_text(  # type: ignore[operator]
            source.replace(" data-pagefind-body", ""), "utf-8")
    assert build_site(plain).ok
    assert "data-pagefind-body" not in "".join(
        p.read_text("utf-8") for p in plain.output.rglob("*.html"))
    # Home, listings, archive pages and entity indexes join the entity pages.
    assert _indexed(plain.output / "pagefind") > _indexed(marked.output / "pagefind") + 30

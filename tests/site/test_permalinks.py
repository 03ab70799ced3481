"""Article permalinks: /<lang>/<yyyy>/<mm>/<dd>/<slug>/ from the article's own date and
headline, stable when articles are added; the earlier /<lang>/articles/<id>/ redirects."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sitekit import article, redirected

from newsforge.config import default_config, load_config, replace
from newsforge.errors import ConfigError
from newsforge.model import Tagging
from newsforge.render import render_pages
from newsforge.site import Site, assemble
from newsforge.theme import load_theme

CONFIG = default_config(Path("/tmp/permalinks-under-test"))
DAY = dt.date(2025, 12, 2)
TAG = r"[0-9a-f]{6}"


def _site(*articles: object, slugs: str = "unicode") -> Site:
    return assemble(list(articles), Tagging((), ()), replace(CONFIG, slugs=slugs))  # type: ignore[arg-type]


def test_dated_and_undated_articles_get_date_and_headline_urls() -> None:
    site = _site(article("news/visit", "en", "PM visits Laos", day=DAY),
                 article("old", "en", "No date here"))
    assert re.fullmatch(rf"en/2025/12/02/pm-visits-laos-{TAG}/",
                        site.article_folder("news/visit"))
    assert re.fullmatch(rf"en/undated/no-date-here-{TAG}/", site.article_folder("old"))


@pytest.mark.parametrize(("language", "title", "words"), [
    ("vi", "Tô Lâm thăm chính thức Lào", "tô-lâm-thăm-chính-thức-lào"),
    ("th", "นายกรัฐมนตรี เยือนลาว", "นายกรัฐมนตรี-เยือนลาว"),
    ("zh", "越南与老挝 合作", "越南与老挝-合作"),
])
def test_slugs_keep_the_headlines_own_script(language: str, title: str, words: str) -> None:
    folder = _site(article("a", language, title, day=DAY)).article_folder("a")
    assert re.fullmatch(rf"{language}/2025/12/02/{words}-{TAG}/", folder), folder


def test_ascii_slugs_transliterate() -> None:
    site = _site(article("vi", "vi", "Tô Lâm thăm Lào", day=DAY),
                 article("zh", "zh", "越南", day=DAY), slugs="ascii")
    assert re.fullmatch(rf"vi/2025/12/02/to-lam-tham-lao-{TAG}/", site.article_folder("vi"))
    assert re.fullmatch(rf"zh/2025/12/02/yuenan-{TAG}/", site.article_folder("zh"))


def test_a_front_matter_slug_is_the_whole_last_segment() -> None:
    site = _site(article("a", "en", "Long headline", day=DAY, extra=(("slug", "my-visit"),)),
                 article("b", "en", "Undated", extra=(("slug", "Old Story"),)))
    assert site.article_folder("a") == "en/2025/12/02/my-visit/"
    assert site.article_folder("b") == "en/undated/old-story/"


def test_a_twin_on_the_same_day_moves_no_existing_url() -> None:
    first = article("b-first", "en", "Flood warning", day=DAY)
    before = _site(first)
    # Sorts before the first one by id and path: no order may decide whose URL is plain.
    twin = article("a-twin", "en", "Flood warning", day=DAY)
    after = _site(first, twin, article("c", "en", "Flood warning"))
    assert after.article_folder("b-first") == before.article_folder("b-first")
    assert after.article_folder("a-twin") != after.article_folder("b-first")
    assert len(after.articles) == 3 and not after.problems


def test_the_earlier_address_redirects_and_stays_out_of_feeds_and_sitemaps() -> None:
    config = replace(CONFIG, base_url="https://example.org/news/")
    site = assemble([article("news/visit", "vi", "Tô Lâm thăm Lào", day=DAY)],
                    Tagging((), ()), config)
    files = dict(render_pages(site, load_theme(config), config))
    old = "vi/articles/news/visit/index.html"
    page = files[old].decode()
    new = site.article_folder("news/visit")
    assert redirected(old, page) == new + "index.html"
    assert new + "index.html" in files
    assert '<meta name="robots" content="noindex">' in page
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page)
    assert canonical and canonical[1] == (
        "https://example.org/news/vi/2025/12/02/t%C3%B4-l%C3%A2m-th%C4%83m-l%C3%A0o-"
        + new.rsplit("-", 1)[1])
    assert f">/news/{new}</a>" in page and "data-pagefind-body" not in page
    listed = b"".join(data for path, data in files.items() if path.endswith(".xml"))
    assert b"/articles/" not in listed.replace(b"<id>https://example.org/news/vi/articles/", b"")
    # The Atom entry keeps its earlier id, so feed readers do not show it again.
    feed = files["vi/feed.xml"].decode()
    assert "<id>https://example.org/news/vi/articles/news/visit/</id>" in feed
    assert "t%C3%B4-l%C3%A2m" in feed


def test_the_slugs_setting_is_checked(tmp_path: Path) -> None:
    config_file = tmp_path / "newsforge.yaml"
    config_file.write_text("title: T\nslugs: ascii\n", "utf-8")
    assert load_config(config_file).slugs == "ascii"
    assert default_config(tmp_path).slugs == "unicode"
    config_file.write_text("title: T\nslugs: latin\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config_file)
    assert caught.value.line == 2 and "'slugs' must be one of unicode, ascii" in str(caught.value)


def test_the_permalinks_pattern_places_dated_articles() -> None:
    visit = article("news/visit", "en", "PM visits Laos", day=DAY)
    undated = article("old", "en", "No date here")
    by_month = assemble([visit, undated], Tagging((), ()),
                        replace(CONFIG, permalinks=":year/:month/:slug"))
    assert re.fullmatch(rf"en/2025/12/pm-visits-laos-{TAG}/", by_month.article_folder("news/visit"))
    assert re.fullmatch(rf"en/undated/no-date-here-{TAG}/", by_month.article_folder("old"))
    by_id = assemble([visit], Tagging((), ()), replace(CONFIG, permalinks="news/:year/:id"))
    assert by_id.article_folder("news/visit") == "en/news/2025/news/visit/"


@pytest.mark.parametrize(("pattern", "why"), [
    (":year/:month/:day", "must contain :slug or :id"),
    (":year/:title/:slug", "only use the tokens"),
    ("/:year/:slug", "relative path"),
    (":year/../:slug", "relative path"),
    (":year//:slug", "relative path"),
])
def test_a_permalinks_pattern_that_cannot_work_is_refused(tmp_path: Path, pattern: str,
                                                          why: str) -> None:
    config_file = tmp_path / "newsforge.yaml"
    config_file.write_text(f"title: T\nlanguages: [en]\npermalinks: '{pattern}'\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config_file)
    assert caught.value.line == 3 and why in str(caught.value)
    config_file.write_text("permalinks: :year/:slug\n", "utf-8")
    assert load_config(config_file).permalinks == ":year/:slug"

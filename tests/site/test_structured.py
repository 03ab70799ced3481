"""Structured data and sitemaps: JSON-LD held to Google's NewsArticle rules field by field,
entity JSON-LD, OpenGraph and Twitter meta, hreflang with x-default, per-language sitemaps,
the sitemap index named in robots.txt and the Google News sitemap."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from sitekit import REPO, article, article_text, entity

from newsforge.build import build_site
from newsforge.config import Config, load_config, replace
from newsforge.errors import ConfigError
from newsforge.model import EntityType, Mention, Published, Tagging
from newsforge.render import render_pages
from newsforge.site import assemble
from newsforge.structured import headline, moment, og_locale
from newsforge.theme import load_theme

BASE = "https://example.org/archive/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
OFFSET_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$")
LD_JSON = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, Path]:
    root = tmp_path_factory.mktemp("structured")
    config = replace(load_config(REPO / "newsforge.yaml"), output=root / "build",
                     templates=root / "t",
                     static=root / "s", base_url=BASE, time_zone="Asia/Ho_Chi_Minh")
    result = build_site(config)
    assert result.ok, [p.format() for p in result.problems]
    return config, root / "build"


def _json_ld(page: str) -> list[dict[str, Any]]:
    return [json.loads(text) for text in LD_JSON.findall(page)]


def _page_of(url: str, out: Path) -> Path:
    """The built file behind an absolute URL of the site."""
    assert url.startswith(BASE), url
    rest = unquote(url[len(BASE):])
    return out / (rest + "index.html" if rest == "" or rest.endswith("/") else rest)


# The Vietnamese seed article's folder: its own date and its headline in its own script.
VI_ARTICLE = ("vi/2025/12/02/mở-rộng-hợp-tác-nâng-cao-hiệu-quả-công-tác-tuyên-truyền-về-6557eb/")


def _article_pages(out: Path) -> list[Path]:
    return sorted([*out.glob("*/[0-9][0-9][0-9][0-9]/*/*/*/index.html"),
                   *out.glob("*/undated/*/index.html")])


def test_every_article_has_a_news_article_that_holds_googles_rules(
        seed_site: tuple[Config, Path]) -> None:
    _, out = seed_site
    pages = _article_pages(out)
    assert len(pages) == 5
    for path in pages:
        html = path.read_text("utf-8")
        (data,) = _json_ld(html)
        where = path.relative_to(out).as_posix()
        assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
        # headline: the page's title, at most 110 characters.
        assert 0 < len(data["headline"]) <= 110, where
        title = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
        assert title is not None
        assert unescape(title.group(1)).startswith(data["headline"].rstrip("…"))
        # dates: ISO 8601 with a UTC offset.
        assert OFFSET_TIME.match(data["datePublished"]), (where, data["datePublished"])
        if "dateModified" in data:
            assert OFFSET_TIME.match(data["dateModified"])
            assert data["dateModified"] >= data["datePublished"]
        # the page's own absolute URL, and its language as the page declares it.
        folder = where.rsplit("index.html", 1)[0]
        assert data["url"] == BASE + quote(folder) == data["mainEntityOfPage"]["@id"]
        assert f'<html lang="{data["inLanguage"]}"' in html
        assert re.match(r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$", data["inLanguage"])
        # author: Person objects with a name; publisher: an Organization with a name.
        for author in data.get("author", []):
            assert author["@type"] == "Person" and author["name"].strip()
            if "url" in author:
                assert _page_of(author["url"], out).is_file()
        assert data["publisher"]["@type"] == "Organization" and data["publisher"]["name"]
        # about/mentions: typed references whose URLs are built pages.
        references = [*data.get("about", []), *data.get("mentions", [])]
        assert references, where
        for reference in references:
            assert reference["@type"] in ("Person", "PoliticalParty", "Organization", "Event")
            assert reference["name"] and _page_of(reference["url"], out).is_file()
        for link in [data.get("translationOfWork", {}).get("url"),
                     *(w["url"] for w in data.get("workTranslation", []))]:
            if link:
                assert _page_of(link, out).is_file()


def test_a_story_in_three_languages_names_its_first_report_as_the_original(
        seed_site: tuple[Config, Path]) -> None:
    _, out = seed_site
    stories: dict[str, dict[str, Any]] = {}
    for path in _article_pages(out):
        (data,) = _json_ld(path.read_text("utf-8"))
        stories[data["url"]] = data
    originals = [d for d in stories.values() if "workTranslation" in d]
    assert originals, "the seeds hold stories reported in several languages"
    for original in originals:
        for translation in original["workTranslation"]:
            twin = stories[translation["url"]]
            assert twin["translationOfWork"]["url"] == original["url"]
            assert twin["inLanguage"] == translation["inLanguage"] != original["inLanguage"]
            assert twin["datePublished"] >= original["datePublished"]


def test_entity_pages_describe_their_entity(seed_site: tuple[Config, Path]) -> None:
    _, out = seed_site
    page = out / "vi/entities/people/to-lam/index.html"
    (data,) = _json_ld(page.read_text("utf-8"))
    assert data["@type"] == "Person" and data["name"] == "Tô Lâm"
    assert data["url"] == BASE + "vi/entities/people/to-lam/"
    assert "To Lam" in data["alternateName"] and "Tô Lâm" not in data["alternateName"]
    assert BASE + "entities/people/to-lam/" in data["sameAs"]
    kinds = {json.loads(LD_JSON.findall(p.read_text("utf-8"))[0])["@type"]
             for p in out.glob("entities/*/*/index.html")}
    assert kinds == {"Person", "PoliticalParty", "Organization", "Event"}


def test_opengraph_twitter_and_hreflang_on_an_article(seed_site: tuple[Config, Path]) -> None:
    _, out = seed_site
    page = (out / VI_ARTICLE / "index.html").read_text("utf-8")
    meta = dict(re.findall(r'<meta property="(og:[a-z_:]+)" content="([^"]*)"', page))
    assert meta["og:type"] == "article" and meta["og:locale"] == "vi_VN"
    assert meta["og:url"] == BASE + quote(VI_ARTICLE)
    assert meta["og:site_name"] and meta["og:title"] and meta["og:description"]
    assert 'property="og:locale:alternate" content="en_US"' in page
    assert re.search(r'property="article:published_time" content="2025-12-02T10:57:00\+07:00"',
                     page)
    assert 'property="article:tag" content="Tô Lâm"' in page
    assert '<meta name="twitter:card" content="summary">' in page
    links = re.findall(r'<link rel="alternate" hreflang="([a-zA-Z-]+)" href="([^"]+)"', page)
    languages = [lang for lang, _ in links]
    assert "vi" in languages and "en" in languages and languages[-1] == "x-default"
    english = dict(links)["en"]
    assert dict(links)["x-default"] == english
    # Reciprocal: the English report names this one back.
    other = _page_of(english, out).read_text("utf-8")
    assert f'hreflang="vi" href="{BASE}{quote(VI_ARTICLE)}"' in other


def test_sitemap_index_per_language_sitemaps_and_robots(seed_site: tuple[Config, Path]
                                                         ) -> None:
    _, out = seed_site
    robots = (out / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {BASE}sitemap.xml" in robots
    index = ET.parse(out / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [e.text or "" for e in index.iter(f"{SITEMAP}loc")]
    assert parts == [f"{BASE}sitemap-{code}.xml" for code in ("en", "sv", "vi")] + [
        f"{BASE}sitemap-news.xml"]
    listed: set[str] = set()
    for part in parts[:3]:
        code = part.rsplit("-", 1)[1].removesuffix(".xml")
        for url in ET.parse(_page_of(part, out)).getroot().findall(f"{SITEMAP}url"):
            loc = url.findtext(f"{SITEMAP}loc") or ""
            page = _page_of(loc, out).read_text("utf-8")
            assert f'<html lang="{code}"' in page, loc
            alternates = {a.get("hreflang"): a.get("href") for a in url.findall(f"{XHTML}link")}
            if alternates:
                assert alternates.get(code) == loc  # every URL lists itself among its versions
                for href in alternates.values():
                    assert _page_of(href or "", out).is_file()
            listed.add(loc)
    built = {BASE + quote(p.relative_to(out).as_posix().removesuffix("index.html"))
             for p in out.rglob("index.html")
             if p.parent.name != "search" and p.parent.parent.name != "articles"}
    assert listed == built


def test_news_sitemap_lists_the_last_two_days(seed_site: tuple[Config, Path]) -> None:
    _, out = seed_site
    urls = ET.parse(out / "sitemap-news.xml").getroot().findall(f"{SITEMAP}url")
    dates = []
    for url in urls:
        news = url.find(f"{NEWS}news")
        assert news is not None
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Mekong News Archive"
        assert news.findtext(f"{NEWS}publication/{NEWS}language") in ("en", "vi", "sv")
        assert news.findtext(f"{NEWS}title")
        date = news.findtext(f"{NEWS}publication_date") or ""
        assert OFFSET_TIME.match(date), date
        dates.append(date[:10])
    # The newest seed is of 5 December 2025; the day before has none, 2 December is older.
    assert dates == ["2025-12-05"]


def _render(config: Config, articles: list[Any], tagging: Tagging) -> Mapping[str, bytes]:
    site = assemble(articles, tagging, config)
    return dict(render_pages(site, load_theme(config), config))


def test_news_sitemap_is_valid_when_empty(site_config: Callable[..., Config]) -> None:
    files = _render(site_config(), [article("a", day=None)], Tagging((), ()))
    root = ET.fromstring(files["sitemap-news.xml"])
    assert root.tag == f"{SITEMAP}urlset" and list(root) == []


def test_news_sitemap_keeps_the_newest_thousand(site_config: Callable[..., Config]) -> None:
    day = dt.date(2025, 3, 10)
    articles = [article(f"n{i:04d}", day=day - dt.timedelta(days=i % 3)) for i in range(1600)]
    files = _render(site_config(), articles, Tagging((), ()))
    urls = ET.fromstring(files["sitemap-news.xml"]).findall(f"{SITEMAP}url")
    assert len(urls) == 1000
    days = [(u.findtext(f"{NEWS}news/{NEWS}publication_date") or "")[:10] for u in urls]
    assert set(days) == {"2025-03-10", "2025-03-09"} and days == sorted(days, reverse=True)


def test_hostile_text_stays_inside_the_json(site_config: Callable[..., Config]) -> None:
    evil = '</script><script>alert("x")</script><!-- &amp;'
    person = entity("evil", name=evil, names=(("en", evil),))
    hostile = article("h", title=f"Breaking {evil}", day=dt.date(2025, 1, 2), author=evil,
                      source=evil, text=f"Text {evil}.")
    files = _render(site_config(), [hostile],
                    Tagging((person,), (Mention("h", 0, 5, 6, evil, EntityType.PERSON,
                                                "evil"),)))
    for path in ("en/articles/h/index.html", "entities/people/evil/index.html"):
        page = article_text(files, path) if "/articles/" in path else files[path].decode()
        scripts = LD_JSON.findall(page)
        assert len(scripts) == 1 and "<" not in scripts[0] and ">" not in scripts[0]
        assert page.count("<script") == 1
        data = json.loads(scripts[0])  # and it says exactly what the article says
        assert evil in data.get("headline", "") + data.get("name", "")
    (data,) = _json_ld(article_text(files, "en/articles/h/index.html"))
    # The author is also the person the article names: the author links to that page.
    assert data["author"] == [{"@type": "Person", "name": evil,
                               "url": "/entities/people/evil/"}]
    assert data["headline"] == f"Breaking {evil}"


def test_dates_carry_an_offset() -> None:
    hanoi = dt.timezone(dt.timedelta(hours=7))
    assert moment(Published(dt.date(2025, 12, 2), dt.time(10, 57, tzinfo=hanoi)),
                  dt.UTC) == "2025-12-02T10:57:00+07:00"
    assert moment(Published(dt.date(2025, 12, 2), dt.time(10, 57)),
                  hanoi) == "2025-12-02T10:57:00+07:00"
    assert moment(Published(dt.date(2025, 12, 2)), dt.UTC) == "2025-12-02T00:00:00+00:00"


def test_headline_is_cut_at_a_word_within_the_limit() -> None:
    short = "A short headline"
    assert headline(short) == short
    long = " ".join(["word"] * 40)
    cut = headline(long)
    assert len(cut) <= 110 and cut.endswith("word…") and long.startswith(cut[:-1])
    unbroken = "x" * 200
    assert len(headline(unbroken)) == 110


def test_og_locale_comes_from_cldr() -> None:
    assert og_locale("vi") == "vi_VN" and og_locale("sv") == "sv_SE"
    assert og_locale("en") == "en_US" and og_locale("zh") == "zh_CN"
    assert og_locale("pt-BR") == "pt_BR"


def test_time_zone_is_checked(tmp_path: Path) -> None:
    (tmp_path / "newsforge.yaml").write_text("title: X\ntime_zone: Mars/Olympus\n", "utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "newsforge.yaml")
    assert caught.value.line == 2 and "time zone" in str(caught.value)
    (tmp_path / "newsforge.yaml").write_text("time_zone: Europe/Stockholm\n", "utf-8")
    assert load_config(tmp_path / "newsforge.yaml").time_zone == "Europe/Stockholm"


def test_article_url_without_base_url_is_root_relative(site_config: Callable[..., Config]
                                                        ) -> None:
    files = _render(site_config(), [article("a", day=dt.date(2025, 1, 2))], Tagging((), ()))
    (data,) = _json_ld(article_text(files, "en/articles/a/index.html"))
    assert re.fullmatch(r"/en/2025/01/02/(?:[^/]+-)?[0-9a-f]{6}/", data["url"])

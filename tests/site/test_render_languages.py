"""Entity and date-archive pages exist in every language, linked to their counterparts."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Mapping

import pytest
from sitekit import article, entity, mentions, redirected

from newsforge.config import Config
from newsforge.model import Tagging
from newsforge.render import render_mapping
from newsforge.site import assemble
from newsforge.theme import load_theme

HOA = "person:nguyen-thi-hoa"
PEOPLE = (HOA, "person:lars-berg", "person:emma-holt")


@pytest.fixture
def files(site_config: Callable[..., Config]) -> Mapping[str, str]:
    """A three-language site: one story on 2 December 2025, one Swedish article in November,
    one undated Vietnamese article."""
    config = site_config()
    articles = [
        article("en-a", "en", title="Talks on the river dam", day=dt.date(2025, 12, 2)),
        article("vi-a", "vi", title="Hội đàm về đập thủy điện", day=dt.date(2025, 12, 2)),
        article("sv-a", "sv", title="Samtal om dammen", day=dt.date(2025, 12, 2)),
        article("sv-b", "sv", title="Ett tidigare möte", day=dt.date(2025, 11, 14)),
        article("vi-b", "vi", title="Một bài không rõ ngày"),
    ]
    hoa = entity(HOA, name="Nguyen Thi Hoa",
                 names=(("en", "Nguyen Thi Hoa"), ("vi", "Nguyễn Thị Hoa")))
    tagging = Tagging((hoa, entity(PEOPLE[1]), entity(PEOPLE[2])),
                      tuple(m for a in articles for m in mentions(a.id, *PEOPLE)))
    site = assemble(articles, tagging, config)
    return {path: data.decode() for path, data in
            render_mapping(site, load_theme(config), config).items()}


def _target(page: str, href: str) -> str:
    """The output path a relative link on ``page`` points to."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href))


def _links(files: Mapping[str, str], page: str, pattern: str) -> set[str]:
    """Output paths of the links in ``page``'s body (not the language switcher) whose
    target matches ``pattern``."""
    body = re.sub(r'<nav class="langs".*?</nav>', "", files[page].split("<body>", 1)[1],
                  flags=re.DOTALL)
    found = {_target(page, h) for h in re.findall(r'href="([^"#:]+)"', body)}
    return {t for t in found if re.fullmatch(pattern, t)}


def _switcher(files: Mapping[str, str], page: str) -> dict[str, str]:
    """Language -> target of the language switcher's links on ``page``."""
    nav = files[page].split('<nav class="langs"', 1)[1].split("</nav>", 1)[0]
    return {lang: _target(page, href) for href, lang in
            re.findall(r'<a class="lang" href="([^"]+)" hreflang="([a-z]+)"', nav)}


def test_entity_page_per_language(files: Mapping[str, str]) -> None:
    vi = "vi/entities/people/nguyen-thi-hoa/index.html"
    en = "entities/people/nguyen-thi-hoa/index.html"
    sv = "sv/entities/people/nguyen-thi-hoa/index.html"
    assert '<html lang="vi">' in files[vi] and "<h1>Nguyễn Thị Hoa</h1>" in files[vi]
    assert "Thường xuất hiện cùng" in files[vi] and "Tên gọi" in files[vi]
    assert "2 tháng 12, 2025" in files[vi] and "December" not in files[vi]
    assert '<html lang="en">' in files[en] and "<h1>Nguyen Thi Hoa</h1>" in files[en]
    assert "December 2, 2025" in files[en]
    assert '<html lang="sv">' in files[sv] and "Förekommer ofta med" in files[sv]
    assert "2 december 2025" in files[sv]
    # The same timeline everywhere: every article naming her, in the same order.
    cards = {p: _links(files, p, r"[a-z]{2}/(\d{4}/\d\d/\d\d|undated)/.*") for p in (vi, en, sv)}
    assert cards[vi] == cards[en] == cards[sv] and len(cards[vi]) == 5
    assert _switcher(files, vi) == {"en": en, "sv": sv}
    assert _switcher(files, sv) == {"en": en, "vi": vi}
    assert re.findall(r'<link rel="alternate" hreflang="([a-z]+)" href="([^"]+)"',
                      files[vi]) == [("en", "/entities/people/nguyen-thi-hoa/"),
                                     ("vi", "/vi/entities/people/nguyen-thi-hoa/"),
                                     ("sv", "/sv/entities/people/nguyen-thi-hoa/")]
    # "Often appears with" stays in the page's language; one feed per entity.
    assert _links(files, vi, r".*/people/(lars-berg|emma-holt)/index\.html") == {
        "vi/entities/people/lars-berg/index.html", "vi/entities/people/emma-holt/index.html"}
    assert "entities/people/nguyen-thi-hoa/feed.xml" in files
    assert "vi/entities/people/nguyen-thi-hoa/feed.xml" not in files
    assert _links(files, vi, r".*feed\.xml") == {"entities/people/nguyen-thi-hoa/feed.xml"}


def test_pages_link_to_entity_and_archive_pages_of_their_language(
        files: Mapping[str, str]) -> None:
    for lang, prefix in (("vi", "vi/"), ("sv", "sv/"), ("en", "")):
        old = f"{lang}/articles/{lang}-a/index.html"
        page = redirected(old, files[old])
        assert _links(files, page, r".*entities/people/[^/]+/index\.html") == {
            f"{prefix}entities/people/{slug}/index.html"
            for slug in ("nguyen-thi-hoa", "lars-berg", "emma-holt")}, lang
        assert _links(files, page, r".*archive/.*") == {
            f"{prefix}archive/index.html", f"{prefix}archive/2025/12/02/index.html"}, lang
    assert _links(files, "vi/index.html", r".*archive/.*") == {"vi/archive/index.html"}


def test_date_archive_per_language(files: Mapping[str, str]) -> None:
    vi, sv, en = ("vi/archive/2025/12/index.html", "sv/archive/2025/12/index.html",
                  "archive/2025/12/index.html")
    assert '<html lang="vi">' in files[vi] and "<h1>tháng 12 năm 2025</h1>" in files[vi]
    assert "Thứ Ba, 2 tháng 12, 2025" in files[vi] and "Lưu trữ" in files[vi]
    assert '<html lang="sv">' in files[sv] and "<h1>december 2025</h1>" in files[sv]
    assert "tisdag 2 december 2025" in files[sv]
    assert "<h1>December 2025</h1>" in files[en]
    # Previous month, day, year: within the same language.
    assert _links(files, sv, r".*archive/.*") == {
        "sv/archive/index.html", "sv/archive/2025/index.html",
        "sv/archive/2025/11/index.html", "sv/archive/2025/12/02/index.html"}
    assert _switcher(files, vi) == {"en": en, "sv": sv}
    year = files["vi/archive/2025/index.html"]
    assert '<html lang="vi">' in year and "Tháng 11" in year and "November" not in year
    assert _links(files, "vi/archive/2025/index.html", r".*archive/2025/1[12]/.*") == {
        "vi/archive/2025/11/index.html", "vi/archive/2025/12/index.html",
        "vi/archive/2025/11/14/index.html", "vi/archive/2025/12/02/index.html"}
    day = "sv/archive/2025/11/14/index.html"
    assert "<h1>fredag 14 november 2025</h1>" in files[day]
    assert _links(files, day, r".*archive/2025/12/02/index\.html") == {
        "sv/archive/2025/12/02/index.html"}
    for page in ("vi/archive/index.html", "vi/archive/undated/index.html"):
        assert '<html lang="vi">' in files[page], page
    assert "Không rõ ngày" in files["vi/archive/undated/index.html"]
    assert _switcher(files, "sv/archive/undated/index.html") == {
        "en": "archive/undated/index.html", "vi": "vi/archive/undated/index.html"}


def test_sitemap_lists_every_language_with_alternates(files: Mapping[str, str]) -> None:
    sitemaps = "".join(files[f"sitemap-{code}.xml"] for code in ("en", "vi", "sv"))
    entries = dict(re.findall(r"<loc>([^<]+)</loc>((?:\s*<xhtml:link[^>]+>)*)", sitemaps))
    for folder in ("entities/people/nguyen-thi-hoa/", "archive/2025/12/", "archive/"):
        for prefix in ("", "vi/", "sv/"):
            alternates = re.findall(r'hreflang="([a-z]+)" href="([^"]+)"',
                                    entries[f"/{prefix}{folder}"])
            assert alternates == [("en", f"/{folder}"), ("vi", f"/vi/{folder}"),
                                  ("sv", f"/sv/{folder}")], (prefix, folder)

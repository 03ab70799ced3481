"""Building the seed archive: links, date archive, entities, determinism."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

import pytest
from sitekit import REPO, crawl, tree_digest

from newsforge.analysis import analyse
from newsforge.build import build_site
from newsforge.config import Config
from newsforge.report import BuildFinished, ListReporter


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Config, Path]:
    from newsforge.config import default_config, replace

    root = tmp_path_factory.mktemp("seedsite")
    config = replace(default_config(REPO), output=root / "build", templates=root / "t",
                     static=root / "s")
    result = build_site(config)
    assert result.ok, [p.format() for p in result.problems]
    return config, root / "build"


def test_seed_build_has_every_kind_of_page(seed_build: tuple[Config, Path]) -> None:
    _, out = seed_build
    for path in ("index.html", "en/index.html", "vi/index.html", "sv/index.html",
                 "archive/index.html", "archive/2025/12/02/index.html", "en/feed.xml",
                 "sitemap.xml", "robots.txt", "static/style.css",
                 "sv/entities/people/index.html", "vi/articles/002-8f64e75ea631a2b1/index.html",
                 "vi/2025/12/02/mở-rộng-hợp-tác-nâng-cao-hiệu-quả-công-tác-tuyên-truyền-về-6557eb/"
                 "index.html"):
        assert (out / path).is_file(), path


def test_no_broken_links_at_the_root(seed_build: tuple[Config, Path]) -> None:
    _, out = seed_build
    assert crawl(out, "/") == []


def test_no_broken_links_under_a_sub_path(site_config: Callable[..., Config],
                                          tmp_path: Path) -> None:
    config = site_config(base_url="https://example.org/archive/")
    assert build_site(config).ok
    assert crawl(config.output, "https://example.org/archive/") == []
    assert "Sitemap: https://example.org/archive/sitemap.xml" in (
        config.output / "robots.txt").read_text()


def test_every_article_has_a_place_in_the_date_archive(seed_build: tuple[Config, Path]) -> None:
    config, out = seed_build
    site = analyse(config).site
    for article in site.articles:
        link = site.article_folder(article.id)
        if article.published is None:
            page = out / "archive/undated/index.html"
        else:
            day = article.published.day
            page = out / f"archive/{day:%Y/%m/%d}/index.html"
        assert link.split("/", 1)[1] in unquote(page.read_text()), article.id
    assert site.dates.undated == ()


def test_to_lam_page_lists_the_vietnamese_and_swedish_articles(
        seed_build: tuple[Config, Path]) -> None:
    config, out = seed_build
    site = analyse(config).site
    wanted = {"to lam": {"vi", "sv"}, "trinh van quyet": {"en", "vi"}}
    for folded, languages in wanted.items():
        found = [e for e in site.entities
                 if folded in {_fold(e.name), *(_fold(n) for _, n in e.names)}]
        assert len(found) == 1, folded
        page = (out / site.entity_folder(found[0].id) / "index.html").read_text()
        for article in site.articles:
            if article.language in languages and found[0].id in site.entities_of_article.get(
                    article.id, ()):
                assert site.slugs[article.id] in unquote(page)
        assert {site.article_by_id[a].language
                for a in site.articles_of_entity[found[0].id]} >= languages
        # Its page in each language: that language's interface, the name in that language,
        # the same timeline.
        for lang in site.languages:
            localised = (out / site.entity_folder(found[0].id, lang) / "index.html").read_text()
            assert f'<html lang="{lang}">' in localised
            # A name from another language says so (Tô Lâm has no English spelling of
            # its own: the English page shows the Vietnamese name, marked as Vietnamese).
            name = html.escape(found[0].name_in(lang))
            spelled = {code for code, n in found[0].names if n == found[0].name_in(lang)}
            assert f"<h1>{name}</h1>" in localised if lang in spelled else \
                re.search(rf'<h1 lang="(?:{"|".join(spelled)}|und)">{re.escape(name)}</h1>',
                          localised)
            assert all(site.slugs[a] in unquote(localised)
                       for a in site.articles_of_entity[found[0].id])


def _fold(text: str) -> str:
    import unicodedata
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_two_builds_are_byte_identical_even_with_another_hash_seed(
        site_config: Callable[..., Config], tmp_path: Path) -> None:
    config = site_config()
    assert build_site(config).ok
    first = tree_digest(config.output)
    script = ("import sys; from pathlib import Path; from newsforge.config import "
              "default_config, replace; from newsforge.build import build_site; "
              f"c = replace(default_config(Path({str(REPO)!r})), output=Path(sys.argv[1]), "
              f"templates=Path({str(tmp_path / 'templates')!r}), "
              f"static=Path({str(tmp_path / 'static')!r})); "
              "sys.exit(0 if build_site(c).ok else 1)")
    for seed in ("1", "4242"):
        out = tmp_path / f"build-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env)
        again = tree_digest(out)
        differ = sorted(k for k in {*first, *again} if first.get(k) != again.get(k))
        assert differ == [], f"PYTHONHASHSEED={seed} changed these files"


def test_build_reports_a_summary(site_config: Callable[..., Config]) -> None:
    reporter = ListReporter()
    result = build_site(site_config(), reporter)
    (summary,) = reporter.of(BuildFinished)
    assert isinstance(summary, BuildFinished)
    assert (summary.articles, summary.pages, summary.ok) == (5, result.pages, True)
    # The one year-less seed is dated by its story in Vietnamese: no warning is left.
    assert summary.warnings == 0, [p.format() for p in result.problems]
    assert result.articles == 5 and result.pages > 30


def test_feeds_and_sitemap_are_well_formed(seed_build: tuple[Config, Path]) -> None:
    import xml.etree.ElementTree as ET

    _, out = seed_build
    atom = "{http://www.w3.org/2005/Atom}"
    feeds = sorted(out.rglob("feed.xml"))
    assert len(feeds) > 3
    for feed in feeds:
        root = ET.parse(feed).getroot()
        assert root.tag == f"{atom}feed"
        entries = root.findall(f"{atom}entry")
        assert entries, feed
        for entry in entries:
            assert entry.findtext(f"{atom}title") and entry.findtext(f"{atom}updated")
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = ET.parse(out / "sitemap.xml").getroot()
    assert index.tag == f"{ns}sitemapindex"
    parts = [(e.text or "").rsplit("/", 1)[-1] for e in index.iter(f"{ns}loc")]
    assert parts == ["sitemap-en.xml", "sitemap-sv.xml", "sitemap-vi.xml", "sitemap-news.xml"]
    locs = [e.text for part in parts[:-1]
            for e in ET.parse(out / part).getroot().iter(f"{ns}loc")]
    listed = [p for p in out.rglob("index.html")
              if p.parent.name != "search" and p.parent.parent.name != "articles"]
    assert len(locs) == len(set(locs)) == len(listed)
    assert not any("404" in (loc or "") for loc in locs)


def test_a_finished_build_leaves_no_record_to_the_cycle_collector(
        site_config: Callable[..., Config]) -> None:
    """Our records hold no reference cycles: what a build made is freed when it returns,
    not left for a pass of the cycle collector over every record of the archive."""
    import gc

    from newsforge.model import Article

    config = site_config()
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        assert build_site(config, jobs=1).ok
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, Article)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()
    assert left == []

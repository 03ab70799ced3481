"""A content folder laid out as Hugo and Zola lay theirs out loads and builds as it is.

hugo_site/ holds TOML, YAML and JSON front matter, a page bundle with an image beside its
index.md, section files (_index.md), a front-matter-only page, a draft, two translations
linked by translationKey and two linked by their file names' language suffix.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from sitekit import redirected

from newsforge.cli import main
from newsforge.config import Config, load_config, replace
from newsforge.langdata import Languages
from newsforge.loader import LoadResult, article_paths, load_tree
from newsforge.model import (
    Article,
    DateSource,
    Entity,
    EntityType,
    Mention,
    Paragraph,
    Published,
    Severity,
    Span,
    Tagging,
)
from newsforge.site import assemble

SITE = Path(__file__).parent / "hugo_site"
CONTENT = SITE / "content"

# id -> (title, language, date as inspect shows it)
EXPECTED = {
    "blog/river-festival": ("Lantern festival draws crowds to the riverbank", "en", "2024-02-24"),
    "news/bridge-opening-en": ("Cable-stayed bridge opens to traffic across the river", "en",
                               "2024-03-09"),
    "news/ferry-route": ("New ferry route links the two river ports", "en", "2024-03-04"),
    "news/harbour-dredging-en": ("Dredgers begin work in the harbour", "en",
                                 "2024-05-06T07:00:00+07:00"),
    "news/harbour-dredging-sv": ("Muddringen av hamnen har börjat", "sv",
                                 "2024-05-06T07:00:00+07:00"),
    "news/khanh-thanh-cau-vi": ("Khánh thành cầu dây văng bắc qua sông", "vi", "2024-03-09"),
    "news/port-budget": ("Council approves money to deepen the harbour channel", "en",
                         "2024-02-20T10:00:00+07:00"),
    "news/rice-exports": ("Rice exports reach a record in the first quarter", "en",
                          "2024-04-02T08:30:00+07:00"),
}
DRAFT = "news/draft-flood-defences"


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(SITE / "newsforge.yaml")


@pytest.fixture(scope="module")
def loaded(config: Config, languages: Languages) -> LoadResult:
    return load_tree(config, languages)


def _article(loaded: LoadResult, aid: str) -> Article:
    return next(a for a in loaded.articles if a.id == aid)


def test_every_article_loads_with_its_title_language_and_date(loaded: LoadResult) -> None:
    found = {a.id: (a.title, a.language, a.published.isoformat() if a.published else None)
             for a in loaded.articles}
    assert found == EXPECTED
    for article in loaded.articles:
        assert not article.title_synthesised
        assert not article.title.startswith(("+++", "---", "{"))
        assert article.date_source is DateSource.FRONT_MATTER


def test_only_info_lines_for_the_pages_that_are_not_articles(loaded: LoadResult) -> None:
    assert all(p.severity is Severity.INFO for p in loaded.problems), loaded.problems
    by_file = {Path(p.path).name: p for p in loaded.problems}
    assert set(by_file) == {"about.md", "draft-flood-defences.md"}
    assert "no text" in by_file["about.md"].message
    assert "draft" in by_file["draft-flood-defences.md"].message
    assert by_file["draft-flood-defences.md"].line == 4
    assert "--drafts" in by_file["draft-flood-defences.md"].hint


def test_section_files_and_bundle_resources_are_not_articles() -> None:
    names = {path.relative_to(CONTENT).as_posix() for path, _ in article_paths([CONTENT])}
    assert "news/_index.md" not in names
    assert "news/_index.vi.md" not in names
    assert "_index.md" not in names
    assert "blog/river-festival/index.md" in names
    assert not any(name.endswith(".png") for name in names)
    assert (CONTENT / "blog/river-festival/lanterns.png").is_file()


def test_toml_front_matter_keeps_hugo_keys(loaded: LoadResult) -> None:
    ferry = _article(loaded, "news/ferry-route")
    extra = dict(ferry.extra)
    assert extra["tags"] == "transport, ferries"
    assert extra["categories"] == "region"
    assert extra["series"] == "River Transport"
    assert extra["aliases"] == "ferry-news, old/ferry"
    assert extra["description"] == "A daily crossing starts next month."
    assert extra["author_details.desk"] == "Transport"
    assert ferry.author == "Courier Staff"
    assert ferry.span_of("title") is not None and ferry.span_of("title").line == 3
    assert "<!--more-->" not in ferry.body
    assert ferry.paragraphs[0].text.startswith("A new ferry route")
    assert ferry.paragraphs[0].span.line == 20


def test_json_front_matter(loaded: LoadResult) -> None:
    budget = _article(loaded, "news/port-budget")
    assert budget.author == "Port Correspondent"
    assert dict(budget.extra)["tags"] == "harbour, budget"
    assert budget.span_of("title") is not None and budget.span_of("title").line == 2
    assert budget.paragraphs[0].span.line == 9


def test_publish_date_lastmod_and_slug(loaded: LoadResult, config: Config) -> None:
    rice = _article(loaded, "news/rice-exports")
    assert rice.modified == Published(dt.date(2024, 4, 5))
    assert any(e.field == "date" and "publishDate" in e.rule and e.line == 3
               for e in rice.evidence)
    extra = dict(rice.extra)
    assert extra["publishDate"] == "2024-04-02T08:30:00+07:00"
    assert extra["lastmod"] == "2024-04-05"
    assert extra["summary"] == "Shipments rose by a fifth on a year earlier."
    site = assemble(loaded.articles, Tagging((), ()), config)
    # The front matter's slug is the whole last segment, below the article's own date.
    assert site.article_folder("news/rice-exports") == "en/2024/04/02/rice-export-record/"


def test_zola_page_bundle(loaded: LoadResult) -> None:
    festival = _article(loaded, "blog/river-festival")
    assert festival.path == "content/blog/river-festival/index.md"
    assert festival.modified == Published(dt.date(2024, 2, 26))
    extra = dict(festival.extra)
    assert extra["tags"] == "culture, festival"
    assert extra["categories"] == "life"
    assert extra["cover"] == "lanterns.png"


def test_file_name_language_suffix(loaded: LoadResult) -> None:
    swedish = _article(loaded, "news/harbour-dredging-sv")
    assert swedish.language == "sv"
    assert any(e.field == "language" and "suffix" in e.rule for e in swedish.evidence)


def test_drafts_are_loaded_on_request(config: Config, languages: Languages) -> None:
    with_drafts = load_tree(replace(config, drafts=True), languages)
    ids = {a.id for a in with_drafts.articles}
    assert ids == {*EXPECTED, DRAFT}
    assert [Path(p.path).name for p in with_drafts.problems] == ["about.md"]


def test_translations_are_linked_as_one_story(loaded: LoadResult, config: Config) -> None:
    site = assemble(loaded.articles, Tagging((), ()), config)
    # By translationKey (the two files' names differ) ...
    assert site.same_story["news/bridge-opening-en"] == ("news/khanh-thanh-cau-vi",)
    assert site.same_story["news/khanh-thanh-cau-vi"] == ("news/bridge-opening-en",)
    # ... and, without one, by the file name without its language suffix (Hugo's default).
    assert site.same_story["news/harbour-dredging-en"] == ("news/harbour-dredging-sv",)
    assert site.same_story["news/harbour-dredging-sv"] == ("news/harbour-dredging-en",)
    assert "news/ferry-route" not in site.same_story


def _copy_of_site(tmp_path: Path) -> str:
    """The site's configuration in a copy of it: a build keeps its cache at the site root,
    and the folder in the repository is left as it is."""
    copy = shutil.copytree(SITE, tmp_path / "site", ignore=shutil.ignore_patterns(".*"))
    return str(copy / "newsforge.yaml")


def test_newsforge_build_of_the_hugo_folder(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build"
    assert main(["build", "--config", _copy_of_site(tmp_path), "--out", str(out),
                 "--strict"]) == 0
    summary = capsys.readouterr().err
    assert "8 articles" in summary and "0 errors" in summary
    assert "info: a draft" in summary
    pages = sorted(p.parent.relative_to(out).as_posix()
                   for p in out.glob("*/articles/**/index.html"))
    assert pages == [
        "en/articles/blog/river-festival", "en/articles/news/bridge-opening-en",
        "en/articles/news/ferry-route", "en/articles/news/harbour-dredging-en",
        "en/articles/news/port-budget", "en/articles/rice-export-record",
        "sv/articles/news/harbour-dredging-sv", "vi/articles/news/khanh-thanh-cau-vi"]
    # The earlier addresses above all redirect to the dated ones.
    en_old, vi_old = ("en/articles/news/bridge-opening-en/index.html",
                      "vi/articles/news/khanh-thanh-cau-vi/index.html")
    en_new, vi_new = (redirected(old, (out / old).read_text("utf-8")) for old in (en_old, vi_old))
    english = unquote((out / en_new).read_text("utf-8"))
    assert "Cable-stayed bridge opens to traffic across the river" in english
    assert 'class="box same-story"' in english
    assert vi_new.startswith("vi/2024/03/09/") and vi_new in english
    assert 'datetime="2024-03-09' in english
    vietnamese = unquote((out / vi_new).read_text("utf-8"))
    assert "Khánh thành cầu dây văng bắc qua sông" in vietnamese
    assert en_new in vietnamese
    assert not (out / "en/articles/news/draft-flood-defences").exists()


def test_newsforge_build_and_inspect_with_drafts(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "build"
    assert main(["build", "--config", _copy_of_site(tmp_path), "--out", str(out),
                 "--drafts"]) == 0
    assert "9 articles" in capsys.readouterr().err
    assert (out / "en/articles/news/draft-flood-defences/index.html").is_file()
    assert main(["inspect", "--json", "--config", str(SITE / "newsforge.yaml")]) == 0
    plain = {a["id"] for a in json.loads(capsys.readouterr().out)["articles"]}
    assert main(["inspect", "--json", "--drafts", "--config", str(SITE / "newsforge.yaml")]) == 0
    drafts = {a["id"] for a in json.loads(capsys.readouterr().out)["articles"]}
    assert plain == set(EXPECTED)
    assert drafts == {*EXPECTED, DRAFT}


def _report(aid: str, language: str, key: str | None) -> Article:
    return Article(id=aid, path=f"content/{aid}.md", content_hash="0", language=language,
                   title=aid, title_synthesised=False,
                   paragraphs=(Paragraph("text", Span(f"content/{aid}.md", 1)),),
                   published=Published(dt.date(2024, 3, 9)),
                   date_source=DateSource.FRONT_MATTER, translation_key=key)


def test_a_declared_translation_wins_over_an_inferred_link(config: Config) -> None:
    entities = tuple(Entity(f"organisation/o{n}", EntityType.ORGANISATION, f"O{n}")
                     for n in range(3))
    english, first, second = (_report("a", "en", "bridge"), _report("b", "vi", None),
                              _report("c", "vi", "bridge"))
    mentions = tuple(Mention(article.id, 0, 0, 4, "text", EntityType.ORGANISATION, entity.id)
                     for article in (english, first, second) for entity in entities)
    tagging = Tagging(entities, mentions)
    inferred = assemble([english, first, _report("c", "vi", None)], tagging, config)
    assert inferred.same_story["a"] == ("b",), "without a key, b is the better report"
    declared = assemble([english, first, second], tagging, config)
    assert declared.same_story["a"] == ("c",)
    assert declared.same_story["c"] == ("a",)
    assert "b" not in declared.same_story

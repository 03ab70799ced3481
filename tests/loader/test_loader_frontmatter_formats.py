"""YAML, TOML and JSON front matter read by the same rules; errors name the file line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from newsforge.config import Config, replace
from newsforge.errors import LoadError
from newsforge.langdata import Languages
from newsforge.loader import LoadContext, article_id, article_paths, load_file, load_tree
from newsforge.loader.core import attempt
from newsforge.loader.frontmatter import (
    NotAnArticleError,
    filename_language,
    is_section_file,
    read_markdown,
)
from newsforge.model import Problem, Published, Severity, Source

LANGS = ("en", "vi", "sv")
BODY = ("\nThe city council met on Tuesday to approve a new budget for the harbour, the "
        "chairman said after a long debate.\n")


def _read(text: str) -> object:
    return read_markdown(text, "a.md", LANGS, MarkdownIt("commonmark"))


def _error(text: str) -> LoadError:
    with pytest.raises(LoadError) as caught:
        _read(text)
    assert caught.value.hint, "every problem says what to do"
    return caught.value


@pytest.mark.parametrize("text", [
    "---\ntitle: Harbour budget approved\ndate: 2024-02-20\nlang: en\ntags: [a, b]\n---\n" + BODY,
    '+++\ntitle = "Harbour budget approved"\ndate = 2024-02-20\nlang = "en"\n'
    'tags = ["a", "b"]\n+++\n' + BODY,
    '{\n"title": "Harbour budget approved",\n"date": "2024-02-20",\n"lang": "en",\n'
    '"tags": ["a", "b"]\n}\n' + BODY,
])
def test_three_formats_give_the_same_metadata(text: str) -> None:
    reading = read_markdown(text, "a.md", LANGS, MarkdownIt("commonmark"))
    meta = reading.metadata
    assert meta.title == "Harbour budget approved"
    assert meta.published == Published(dt.date(2024, 2, 20))
    assert meta.language == "en"
    assert meta.extra == (("tags", "a, b"),)
    assert meta.line_of("title") == 2 and meta.line_of("date") == 3
    assert meta.line_of("tags") == 5
    assert reading.blocks[0].span.line == 8
    assert reading.blocks[0].text.startswith("The city council")


@pytest.mark.parametrize(("text", "line", "words"), [
    ('+++\ntitle = "x"\nthis is not toml\n+++\n' + BODY, 3, "invalid TOML"),
    ('+++\ntitle = "x"\ntags = [\n  "a",\n+++\n' + BODY, 4, "invalid TOML"),
    ('+++\ntitle = "x"\n' + BODY, 1, "never closed"),
    ('+++\ntitle = "x"\ndate = "2024-02-30"\n+++\n' + BODY, 3, "impossible or unreadable date"),
    ('+++\ntitle = "x"\n\npublishDate = "soon"\n+++\n' + BODY, 4, "in 'publishDate'"),
    ('+++\ndraft = "maybe"\n+++\n' + BODY, 2, "'draft' must be true or false"),
    ('+++\nlanguage = "xx"\n+++\n' + BODY, 2, "unknown language code"),
    ('+++\ntitle = ""\n+++\n' + BODY, 2, "non-empty text"),
    ('{\n  "title": "x",\n  "date": "2024-01-01"\n  "lang": "en"\n}\n' + BODY, 4,
     "invalid JSON"),
    ('{\n  "title": "x",\n  "date": "2024-13-01"\n}\n' + BODY, 3, "impossible or unreadable date"),
    ('{"title": "x"} and then text\n' + BODY, 1, "text follows the JSON front matter"),
    ('{\n  "title": "x",\n' + BODY, 4, "invalid JSON"),
    ("---\ntitle: x\n  bad: indent\n---\n" + BODY, 3, "invalid YAML"),
])
def test_errors_name_the_file_line(text: str, line: int, words: str) -> None:
    error = _error(text)
    assert error.line == line
    assert words in error.message
    assert error.path == "a.md"


def test_a_body_that_opens_with_a_shortcode_is_not_json() -> None:
    reading = read_markdown('{{< youtube abc >}}\n' + BODY, "a.md", LANGS,
                            MarkdownIt("commonmark"))
    assert reading.front_matter is None
    assert reading.blocks[0].text == "{{< youtube abc >}}"


def test_hugo_keys_are_matched_without_case_and_kept() -> None:
    reading = read_markdown(
        '+++\nTitle = "x"\nPublishDate = 2024-03-01T09:30:00+07:00\nLastMod = 2024-03-02\n'
        'TranslationKey = "visit"\nurl = "/about/"\ndraft = false\n'
        '[author]\nname = "Desk"\n[params.cover]\nalt = "boats"\n+++\n' + BODY,
        "a.md", LANGS, MarkdownIt("commonmark"))
    meta = reading.metadata
    assert meta.title == "x"
    assert meta.published is not None and meta.published.isoformat() == "2024-03-01T09:30:00+07:00"
    assert meta.date_key == "publishDate" and meta.line_of("publishDate") == 3
    assert meta.modified == Published(dt.date(2024, 3, 2))
    assert meta.translation_key == "visit"
    assert meta.author == "Desk"
    assert meta.source is None, "a page path in 'url' is not a source"
    assert meta.draft is False
    extra = dict(meta.extra)
    assert extra["translationKey"] == "visit"
    assert extra["publishDate"] == "2024-03-01T09:30:00+07:00"
    assert extra["lastmod"] == "2024-03-02"
    assert extra["url"] == "/about/"
    assert extra["cover.alt"] == "boats"
    assert meta.line_of("author") == 8


def test_date_wins_over_publish_date() -> None:
    reading = read_markdown("---\npublishDate: 2024-03-05\ndate: 2024-03-01\n---\n" + BODY,
                            "a.md", LANGS, MarkdownIt("commonmark"))
    assert reading.metadata.published == Published(dt.date(2024, 3, 1))
    assert reading.metadata.date_key == "date"


def test_a_web_url_is_still_the_source() -> None:
    reading = read_markdown('+++\nurl = "https://www.example.org/news/1"\n+++\n' + BODY,
                            "a.md", LANGS, MarkdownIt("commonmark"))
    assert reading.metadata.source == Source("example.org", "https://www.example.org/news/1")


def test_an_html_comment_alone_is_not_body_text() -> None:
    reading = read_markdown("---\ntitle: x\n---\nFirst paragraph.\n<!--more-->\n\nSecond.\n",
                            "a.md", LANGS, MarkdownIt("commonmark"))
    assert [b.text for b in reading.blocks] == ["First paragraph.", "Second."]


@pytest.mark.parametrize(("name", "language"), [
    ("post.vi.md", "vi"), ("post.en.md", "en"), ("post.fr.md", "fr"), ("index.sv.md", "sv"),
    ("post.en-GB.md", "en-GB"), ("post.md", None), ("release.v2.md", None),
    ("notes.old.md", None), ("post.vi.txt", None), ("2024.12.md", None), (".vi.md", None),
])
def test_filename_language(name: str, language: str | None) -> None:
    assert filename_language(Path("content") / name, LANGS) == language


@pytest.mark.parametrize(("relative", "expected"), [
    ("post/index.md", "post"),
    ("blog/2024/river-festival/index.md", "blog/2024/river-festival"),
    ("post/index.vi.md", "post-vi"),
    ("post.vi.md", "post-vi"),
    ("index.md", "index"),
    ("post/index.txt", "post/index"),
    ("post/indexes.md", "post/indexes"),
])
def test_article_ids_of_page_bundles(relative: str, expected: str, tmp_path: Path) -> None:
    assert article_id(tmp_path / relative, tmp_path) == expected


def test_section_files(tmp_path: Path, load_context: LoadContext) -> None:
    assert is_section_file(Path("_index.md")) and is_section_file(Path("a/_index.vi.md"))
    assert not is_section_file(Path("index.md")) and not is_section_file(Path("_index.txt"))
    section = tmp_path / "_index.md"
    section.write_text("---\ntitle: News\n---\n" + BODY, "utf-8")
    (tmp_path / "story.md").write_text(BODY, "utf-8")
    assert [p.name for p, _ in article_paths([tmp_path])] == ["story.md"]
    # Named on its own (newsforge inspect content/_index.md), it says why it is left out.
    outcome = attempt(section, tmp_path, load_context)
    assert isinstance(outcome, Problem) and outcome.severity is Severity.INFO
    assert "section" in outcome.message


def test_front_matter_alone_is_left_out_with_an_info_line(tmp_path: Path,
                                                          load_context: LoadContext) -> None:
    page = tmp_path / "archives.md"
    page.write_text('+++\ntitle = "Archives"\nlayout = "archives"\n+++\n', "utf-8")
    with pytest.raises(NotAnArticleError):
        load_file(page, tmp_path, load_context)
    outcome = attempt(page, tmp_path, load_context)
    assert isinstance(outcome, Problem)
    assert outcome.severity is Severity.INFO
    assert outcome.path.endswith("archives.md")
    assert outcome.format().startswith(f"{outcome.path}: info: ")


def test_drafts_cost_no_error_and_not_even_strict_fails(tmp_path: Path, site_config: Config,
                                                       languages: Languages) -> None:
    (tmp_path / "a.md").write_text("---\ndraft: true\n---\n" + BODY, "utf-8")
    (tmp_path / "b.md").write_text("+++\ndraft = false\n+++\n" + BODY, "utf-8")
    result = load_tree(replace(site_config, content=tmp_path), languages)
    assert [a.id for a in result.articles] == ["b"]
    assert [(Path(p.path).name, p.line, p.severity) for p in result.problems
            if p.severity is not Severity.WARNING] == [("a.md", 2, Severity.INFO)]
    with_drafts = load_tree(replace(site_config, content=tmp_path, drafts=True), languages)
    assert [a.id for a in with_drafts.articles] == ["a", "b"]
    assert dict(with_drafts.articles[0].extra).get("draft") is None


def test_a_sidecar_may_mark_a_draft_and_link_a_translation(tmp_path: Path, site_config: Config,
                                                           languages: Languages) -> None:
    story = ("HANOI – The city opened a new metro line on Sunday, the transport department "
             "said, the first of three lines planned for the capital.\n")
    (tmp_path / "a.txt").write_text(story, "utf-8")
    (tmp_path / "a.yaml").write_text("date: 2024-03-01\ndraft: true\n", "utf-8")
    (tmp_path / "b.txt").write_text(story, "utf-8")
    (tmp_path / "b.yaml").write_text("translationKey: metro\nlastmod: 2024-03-04\n", "utf-8")
    result = load_tree(replace(site_config, content=tmp_path), languages)
    assert [a.id for a in result.articles] == ["b"]
    assert result.articles[0].translation_key == "metro"
    assert result.articles[0].modified == Published(dt.date(2024, 3, 4))
    infos = [p for p in result.problems if p.severity is Severity.INFO]
    assert [(Path(p.path).name, p.line) for p in infos] == [("a.yaml", 2)]

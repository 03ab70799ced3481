"""Property tests for the front matter readers: any text gives a reading (and a whole file
an Article) or a LoadError naming a line inside the file, never another exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from newsforge.errors import LoadError
from newsforge.loader import LoadContext, load_file
from newsforge.loader.frontmatter import read_markdown
from newsforge.model import Article

LANGS = ("en", "vi", "sv")
PARSER = MarkdownIt("commonmark")
FOLDER = Path(tempfile.mkdtemp(prefix="newsforge-frontmatter-"))

# Lines shaped like the three front matter formats and their Hugo and Zola keys, so the
# examples reach the readers' deeper rules.
FRONT_LINES = st.sampled_from([
    "+++", "---", "...", "{", "}", "[", "]", "", 'title = "Ferry route opens"',
    "title = ''", "date = 2024-03-04", "date = 2024-02-30", "date = 07:32:00",
    "lastmod = 1979-05-27T07:32:00Z", 'publishDate = "next week"', "draft = true",
    'draft = "maybe"', 'translationKey = "bridge"', "translationKey = 3", "tags = [",
    '  "transport",', "[taxonomies]", "[extra]", "[ author ]", 'name = "Desk"',
    "author = {name = 1}", 'lang = "vi"', 'language = "xx"', 'url = "/about/"',
    "title: Cầu mới thông xe", "date: 2024-03-09", "draft: yes", "tags: [a, b]",
    "publishDate: 2024-13-01", "author: {name: Desk}", "  bad: indent",
    '"title": "Harbour",', '"date": "2024-02-20",', '"tags": ["a", "b"]', '"draft": true',
    '{"title": "x"}', "{{< youtube abc >}}", "<!--more-->", "# Heading",
    "The council approved the budget for the harbour on Tuesday, the chairman said.",
])
TEXTS = st.one_of(
    st.lists(FRONT_LINES, max_size=14).map("\n".join),
    st.text(max_size=300),
    st.tuples(st.sampled_from(["+++\n", "---\n", "{", ""]),
              st.text(alphabet='{}[]"=:,\n +-.aTt0123', max_size=120)).map("".join),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8)


def _check_error(error: LoadError, text: str) -> None:
    assert error.path and error.message and error.hint
    assert error.line is None or 1 <= error.line <= text.count("\n") + 1


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_any_text_reads_or_fails_with_a_line(text: str) -> None:
    try:
        reading = read_markdown(text, "a.md", LANGS, PARSER)
    except LoadError as error:
        _check_error(error, text)
        return
    for block in reading.blocks:
        assert block.span.line >= 1
        assert text.split("\n")[block.span.line - 1].strip(), "a block starts on a text line"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, suffix=st.sampled_from([".md", ".vi.md", ".markdown"]))
def test_any_file_is_an_article_or_a_load_error(text: str, suffix: str,
                                                load_context: LoadContext) -> None:
    path = FOLDER / f"page{suffix}"
    path.write_text(text, "utf-8")
    try:
        article = load_file(path, FOLDER, load_context)
    except LoadError as error:
        _check_error(error, text.replace("\r\n", "\n").replace("\r", "\n"))
        return
    assert isinstance(article, Article)
    assert article.paragraphs
    assert article.id == ("page-vi" if suffix == ".vi.md" else "page")


@settings(max_examples=200, deadline=None)
@given(values=st.dictionaries(st.text(max_size=12), JSON_VALUES, max_size=6),
       indent=st.sampled_from([None, 2]))
def test_json_objects_read_or_fail_on_their_own_line(values: dict[str, Any],
                                                     indent: int | None) -> None:
    front = json.dumps(values, indent=indent, ensure_ascii=False)
    text = f"{front}\n\nThe harbour reopened on Monday after the storm, officials said.\n"
    try:
        reading = read_markdown(text, "a.md", LANGS, PARSER)
    except LoadError as error:
        _check_error(error, text)
        assert error.line is not None and error.line <= front.count("\n") + 1
        return
    assert reading.front_matter == "JSON"
    assert reading.blocks[-1].text.startswith("The harbour reopened")
    assert reading.blocks[-1].span.line == front.count("\n") + 3

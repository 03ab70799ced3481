"""Each fixture article is loaded and compared with the record its .expected.yaml describes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from newsforge.loader import LoadContext, load_file
from newsforge.model import Article

FIXTURES = Path(__file__).parent / "fixtures"

CASES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".md"))
# Every fixture states these exactly (null where the page has none): a field left out of
# an expectation would let a regression in it pass unseen.
REQUIRED = ("language", "date", "title", "source", "author", "body_starts", "body_ends")
# The hand-written fixtures cover at least these languages.
LANGUAGES = {"en", "vi", "sv", "zh", "ja", "th", "lo", "km", "ru", "es", "fr", "de", "id"}


def _expected(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.with_name(path.stem + ".expected.yaml").read_text("utf-8"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_article(path: Path, load_context: LoadContext) -> None:
    expected = _expected(path)
    article = load_file(path, FIXTURES, load_context)
    _check(article, expected)


def _check(article: Article, expected: dict[str, Any]) -> None:
    assert article.language == expected["language"]
    date = article.published.isoformat() if article.published else None
    assert date == expected.get("date")
    if "date_source" in expected:
        assert article.date_source.value == expected["date_source"]
    if "partial_date" in expected:
        assert article.partial_date is not None
        assert [article.partial_date.month, article.partial_date.day] == expected["partial_date"]
    assert article.title == expected["title"]
    if "title_synthesised" in expected:
        assert article.title_synthesised is expected["title_synthesised"]
        assert article.title  # a synthesised title is never empty
    assert article.author == expected["author"]
    if "dateline" in expected:
        assert article.dateline == expected["dateline"]
    assert (article.source.name if article.source else None) == expected["source"]
    if "source_url" in expected:
        assert article.source is not None and article.source.url == expected["source_url"]
    assert article.body.startswith(expected["body_starts"])
    assert article.body.endswith(expected["body_ends"])
    for chrome in expected.get("not_in_body", []):
        assert chrome not in article.body, f"{chrome!r} leaked into the body"
    for kept in expected.get("in_body", []):
        assert kept in article.body
    if "paragraphs" in expected:
        assert len(article.paragraphs) == expected["paragraphs"]
    if "warning_contains" in expected:
        assert any(expected["warning_contains"] in p.message for p in article.problems)


def test_every_fixture_has_its_expectations() -> None:
    for path in CASES:
        assert path.with_name(path.stem + ".expected.yaml").exists(), path
        missing = [key for key in REQUIRED if key not in _expected(path)]
        assert not missing, f"{path.name}: state {missing} in its .expected.yaml"
    assert {p.parent.name for p in CASES} >= LANGUAGES

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsforge.langdata import Languages, load_languages
from newsforge.model import Article, Paragraph, Span
from newsforge.tagger.rules import Rules, compile_rules

MakeArticle = Callable[..., Article]


@pytest.fixture(scope="session")
def languages() -> Languages:
    return load_languages()


@pytest.fixture(scope="session")
def rules(languages: Languages) -> Rules:
    return compile_rules(languages)


def build_article(article_id: str, language: str, text: str) -> Article:
    """An Article whose paragraphs are the non-empty lines of ``text``."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    paragraphs = tuple(Paragraph(line, Span(f"{article_id}.txt", n + 1))
                       for n, line in enumerate(lines))
    return Article(id=article_id, path=f"{article_id}.txt", content_hash=article_id,
                   language=language, title="", title_synthesised=True, paragraphs=paragraphs)


@pytest.fixture()
def make_article() -> MakeArticle:
    return build_article

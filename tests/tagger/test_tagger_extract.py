"""Extraction fixtures per language: every mention found, and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from newsforge.tagger.extract import extract_article
from newsforge.tagger.rules import Rules

FIXTURES = Path(__file__).parent / "fixtures"


def _cases() -> list[Any]:
    cases = []
    for path in sorted(FIXTURES.glob("extract_*.yaml")):
        language = path.stem.split("_", 1)[1]
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(language, case, id=f"{language}: {case['name']}"))
    return cases


@pytest.mark.parametrize(("language", "case"), _cases())
def test_extraction_fixture(language: str, case: dict[str, Any], rules: Rules,
                            make_article: Any) -> None:
    article = make_article("fixture", language, case["text"])
    found = {(m.type.value, m.text) for m in extract_article(article, rules).mentions}
    expected = {(t, text) for t, text in case["mentions"]}
    assert found == expected, (
        f"missing {sorted(expected - found)}, unexpected {sorted(found - expected)}")


def test_mentions_carry_their_place(rules: Rules, make_article: Any) -> None:
    text = "Yesterday Prime Minister Phạm Minh Chính spoke.\nChính left at noon."
    article = make_article("places", "en", text)
    mentions = extract_article(article, rules).mentions
    for mention in mentions:
        paragraph = article.paragraphs[mention.paragraph].text
        assert paragraph[mention.start:mention.end] == mention.text
    assert [(m.paragraph, m.text) for m in mentions] == [(0, "Phạm Minh Chính"), (1, "Chính")]


def test_a_character_beyond_the_bmp_changes_no_mention(rules: Rules,
                                                       make_article: Any) -> None:
    # Such an article is read with the name patterns' ``\W`` as written, the others with
    # it listed: the two find the same names, in this paragraph and in the others.
    first = "General Secretary Tô Lâm met the Lao People's Revolutionary Party in Vientiane."
    plain = make_article("plain", "en", f"{first}\nThe Communist Party of Vietnam agreed.")
    wide = make_article("wide", "en", f"{first}\nThe Communist Party of Vietnam agreed. 🇻🇳")
    found = [(m.paragraph, m.start, m.end, m.key)
             for m in extract_article(plain, rules).mentions]
    assert found
    assert [(m.paragraph, m.start, m.end, m.key)
            for m in extract_article(wide, rules).mentions] == found

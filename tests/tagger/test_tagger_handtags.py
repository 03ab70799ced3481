"""Hand tags: front-matter lists of people, parties, organisations and events (and the
configured tags/categories) become entities merged with what the tagger finds."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from newsforge.config import default_config, load_config
from newsforge.errors import ConfigError
from newsforge.langdata import Languages
from newsforge.loader import load_tree
from newsforge.model import Article, EntityType, Tagging
from newsforge.tagger import tag_archive
from newsforge.tagger.handtags import FRONT_MATTER
from newsforge.tagger.rules import Rules

TEXT_VI = """
    Chủ tịch Quốc hội Vương Đình Huệ tiếp Đoàn đại biểu cấp cao tại Hà Nội sáng 12/3.
    Hai bên trao đổi về hợp tác giữa hai cơ quan lập pháp.
"""
TEXT_EN = """
    Lawmakers from both countries met in Hanoi on Tuesday to discuss trade rules.
    The talks covered customs procedures and a new border crossing.
"""


def _tagged(article: Article, *extra: tuple[str, str]) -> Article:
    return dataclasses.replace(article, extra=tuple(sorted(extra)))


def _entities_of(tagging: Tagging, article_id: str) -> dict[str, Any]:
    ids = {m.entity_id for m in tagging.mentions if m.article_id == article_id}
    return {e.id: e for e in tagging.entities if e.id in ids}


def test_a_listed_person_found_in_the_text_is_one_entity(languages: Languages, rules: Rules,
                                                          make_article: Any) -> None:
    article = _tagged(make_article("a", "vi", TEXT_VI), ("people", "Vương Đình Huệ"))
    tagging = tag_archive([article], languages, rules=rules)
    people = [e for e in tagging.entities if e.type is EntityType.PERSON]
    assert [p.id for p in people] == ["person/vuong-dinh-hue"]
    # Found in the text: no extra front-matter mention.
    assert all(m.paragraph != FRONT_MATTER for m in tagging.mentions)


def test_a_listed_person_absent_from_the_text_counts(languages: Languages, rules: Rules,
                                                     make_article: Any) -> None:
    tagged = _tagged(make_article("b", "en", TEXT_EN), ("people", "Vuong Dinh Hue, Bui Thanh Son"))
    named = make_article("a", "vi", TEXT_VI)
    tagging = tag_archive([tagged, named], languages, rules=rules)
    found = _entities_of(tagging, "b")
    # The hand tag joins the entity another article names in its text, diacritics and all.
    assert set(found) == {"person/vuong-dinh-hue", "person/bui-thanh-son"}
    assert found["person/vuong-dinh-hue"].name == "Vương Đình Huệ"
    front = [m for m in tagging.mentions if m.article_id == "b"]
    assert {m.paragraph for m in front} == {FRONT_MATTER}
    assert {m.text for m in front} == {"Vuong Dinh Hue", "Bui Thanh Son"}


def test_listed_parties_and_organisations_use_the_gazetteer(languages: Languages, rules: Rules,
                                                           make_article: Any) -> None:
    article = _tagged(make_article("a", "en", TEXT_EN),
                      ("parties", "CPV, Mekong Green Party"), ("organisations", "ASEAN"))
    tagging = tag_archive([article], languages, rules=rules)
    found = _entities_of(tagging, "a")
    assert found["party/communist-party-of-vietnam"].type is EntityType.PARTY
    assert found["organisation/asean"].type is EntityType.ORGANISATION
    # A party the gazetteer does not know is still the editor's party.
    assert found["party/mekong-green-party"].type is EntityType.PARTY


def test_listed_events_become_events(languages: Languages, rules: Rules,
                                     make_article: Any) -> None:
    one = _tagged(make_article("a", "en", TEXT_EN), ("events", "Mekong Trade Forum 2024"))
    two = _tagged(make_article("b", "en", TEXT_EN), ("events", "Mekong Trade Forum 2024"))
    tagging = tag_archive([one, two], languages, rules=rules)
    events = [e for e in tagging.entities if e.type is EntityType.EVENT]
    assert [e.name for e in events] == ["Mekong Trade Forum 2024"]
    assert {m.article_id for m in tagging.mentions if m.entity_id == events[0].id} == {"a", "b"}


def test_auto_tags_join_known_entities_and_leave_topics_out(languages: Languages, rules: Rules,
                                                            make_article: Any) -> None:
    article = _tagged(make_article("a", "en", TEXT_EN),
                      ("tags", "diplomacy, ASEAN, trade"), ("categories", "Politics"))
    tagging = tag_archive([article], languages, rules=rules)
    assert set(_entities_of(tagging, "a")) == {"organisation/asean"}


def test_the_mapping_decides_what_tags_list(languages: Languages, rules: Rules,
                                            make_article: Any) -> None:
    article = _tagged(make_article("a", "en", TEXT_EN),
                      ("tags", "Mekong Green Party"), ("categories", "Vuong Dinh Hue"))
    mapped = tag_archive([article], languages, rules=rules,
                         hand_tags={"tags": "party", "categories": "person"})
    assert set(_entities_of(mapped, "a")) == {"party/mekong-green-party",
                                              "person/vuong-dinh-hue"}
    ignored = tag_archive([article], languages, rules=rules, hand_tags={})
    assert _entities_of(ignored, "a") == {}


def test_front_matter_lists_reach_the_tagger(tmp_path: Path, languages: Languages,
                                             rules: Rules) -> None:
    (tmp_path / "visit.md").write_text(
        "---\ntitle: Lawmakers meet in Hanoi\nlanguage: en\ndate: 2024-03-12\n"
        "people: [Vuong Dinh Hue]\ntags: [ASEAN, diplomacy]\n---\n\n"
        "Lawmakers from both countries met in Hanoi on Tuesday to discuss trade rules.\n",
        encoding="utf-8")
    config = dataclasses.replace(default_config(tmp_path), content=tmp_path)
    loaded = load_tree(config, languages)
    tagging = tag_archive(loaded.articles, languages, rules=rules,
                          hand_tags=dict(config.hand_tags))
    assert {e.id for e in tagging.entities} == {"person/vuong-dinh-hue", "organisation/asean"}


def test_hand_tags_config_key(tmp_path: Path) -> None:
    assert dict(default_config(tmp_path).hand_tags) == {"tags": "auto", "categories": "auto"}
    path = tmp_path / "newsforge.yaml"
    path.write_text("hand_tags: {Tags: person, categories: party}\n", encoding="utf-8")
    assert dict(load_config(path).hand_tags) == {"tags": "person", "categories": "party"}
    path.write_text("hand_tags:\n  tags: topic\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 1: hand_tags: 'tags' must map to one of"):
        load_config(path)

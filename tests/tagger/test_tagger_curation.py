"""The editor's entity file: each operation changes the result; bad files name their line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsforge.errors import CurationError
from newsforge.langdata import Languages
from newsforge.model import EntityType, Severity, Tagging
from newsforge.tagger import tag_archive
from newsforge.tagger.curation import load_curation, parse_curation
from newsforge.tagger.rules import Rules

TEXT = """
    Prime Minister Phạm Minh Chính met Lao Prime Minister Sonexay Siphandone in Vientiane.
    Chính and Sonexay agreed to open the Ha Tinh Friendship Forum 2026.
    Earlier, Pham Minh Chinh had called the Lao Front for National Construction a partner.
"""


@pytest.fixture()
def articles(make_article: Any) -> list[Any]:
    return [make_article("a", "en", TEXT)]


def _tag(articles: list[Any], languages: Languages, rules: Rules, yaml_text: str) -> Tagging:
    curation = parse_curation(yaml_text, "entities.yaml")
    return tag_archive(articles, languages, curation, rules=rules)


def _ids(tagging: Tagging) -> set[str]:
    return {e.id for e in tagging.entities}


def test_without_curation(articles: list[Any], languages: Languages, rules: Rules) -> None:
    tagging = tag_archive(articles, languages, rules=rules)
    assert {"person/pham-minh-chinh", "person/sonexay-siphandone",
            "organisation/lao-front-for-national-construction"} <= _ids(tagging)


def test_merge_moves_mentions_and_names(articles: list[Any], languages: Languages,
                                        rules: Rules) -> None:
    tagging = _tag(articles, languages, rules, """
merge:
  - into: person/pham-minh-chinh
    from: [person/sonexay-siphandone]
""")
    assert "person/sonexay-siphandone" not in _ids(tagging)
    texts = {m.text for m in tagging.mentions if m.entity_id == "person/pham-minh-chinh"}
    assert {"Sonexay Siphandone", "Sonexay", "Chính"} <= texts
    merged = next(e for e in tagging.entities if e.id == "person/pham-minh-chinh")
    assert "Sonexay Siphandone" in merged.aliases


def test_split_moves_the_listed_spellings(articles: list[Any], languages: Languages,
                                          rules: Rules) -> None:
    tagging = _tag(articles, languages, rules, """
split:
  - from: person/pham-minh-chinh
    into: person/pham-minh-chinh-ascii
    name: Pham Minh Chinh (ASCII)
    mentions: [Pham Minh Chinh]
""")
    moved = {m.text for m in tagging.mentions if m.entity_id == "person/pham-minh-chinh-ascii"}
    kept = {m.text for m in tagging.mentions if m.entity_id == "person/pham-minh-chinh"}
    assert moved == {"Pham Minh Chinh"}
    assert "Pham Minh Chinh" not in kept and "Phạm Minh Chính" in kept
    entity = next(e for e in tagging.entities if e.id == "person/pham-minh-chinh-ascii")
    assert entity.name == "Pham Minh Chinh (ASCII)"


def test_rename_changes_display_names(articles: list[Any], languages: Languages,
                                      rules: Rules) -> None:
    tagging = _tag(articles, languages, rules, """
rename:
  - id: person/sonexay-siphandone
    name: Sonexay Siphandone (Laos)
    names: {sv: Sonexay Siphandone}
""")
    entity = next(e for e in tagging.entities if e.id == "person/sonexay-siphandone")
    assert entity.name == "Sonexay Siphandone (Laos)"
    assert entity.name_in("sv") == "Sonexay Siphandone"
    assert "Sonexay Siphandone" in entity.aliases


def test_suppress_removes_entity_and_mentions(articles: list[Any], languages: Languages,
                                              rules: Rules) -> None:
    plain = tag_archive(articles, languages, rules=rules)
    assert any(m.entity_id == "person/sonexay-siphandone" for m in plain.mentions)
    tagging = _tag(articles, languages, rules, "suppress: [person/sonexay-siphandone]\n")
    assert _ids(tagging) == _ids(plain) - {"person/sonexay-siphandone"}
    assert all(m.entity_id != "person/sonexay-siphandone" for m in tagging.mentions)
    assert [m for m in tagging.mentions] == [
        m for m in plain.mentions if m.entity_id != "person/sonexay-siphandone"]


def test_set_type_and_aliases(articles: list[Any], languages: Languages, rules: Rules) -> None:
    tagging = _tag(articles, languages, rules, """
set_type:
  - {id: organisation/lao-front-for-national-construction, type: party}
aliases:
  - {id: person/pham-minh-chinh, add: [Anh Chính]}
""")
    front = next(e for e in tagging.entities
                 if e.id == "organisation/lao-front-for-national-construction")
    assert front.type is EntityType.PARTY
    assert all(m.type is EntityType.PARTY for m in tagging.mentions if m.entity_id == front.id)
    person = next(e for e in tagging.entities if e.id == "person/pham-minh-chinh")
    assert "Anh Chính" in person.aliases


def test_unknown_ids_are_warnings_not_errors(articles: list[Any], languages: Languages,
                                             rules: Rules) -> None:
    tagging = _tag(articles, languages, rules, "\nsuppress: [person/nobody-here]\n")
    assert [(p.line, p.severity) for p in tagging.problems] == [(2, Severity.WARNING)]
    # The rest of the file still applies and nothing else is lost.
    assert "person/sonexay-siphandone" in _ids(tagging)
    assert _ids(tagging) == _ids(tag_archive(articles, languages, rules=rules))
    assert "person/nobody-here" in tagging.problems[0].message


@pytest.mark.parametrize(("text", "line", "words"), [
    ("merge:\n  - into: person/a\n    from: [person/b\n", 4, "invalid YAML"),
    ("merge:\n  - into: person/a\n   from: person/b\n", 3, "invalid YAML"),
    ("renames:\n  - id: person/a\n", 1, "unknown section 'renames'"),
    ("merge:\n  into: person/a\n", 2, "must be a list"),
    ("merge:\n  - from: [person/b]\n", 2, "missing 'into'"),
    ("suppress: [person/a, somebody]\n", 1, "'somebody' is not an entity id"),
    ("set_type:\n  - id: person/a\n    type: city\n", 3, "unknown entity type 'city'"),
    ("- just a list\n", 1, "must be a mapping"),
])
def test_malformed_files_name_path_and_line(tmp_path: Path, text: str, line: int,
                                            words: str) -> None:
    path = tmp_path / "entities.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CurationError) as caught:
        load_curation(path)
    assert caught.value.path == str(path)
    assert caught.value.line == line
    assert words in caught.value.message


def test_empty_file_is_no_curation(tmp_path: Path) -> None:
    path = tmp_path / "entities.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    curation = load_curation(path)
    assert curation.merges == () and curation.suppress == ()


def test_aliases_are_found_in_the_text(languages: Languages, rules: Rules,
                                       make_article: Any) -> None:
    article = make_article("b", "en", """
        Delegates paid tribute to President Hồ Chí Minh in Hà Nội.
        Children sang songs about the Father of the Nation all afternoon.
    """)
    plain = tag_archive([article], languages, rules=rules)
    assert "Father of the Nation" not in {m.text for m in plain.mentions}
    tagging = _tag([article], languages, rules,
                   "aliases:\n  - {id: person/ho-chi-minh, add: [Father of the Nation]}\n")
    assert {m.text for m in tagging.mentions if m.entity_id == "person/ho-chi-minh"} == {
        "Hồ Chí Minh", "Father of the Nation"}
    assert [e.id for e in tagging.entities] == ["person/ho-chi-minh"]

"""Resolution: short references, acronyms, languages, transliterations, stable ids."""

from __future__ import annotations

from typing import Any

import pytest

from newsforge.langdata import Languages
from newsforge.model import EntityType, Tagging
from newsforge.tagger import tag_archive
from newsforge.tagger.resolve import _assign_ids, same_romanised_name, skeleton
from newsforge.tagger.rules import Rules


def _ids_of(tagging: Tagging, text: str) -> set[str]:
    return {m.entity_id for m in tagging.mentions if m.text == text}


def _entity(tagging: Tagging, entity_id: str) -> Any:
    return next(e for e in tagging.entities if e.id == entity_id)


def test_short_reference_resolves_to_the_full_name(languages: Languages, rules: Rules,
                                                   make_article: Any) -> None:
    article = make_article("a", "en", """
        Minister of Industry and Trade Nguyễn Hồng Diên opened the fair on Monday.
        Diên said exports had grown by a fifth.
    """)
    tagging = tag_archive([article], languages, rules=rules)
    assert _ids_of(tagging, "Diên") == _ids_of(tagging, "Nguyễn Hồng Diên") == {
        "person/nguyen-hong-dien"}


def test_lao_short_reference_uses_the_given_name(languages: Languages, rules: Rules,
                                                 make_article: Any) -> None:
    article = make_article("a", "en", """
        The delegation was received by Saleumxay Kommasith, Lao Deputy Prime Minister.
        Saleumxay thanked his hosts.
    """)
    tagging = tag_archive([article], languages, rules=rules)
    assert _ids_of(tagging, "Saleumxay") == {"person/saleumxay-kommasith"}


def test_defined_acronym_names_the_organisation(languages: Languages, rules: Rules,
                                                make_article: Any) -> None:
    article = make_article("a", "en", """
        The Lao Youth Union (LYU) will train 300 volunteers.
        Officials of the LYU visited Luang Prabang in May.
    """)
    tagging = tag_archive([article], languages, rules=rules)
    ids = _ids_of(tagging, "LYU") | _ids_of(tagging, "Lao Youth Union")
    assert len(ids) == 1
    assert _entity(tagging, ids.pop()).type is EntityType.ORGANISATION


def test_one_party_in_three_languages(languages: Languages, rules: Rules,
                                      make_article: Any) -> None:
    articles = [
        make_article("en", "en", "The Communist Party of Viet Nam (CPV) met in Hà Nội."),
        make_article("vi", "vi", "Đảng Cộng sản Việt Nam tổ chức hội nghị tại Hà Nội."),
        make_article("sv", "sv", "Vietnams kommunistiska parti samlades i Hanoi."),
    ]
    tagging = tag_archive(articles, languages, rules=rules)
    party = _entity(tagging, "party/communist-party-of-vietnam")
    assert {m.article_id for m in tagging.mentions if m.entity_id == party.id} == {
        "en", "vi", "sv"}
    assert dict(party.names)["vi"] == "Đảng Cộng sản Việt Nam"
    assert dict(party.names)["sv"] == "Vietnams kommunistiska parti"
    assert "CPV" in _entity(tagging, party.id).aliases


@pytest.mark.parametrize(("first", "second", "expected"), [
    (("vi", "Chủ tịch nước Lương Cường tiếp Đại sứ Lào."),
     ("en", "State President Luong Cuong received the Lao ambassador."),
     {"Lương Cường": "person/luong-cuong", "Luong Cuong": "person/luong-cuong"}),
    (("en", "Talks were led by Bounthong Chitmany of Laos."),
     ("en", "The guest, Bounthong Chitmanyh, visited a school in Huế."),
     {"Bounthong Chitmany": "person/bounthong-chitmanyh",
      "Bounthong Chitmanyh": "person/bounthong-chitmanyh"}),
    (("en", "Laos is preparing for the 12th National Party Congress."),
     ("vi", "Lào đang chuẩn bị cho Đại hội XII."),
     {"12th National Party Congress":
      "event/12th-national-congress-of-the-lao-peoples-revolutionary-party",
      "Đại hội XII": "event/12th-national-congress-of-the-lao-peoples-revolutionary-party"}),
    (("sv", "To Lam talade vid 95-årsjubileet av Vietnams kommunistiska partis grundande."),
     ("vi", "Tô Lâm phát biểu tại lễ kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam."),
     {"95-årsjubileet av Vietnams kommunistiska partis grundande":
      "event/95th-anniversary-of-founding-of-the-communist-party-of-vietnam",
      "lễ kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam":
      "event/95th-anniversary-of-founding-of-the-communist-party-of-vietnam"}),
    (("vi", "Thủ tướng dự Hội nghị Cấp cao ASEAN lần thứ 47 tại Kuala Lumpur."),
     ("sv", "Premiärministern deltog i det 47:e Asean-toppmötet i Kuala Lumpur."),
     {"Hội nghị Cấp cao ASEAN lần thứ 47": "event/47th-asean-summit",
      "47:e Asean-toppmötet": "event/47th-asean-summit"}),
], ids=["diacritics", "lao romanisations", "congress in two languages", "party anniversary",
        "numbered summit"])
def test_one_entity_across_articles(first: tuple[str, str], second: tuple[str, str],
                                    expected: dict[str, str], languages: Languages,
                                    rules: Rules, make_article: Any) -> None:
    articles = [make_article("a", *first), make_article("b", *second)]
    tagging = tag_archive(articles, languages, rules=rules)
    assert {text: _ids_of(tagging, text) for text in expected} == {
        text: {entity_id} for text, entity_id in expected.items()}


def test_names_per_language_and_canonical_spelling(languages: Languages, rules: Rules,
                                                   make_article: Any) -> None:
    articles = [make_article("a", "vi", "Chủ tịch nước Lương Cường tiếp Đại sứ Lào."),
                make_article("b", "en", "President Luong Cuong received the Lao ambassador.")]
    entity = _entity(tag_archive(articles, languages, rules=rules), "person/luong-cuong")
    assert entity.name == "Lương Cường"  # the fuller spelling wins a tie
    assert dict(entity.names) == {"en": "Luong Cuong", "vi": "Lương Cường"}


def test_diacritics_win_over_a_more_frequent_plain_spelling(
        languages: Languages, rules: Rules, make_article: Any) -> None:
    articles = [
        make_article("a", "vi", "Thủ tướng Phạm Minh Chính tiếp Đại sứ Lào tại Hà Nội."),
        make_article("b", "en", "Prime Minister Pham Minh Chinh met the ambassador. "
                                "Pham Minh Chinh said ties were strong. "
                                "Pham Minh Chinh thanked him."),
    ]
    entity = _entity(tag_archive(articles, languages, rules=rules), "person/pham-minh-chinh")
    assert entity.name == "Phạm Minh Chính"
    assert dict(entity.names)["en"] == "Pham Minh Chinh"


def test_romanised_names_rule() -> None:
    assert same_romanised_name("khamphan pheuiyavong", "khamphanh pheuyavong")
    assert same_romanised_name("bounnhang vorachith", "bounnhang vorachit")
    # Short Vietnamese syllables are names of their own, never spelling variants.
    assert not same_romanised_name("nguyen van an", "nguyen van anh")
    assert not same_romanised_name("somsak phomvihane", "somchai phomvihane")
    assert not same_romanised_name("thongloun sisoulith", "thongloun")
    assert skeleton("pheuiyavong") == skeleton("pheuyavong")


def test_unqualified_congress_takes_the_party_the_article_names_most(
        languages: Languages, rules: Rules, make_article: Any) -> None:
    article = make_article("a", "en", """
        The Cambodian People's Party (CPP) met on Monday. The CPP praised the harvest.
        Officials discussed the resolution of the 7th National Congress.
    """)
    tagging = tag_archive([article], languages, rules=rules)
    event = _ids_of(tagging, "7th National Congress")
    assert event == {"event/7th-national-congress-of-the-cambodian-peoples-party"}


def test_ids_do_not_change_when_unrelated_articles_are_added(
        languages: Languages, rules: Rules, make_article: Any) -> None:
    first = make_article("a", "en", "Prime Minister Phạm Minh Chính met Hun Manet in Phnom Penh.")
    other = make_article("b", "sv", "Premiärminister Anutin Charnvirakul besökte Bangkok.")
    alone = tag_archive([first], languages, rules=rules)
    together = tag_archive([first, other], languages, rules=rules)
    assert {e.id for e in alone.entities} == {"person/pham-minh-chinh", "person/hun-manet"}
    assert {e.id for e in alone.entities} < {e.id for e in together.entities}
    assert [m for m in together.mentions if m.article_id == "a"] == list(alone.mentions)


def test_colliding_slugs_get_a_hash_of_their_own_key(rules: Rules) -> None:
    drafts = {"person:le van a": (EntityType.PERSON, "Lê Văn A"),
              "person:le-van a": (EntityType.PERSON, "Le-Van A"),
              "person:tran b": (EntityType.PERSON, "Trần B")}
    ids = _assign_ids(drafts, rules.lexicon)
    assert ids["person:tran b"] == "person/tran-b"
    first, second = ids["person:le van a"], ids["person:le-van a"]
    assert first != second
    assert first.startswith("person/le-van-a-") and second.startswith("person/le-van-a-")
    # The suffix depends on the key alone, not on what else is in the archive.
    assert _assign_ids({**drafts, "person:x": (EntityType.PERSON, "X")},
                       rules.lexicon)["person:le van a"] == first


def test_entities_are_sorted_and_mentions_point_at_them(
        languages: Languages, rules: Rules, make_article: Any) -> None:
    text = "General Secretary Tô Lâm met the ASEAN Secretary-General Kao Kim Hourn."
    article = make_article("a", "en", text)
    tagging = tag_archive([article], languages, rules=rules)
    ids = [e.id for e in tagging.entities]
    assert ids == ["organisation/asean", "person/kao-kim-hourn", "person/to-lam"]
    assert {m.entity_id for m in tagging.mentions} == set(ids)


def test_vietnamese_party_congress_defaults_to_the_home_party(
        languages: Languages, rules: Rules, make_article: Any) -> None:
    article = make_article("a", "vi", "Hội nghị chuẩn bị cho Đại hội XIV của Đảng.")
    tagging = tag_archive([article], languages, rules=rules)
    assert _ids_of(tagging, "Đại hội XIV") == {
        "event/14th-national-congress-of-the-communist-party-of-vietnam"}


def test_local_congress_belongs_to_the_local_committee(
        languages: Languages, rules: Rules, make_article: Any) -> None:
    article = make_article("a", "en", (
        "The Hà Nội Party Committee reviewed the 13th National Party Congress resolution "
        "and prepared the 18th Party Congress of the city."))
    tagging = tag_archive([article], languages, rules=rules)
    assert _ids_of(tagging, "13th National Party Congress") == {
        "event/13th-national-congress-of-the-communist-party-of-vietnam"}
    assert _ids_of(tagging, "18th Party Congress") == {
        "event/18th-party-congress-of-ha-noi-party-committee"}


def test_a_congress_named_by_its_partys_acronym(languages: Languages, rules: Rules,
                                                make_article: Any) -> None:
    articles = [
        make_article("a", "en", "Cambodia's ruling Cambodian People's Party (CPP) will send "
                                "a delegation to the 12th LPRP Congress next year."),
        make_article("b", "vi", "Đại hội XII của Đảng Nhân dân Cách mạng Lào sẽ diễn ra "
                                "vào đầu năm tới."),
    ]
    tagging = tag_archive(articles, languages, rules=rules)
    assert _ids_of(tagging, "12th LPRP Congress") == _ids_of(tagging, "Đại hội XII") == {
        "event/12th-national-congress-of-the-lao-peoples-revolutionary-party"}


def test_a_named_area_is_not_a_person(languages: Languages, rules: Rules,
                                      make_article: Any) -> None:
    article = make_article("a", "en", "Hun Manet and Sonexay Siphandone discussed the "
                                      "Cambodia-Laos-Vietnam Development Triangle Area and "
                                      "border trade.")
    tagging = tag_archive([article], languages, rules=rules)
    people = {e.id for e in tagging.entities if e.type is EntityType.PERSON}
    assert people == {"person/hun-manet", "person/sonexay-siphandone"}


def test_the_party_standing_alone_is_the_default_party(languages: Languages, rules: Rules,
                                                       make_article: Any) -> None:
    article = make_article("a", "vi", "Phó Thủ tướng Campuchia chuyển lời thăm hỏi của Chủ tịch "
                                      "Đảng Nhân dân Campuchia. Hai bên chuẩn bị cho Đại hội "
                                      "đại biểu toàn quốc lần thứ XIV của Đảng.")
    tagging = tag_archive([article], languages, rules=rules)
    assert _ids_of(tagging, "Đại hội đại biểu toàn quốc lần thứ XIV") == {
        "event/14th-national-congress-of-the-communist-party-of-vietnam"}


def test_an_event_gets_names_in_languages_that_never_mention_it(
        languages: Languages, rules: Rules, make_article: Any) -> None:
    article = make_article("a", "en", "The Lao People's Revolutionary Party (LPRP) will hold "
                                      "its 12th National Congress early next year.")
    tagging = tag_archive([article], languages, rules=rules)
    event = _entity(tagging,
                    "event/12th-national-congress-of-the-lao-peoples-revolutionary-party")
    names = dict(event.names)
    assert names["vi"] == "Đại hội XII của Đảng Nhân dân Cách mạng Lào"
    assert names["sv"] == "Laos folkrevolutionära partis 12:e kongress"
    assert names["en"] == "12th National Congress"

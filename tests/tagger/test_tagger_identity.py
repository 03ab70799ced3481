"""One person across scripts: Latin, Vietnamese, Chinese, Cyrillic, katakana, Lao, Thai and
Khmer forms of a name resolve to one entity, and different people stay apart.

Resolution is tested on mentions written here (what extraction would find), so these
tests do not depend on how well each language's names are found in running text.
"""

from __future__ import annotations

import pytest

from newsforge.model import Entity, EntityType
from newsforge.tagger.extract import ArticleMentions, Found
from newsforge.tagger.resolve import Resolved, resolve
from newsforge.tagger.romanise import phonetic, readings, script_of
from newsforge.tagger.rules import Rules, fold_key

# Two entities of the bundled gazetteer: reports of one story about Vietnam and Laos.
STORY = ("gaz:communist-party-of-vietnam", "gaz:lao-peoples-revolutionary-party")


def _article(article_id: str, language: str, *people: str,
             context: tuple[str, ...] = (), gap: int = 20) -> ArticleMentions:
    """An article naming ``people`` in one paragraph, ``gap`` characters apart, and the
    gazetteer entities ``context`` in a second paragraph."""
    found = []
    position = 0
    for name in people:
        found.append(Found(0, position, position + len(name), name, EntityType.PERSON,
                           f"person:{fold_key(name)}", name, language))
        position += len(name) + gap
    for n, key in enumerate(context):
        found.append(Found(1, n * 40, n * 40 + 10, key, EntityType.PARTY, key, key, language))
    return ArticleMentions(article_id, language, 2024, tuple(found))


def _person(resolved: Resolved, name: str) -> Entity:
    ids = {m.entity_id for m in resolved.mentions if m.text == name}
    assert len(ids) == 1, (name, ids)
    return next(e for e in resolved.entities if e.id in ids)


def _people(resolved: Resolved) -> list[Entity]:
    return [e for e in resolved.entities if e.type is EntityType.PERSON]


FORMS = {
    "vi": "Võ Văn Thưởng",
    "en": "Vo Van Thuong",
    "ru": "Во Ван Тхыонг",
    "zh": "武文赏",
    "ja": "ヴォー・ヴァン・トゥオン",
    "lo": "ວໍ ວັນ ເທືອງ",
    "th": "โว วัน เถื่อง",
    "km": "វ៉ោ វ៉ាន់ ធឿង",
}


def test_one_person_in_eight_scripts_is_one_entity(rules: Rules) -> None:
    extracted = [_article(f"{lang}-1", lang, name, context=STORY)
                 for lang, name in FORMS.items()]
    resolved = resolve(extracted, rules.lexicon)
    people = _people(resolved)
    assert len(people) == 1
    person = people[0]
    assert person.id == "person/vo-van-thuong"
    assert person.name == "Võ Văn Thưởng"
    # Every language's page shows the name in that language's own script.
    assert dict(person.names) == FORMS


def test_exact_readings_unite_without_other_evidence(rules: Rules) -> None:
    # Cyrillic and the Sino-Vietnamese reading of Chinese characters give Vietnamese names
    # back letter for letter: no shared story is needed.
    extracted = [_article("a", "vi", "Bùi Thanh Sơn"), _article("b", "ru", "Буй Тхань Шон"),
                 _article("c", "zh", "裴青山"), _article("d", "en", "Vuong Dinh Hue"),
                 _article("e", "ru", "Выонг Динь Хюэ"), _article("f", "zh", "王廷惠")]
    resolved = resolve(extracted, rules.lexicon)
    assert {e.id for e in _people(resolved)} == {"person/bui-thanh-son",
                                                 "person/vuong-dinh-hue"}
    assert _person(resolved, "Буй Тхань Шон").id == "person/bui-thanh-son"
    assert _person(resolved, "王廷惠").id == "person/vuong-dinh-hue"


def test_sound_only_forms_unite_with_the_one_name_they_match(rules: Rules) -> None:
    # Reports of one person in other languages are usually other stories: Khmer and kana
    # forms whose keys equal those of one Latin name join it with nothing else in common.
    alone = [_article("a", "vi", "Võ Văn Thưởng", context=STORY),
             _article("b", "km", FORMS["km"]), _article("c", "ja", FORMS["ja"])]
    (person,) = _people(resolve(alone, rules.lexicon))
    assert person.id == "person/vo-van-thuong"
    assert dict(person.names) == {"vi": FORMS["vi"], "km": FORMS["km"], "ja": FORMS["ja"]}


def test_a_sound_only_form_matching_two_names_joins_neither(rules: Rules) -> None:
    extracted = [_article("a", "vi", "Lê Văn Hà"), _article("b", "vi", "Lã Văn Hạ"),
                 _article("c", "th", "เล วัน ฮา")]
    resolved = resolve(extracted, rules.lexicon)
    assert len(_people(resolved)) == 3
    assert _person(resolved, "เล วัน ฮา").id not in {
        _person(resolved, "Lê Văn Hà").id, _person(resolved, "Lã Văn Hạ").id}


def test_several_forms_in_one_script_may_join_one_name(rules: Rules) -> None:
    # Two Thai spellings of one Lao name: each chooses the Latin name, so all three unite.
    extracted = [_article("a", "en", "Bounthong Chitmany"),
                 _article("b", "th", "บุญทอง จิตมณี"), _article("c", "lo", "ບຸນທອງ ຈິດມະນີ"),
                 _article("d", "th", "บุนทอง จิดมะนี")]
    (person,) = _people(resolve(extracted, rules.lexicon))
    assert person.id == "person/bounthong-chitmany"


def test_a_near_short_name_needs_a_shared_story(rules: Rules) -> None:
    # "กง โสภัล" is one letter from "Kong Sophal" (a Thai final "l" is spoken "n") and
    # carries few consonants: alone it stays apart, in a report of the same story it joins.
    alone = [_article("a", "en", "Kong Sophal", context=STORY), _article("b", "th", "กง โสภัล")]
    assert len(_people(resolve(alone, rules.lexicon))) == 2
    linked = [_article("a", "en", "Kong Sophal", context=STORY),
              _article("b", "th", "กง โสภัล", context=STORY)]
    assert len(_people(resolve(linked, rules.lexicon))) == 1


def test_chinese_transliterations_meet_on_the_sounds_mandarin_keeps(rules: Rules) -> None:
    # Mandarin drops closing stops and breaks up clusters: "巴速坤" renders "Prak Sokhonn",
    # "凯山·丰威汉" "Kaysone Phomvihane"; no story in common is needed.
    extracted = [_article("en", "en", "Kaysone Phomvihane", "Prak Sokhonn"),
                 _article("zh", "zh", "凯山·丰威汉", gap=30),
                 _article("zh2", "zh", "巴速坤"),
                 _article("lo", "lo", "ໄກສອນ ພົມວິຫານ")]
    resolved = resolve(extracted, rules.lexicon)
    person = _person(resolved, "凯山·丰威汉")
    assert person.id == "person/kaysone-phomvihane"
    assert _person(resolved, "ໄກສອນ ພົມວິຫານ").id == person.id
    assert dict(person.names)["zh"] == "凯山·丰威汉"
    assert _person(resolved, "巴速坤").id == "person/prak-sokhonn"
    # Three consonants are too few to tell: "索·真达" meets "Sok Chenda" only in one story.
    unlinked = [_article("en", "en", "Sok Chenda", context=STORY[:1]),
                _article("zh", "zh", "索·真达")]
    assert len(_people(resolve(unlinked, rules.lexicon))) == 2
    linked = [_article("en", "en", "Sok Chenda", context=STORY),
              _article("zh", "zh", "索·真达", context=STORY)]
    assert len(_people(resolve(linked, rules.lexicon))) == 1


def test_a_glossed_form_means_the_same_person_elsewhere(rules: Rules) -> None:
    # One article writes "韩桑林(Heng Samrin)"; another writes "韩桑林" alone.
    glossed = ArticleMentions("a", "zh", 2024, (
        Found(0, 0, 3, "韩桑林", EntityType.PERSON, "person:heng samrin", "韩桑林", "zh"),
        Found(0, 4, 15, "Heng Samrin", EntityType.PERSON, "person:heng samrin",
              "Heng Samrin", "zh")))
    alone = _article("b", "zh", "韩桑林")
    resolved = resolve([glossed, alone], rules.lexicon)
    assert {m.entity_id for m in resolved.mentions} == {"person/heng-samrin"}


def test_a_name_glossed_in_brackets_is_the_same_person(rules: Rules) -> None:
    # "富米·冯维希(Phoumi Vongvichit)": the Latin form right after the Chinese one.
    glossed = _article("zh", "zh", "富米·冯维希", "Phoumi Vongvichit", gap=1)
    assert len(_people(resolve([glossed], rules.lexicon))) == 1
    # Two people named apart in one article stay two.
    apart = _article("zh", "zh", "富米·冯维希", "Kaysone Phomvihane", gap=1)
    far = _article("zh", "zh", "富米·冯维希", "Phoumi Vongvichit", gap=30)
    assert len(_people(resolve([apart], rules.lexicon))) == 2
    assert len(_people(resolve([far], rules.lexicon))) == 2


def test_similar_short_names_of_different_people_stay_apart(rules: Rules) -> None:
    # Two Vietnamese names with one phonetic key: a Cyrillic form matching both joins neither.
    extracted = [_article("a", "vi", "Lê Văn Hà"), _article("b", "vi", "Lã Văn Hạ"),
                 _article("c", "ru", "Ле Ван Ха")]
    resolved = resolve(extracted, rules.lexicon)
    assert len(_people(resolved)) == 3
    assert _person(resolved, "Lê Văn Hà").id != _person(resolved, "Lã Văn Hạ").id


def test_a_short_key_needs_evidence(rules: Rules) -> None:
    # "Tô An" has two consonants: too little to unite on its own ...
    apart = [_article("a", "vi", "Tô An"), _article("b", "ru", "То Ан")]
    assert len(_people(resolve(apart, rules.lexicon))) == 2
    # ... but one story makes it one person.
    linked = [_article("a", "vi", "Tô An", context=STORY),
              _article("b", "ru", "То Ан", context=STORY)]
    assert len(_people(resolve(linked, rules.lexicon))) == 1


def test_latin_names_never_meet_by_sound_alone(rules: Rules) -> None:
    # The phonetic key only bridges scripts: two Latin spellings of different names stay
    # apart even in one story.
    extracted = [_article("a", "vi", "Lê Văn Hà", context=STORY),
                 _article("b", "en", "La Van Ha", context=STORY)]
    assert len(_people(resolve(extracted, rules.lexicon))) == 2


def test_resolution_does_not_depend_on_article_order(rules: Rules) -> None:
    extracted = [_article(f"{lang}-1", lang, name, context=STORY)
                 for lang, name in FORMS.items()]
    forward = resolve(extracted, rules.lexicon)
    backward = resolve(list(reversed(extracted)), rules.lexicon)
    assert forward == backward


@pytest.mark.parametrize(("latin", "other"), [
    ("Bùi Thanh Sơn", "Буй Тхань Шон"),
    ("Vương Đình Huệ", "Выонг Динь Хюэ"),
    ("Võ Văn Thưởng", "武文赏"),
    ("Võ Văn Thưởng", "ヴォー・ヴァン・トゥオン"),
    ("Kaysone Phomvihane", "ໄກສອນ ພົມວິຫານ"),
    ("Abhisit Vejjajiva", "อภิสิทธิ์ เวชชาชีวะ"),
    ("Tô Lâm", "ໂຕເລິມ"),
    ("Choummaly Sayasone", "ຈູມມະລີ ໄຊຍະສອນ"),
    ("Phạm Minh Chính", "ฝ่าม มิญ จิ่ง"),
    ("Sam Rainsy", "สม รังสี"),
    ("Chhun Lim", "ชุน ลิม"),
])
def test_readings_meet_on_one_phonetic_key(latin: str, other: str) -> None:
    (latin_reading,) = readings(latin)
    assert latin_reading.exact
    # Lao writes a name as one run: the keys meet whole.
    whole = "".join(latin_reading.keys).rstrip("_")
    assert whole in {"".join(r.keys).rstrip("_") for r in readings(other)}


def test_scripts_and_keys() -> None:
    assert [script_of(n) for n in ("Tô Lâm", "武文赏", "トー", "Во", "ວໍ", "โว", "វ៉ោ")] == [
        "LATIN", "CJK", "KANA", "CYRILLIC", "LAO", "THAI", "KHMER"]
    # Epenthetic kana vowel dropped, r and l one sound: "ramu" = "lam".
    assert phonetic("ramu") == phonetic("lam") == "l_m"
    assert phonetic("truong") == phonetic("chuong") != phonetic("tuong")
    assert readings("123") == ()

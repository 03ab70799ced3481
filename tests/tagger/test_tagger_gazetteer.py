"""The gazetteer: parties and organisations named in every language and script."""

from __future__ import annotations

from typing import Any

import pytest

from newsforge.langdata import Languages
from newsforge.model import EntityType, Tagging
from newsforge.tagger import tag_archive
from newsforge.tagger.rules import GazetteerEntry, Rules, compile_lexicon, compile_rules


def _ids_of(tagging: Tagging, text: str) -> set[str]:
    return {m.entity_id for m in tagging.mentions if m.text == text}


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("fr", "Le Parti communiste du Vietnam a salué mardi le rôle de l'ASEAN dans la région.",
     {"Parti communiste du Vietnam": "party/communist-party-of-vietnam",
      "ASEAN": "organisation/asean"}),
    ("es", "El Partido Popular de Camboya pidió ayuda a la Organización Mundial de la Salud "
           "tras las inundaciones.",
     {"Partido Popular de Camboya": "party/cambodian-peoples-party",
      "Organización Mundial de la Salud": "organisation/world-health-organization"}),
    ("de", "Die Kommunistische Partei Chinas begrüßte das Gipfeltreffen der Shanghaier "
           "Organisation für Zusammenarbeit.",
     {"Kommunistische Partei Chinas": "party/communist-party-of-china",
      "Shanghaier Organisation für Zusammenarbeit":
      "organisation/shanghai-cooperation-organisation"}),
    ("ru", "Делегация Народно-революционной партии Лаоса посетила штаб-квартиру ООН.",
     {"Народно-революционной партии Лаоса": "party/lao-peoples-revolutionary-party",
      "ООН": "organisation/united-nations"}),
    ("id", "Utusan Partai Komunis Vietnam bertemu pejabat Kemlu RI untuk membahas kerja sama "
           "maritim.",
     {"Partai Komunis Vietnam": "party/communist-party-of-vietnam",
      "Kemlu RI": "organisation/ministry-of-foreign-affairs-of-indonesia"}),
    ("zh", "柬埔寨人民党代表团表示，柬方坚定支持东盟团结。",
     {"柬埔寨人民党": "party/cambodian-peoples-party", "东盟": "organisation/asean"}),
    ("ja", "ベトナム共産党の代表団は上海協力機構の会合にも出席した。",
     {"ベトナム共産党": "party/communist-party-of-vietnam",
      "上海協力機構": "organisation/shanghai-cooperation-organisation"}),
    ("th", "นายกรัฐมนตรีจากพรรคเพื่อไทยเดินทางไปร่วมประชุมสุดยอดอาเซียนที่จาการ์ตา",
     {"พรรคเพื่อไทย": "party/pheu-thai-party", "อาเซียน": "organisation/asean"}),
    # Written without the spaces the gazetteer puts between the words of the name.
    ("lo", "ຄະນະຜູ້ແທນພັກປະຊາຊົນປະຕິວັດລາວ ໄດ້ເຂົ້າຮ່ວມກອງປະຊຸມອາຊຽນ",
     {"ພັກປະຊາຊົນປະຕິວັດລາວ": "party/lao-peoples-revolutionary-party",
      "ອາຊຽນ": "organisation/asean"}),
    # And with spaces the gazetteer does not write.
    ("lo", "ພັກ ກອມມູນິດ ຫວຽດນາມ ແລະ ສະຫະປະຊາຊາດ",
     {"ພັກ ກອມມູນິດ ຫວຽດນາມ": "party/communist-party-of-vietnam",
      "ສະຫະປະຊາຊາດ": "organisation/united-nations"}),
    ("km", "គណបក្សប្រជាជនកម្ពុជាបានស្វាគមន៍កិច្ចសហប្រតិបត្តិការជាមួយអង្គការសហប្រជាជាតិ",
     {"គណបក្សប្រជាជនកម្ពុជា": "party/cambodian-peoples-party",
      "អង្គការសហប្រជាជាតិ": "organisation/united-nations"}),
    ("vi", "Trưởng Ban Tổ chức T.Ư làm việc với Tổ chức Hợp tác Thượng Hải.",
     {"Ban Tổ chức T.Ư": "party/cpv-organisation-commission",
      "Tổ chức Hợp tác Thượng Hải": "organisation/shanghai-cooperation-organisation"}),
], ids=["fr", "es", "de", "ru", "id", "zh", "ja", "th", "lo", "lo spaced", "km", "vi T.Ư"])
def test_a_party_and_an_organisation_in_each_language(
        language: str, text: str, expected: dict[str, str], languages: Languages,
        rules: Rules, make_article: Any) -> None:
    tagging = tag_archive([make_article("a", language, text)], languages, rules=rules)
    assert {name: _ids_of(tagging, name) for name in expected} == {
        name: {entity_id} for name, entity_id in expected.items()}


@pytest.mark.parametrize(("language", "text", "organ", "organ_id", "party", "party_id"), [
    ("zh", "越南共产党中央委员会总书记会见了老挝客人。", "越南共产党中央委员会",
     "party/cpv-central-committee", "越南共产党", "party/communist-party-of-vietnam"),
    ("ja", "ラオス人民革命党中央委員会書記局の常務が空港で出迎えた。",
     "ラオス人民革命党中央委員会書記局", "party/lprp-secretariat", "ラオス人民革命党",
     "party/lao-peoples-revolutionary-party"),
    ("ru", "Генеральный секретарь ЦК КПВ прибыл во Вьентьян.", "ЦК КПВ",
     "party/cpv-central-committee", "КПВ", "party/communist-party-of-vietnam"),
], ids=["zh central committee", "ja secretariat", "ru central committee"])
def test_the_longest_name_is_the_organ_and_its_party_is_mentioned_inside(
        language: str, text: str, organ: str, organ_id: str, party: str, party_id: str,
        languages: Languages, rules: Rules, make_article: Any) -> None:
    tagging = tag_archive([make_article("a", language, text)], languages, rules=rules)
    assert _ids_of(tagging, organ) == {organ_id}
    assert _ids_of(tagging, party) == {party_id}
    organ_entity = next(e for e in tagging.entities if e.id == organ_id)
    assert dict(organ_entity.names)["en"]  # shown by its English name on English pages


def test_a_governing_body_stays_its_party_where_the_language_names_bodies(
        languages: Languages, rules: Rules, make_article: Any) -> None:
    article = make_article("a", "en", "The CPV Central Committee met in Hà Nội on Monday.")
    tagging = tag_archive([article], languages, rules=rules)
    assert {e.id for e in tagging.entities} == {"party/communist-party-of-vietnam"}


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Le programme ONUSIDA a publié son rapport."),
    ("en", "The Laotianisation of the market was discussed."),
    ("es", "Los ancianos de la aldea hablaron."),
], ids=["acronym inside a word", "adjective inside a word", "no name at all"])
def test_a_spaced_script_name_never_matches_inside_a_word(
        language: str, text: str, languages: Languages, rules: Rules,
        make_article: Any) -> None:
    tagging = tag_archive([make_article("a", language, text)], languages, rules=rules)
    assert not [e for e in tagging.entities if e.id.startswith(("party/", "organisation/"))]
    # The same tagger finds the name once it stands alone.
    alone = tag_archive([make_article("b", "fr", "Le programme de l'ONU a publié son rapport.")],
                        languages, rules=rules)
    assert _ids_of(alone, "ONU") == {"organisation/united-nations"}


@pytest.mark.parametrize("extra", [(), (GazetteerEntry(
    id="curated:person/to-lam", type=EntityType.PERSON, names=(("vi", ("Tô Lâm",)),),
    acronyms=()),)])
def test_the_lexicon_alone_is_the_compiled_rules_lexicon(
        languages: Languages, extra: tuple[GazetteerEntry, ...]) -> None:
    """A build that extracts nothing resolves with `compile_lexicon`, never compiling the
    rules: what it reads must be what the rules would have given."""
    assert compile_lexicon(languages, extra) == compile_rules(languages, extra).lexicon

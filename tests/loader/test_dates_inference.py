"""Which date a page gets: the order of ambiguous numeric dates, markers, headline-line and
header timestamps, and years that only evidence may give."""

from __future__ import annotations

import pytest

from newsforge.langdata import Languages
from newsforge.loader.rawtext import RawReading, read_raw_text
from newsforge.loader.rules import LoaderRules, rules_for, shapes_only
from newsforge.model import Severity


@pytest.fixture(scope="module")
def rules(languages: Languages) -> dict[str, LoaderRules]:
    return rules_for(languages)


def _read(rules: dict[str, LoaderRules], lang: str, *lines: str) -> RawReading:
    return read_raw_text("\n".join(lines), "page.txt", rules.get(lang) or shapes_only(lang))


def _date(reading: RawReading) -> str | None:
    return reading.published.isoformat() if reading.published else None


def _date_warnings(reading: RawReading) -> list[str]:
    return [p.message for p in reading.problems
            if p.field == "date" and p.severity is Severity.WARNING]


LEAD_VI = "Các đại biểu đã trao đổi về hợp tác kinh tế, văn hóa và giáo dục giữa hai nước."


def test_29_february_in_a_common_year_is_a_warning_not_an_error(
        rules: dict[str, LoaderRules]) -> None:
    """Regression: 'sáng 29/2' with a year of 2013 from the page raised ValueError."""
    reading = _read(rules, "vi",
                    "Sáng 29/2, đoàn đại biểu tỉnh tới dự hội nghị tại Viêng Chăn.",
                    "Hội nghị lần trước diễn ra ngày 15/2/2013 tại Hà Nội, với nhiều đại biểu.")
    assert reading.published is None
    assert reading.partial_date is not None
    assert (reading.partial_date.month, reading.partial_date.day) == (2, 29)
    assert any("not a real day" in m for m in _date_warnings(reading))


def test_29_february_with_an_occasion_year_is_a_warning(rules: dict[str, LoaderRules]) -> None:
    reading = _read(rules, "en",
                    "The delegation attended the Mekong Tourism Forum (MTF) 2013 on February 29, "
                    "where it presented new routes.")
    assert reading.published is None
    assert any("not a real day" in m for m in _date_warnings(reading))


def test_29_february_in_a_leap_year_is_a_day(rules: dict[str, LoaderRules]) -> None:
    reading = _read(rules, "vi",
                    "Sáng 29/2, đoàn đại biểu tỉnh tới dự hội nghị tại Viêng Chăn.",
                    "Hội nghị lần trước diễn ra ngày 15/2/2024 tại Hà Nội, với nhiều đại biểu.")
    assert _date(reading) == "2024-02-29"


@pytest.mark.parametrize(("lead", "expected"), [
    ("10月8日上午,两国总理在万象举行会谈,双方同意加强合作。", "2024-10-08T04:06:00"),
    ("8月10日上午,两国总理在万象举行会谈,双方同意加强合作。", "2024-08-10T04:06:00"),
])
def test_an_ambiguous_timestamp_is_read_as_the_page_agrees(
        rules: dict[str, LoaderRules], lead: str, expected: str) -> None:
    reading = _read(rules, "zh", "两国总理举行会谈", "10/08/2024 04:06", "", lead)
    assert _date(reading) == expected


def test_a_source_url_settles_the_order(rules: dict[str, LoaderRules]) -> None:
    reading = _read(rules, "vi", "Hai bộ trưởng hội đàm tại Viêng Chăn", "10/08/2024 04:06", "",
                    LEAD_VI, "Nguồn: https://news.example.vn/2024/10/08/hoi-dam.html")
    assert _date(reading) == "2024-10-08T04:06:00"


def test_an_unambiguous_numeric_date_sets_the_page_order(rules: dict[str, LoaderRules]) -> None:
    # "25/09/2024" can only be day first, so this English page writes day first
    reading = _read(rules, "en", "Ministers meet in Vientiane", "Updated 10/08/2024 04:06", "",
                    "The two ministers met on 25/09/2024 to review the joint programme.")
    assert _date(reading) == "2024-08-10T04:06:00"


def test_without_evidence_the_languages_order_decides(rules: dict[str, LoaderRules]) -> None:
    en = _read(rules, "en", "Ministers meet in Vientiane", "Updated 03/04/2024 09:00", "",
               "The two ministers reviewed the joint programme for the coming year.")
    vi = _read(rules, "vi", "Hai bộ trưởng hội đàm tại Viêng Chăn", "03/04/2024 09:00", "",
               LEAD_VI)
    assert _date(en) == "2024-03-04T09:00:00"
    assert _date(vi) == "2024-04-03T09:00:00"


def test_a_year_month_marker_takes_its_day_from_the_page(rules: dict[str, LoaderRules]) -> None:
    fr = _read(rules, "fr", " date 2016-12 Départ du ministre pour Hanoï", "",
               "PARIS, 20 décembre 2016 – Le ministre est parti ce matin pour une visite "
               "officielle, du 20 au 22 décembre.")
    assert _date(fr) == "2016-12-20"
    de = _read(rules, "de", " date 2019-05 Redaktion | 09.05.19", "",
               "BERLIN: Die beiden Parteien wollen eine Koalition bilden und verhandeln weiter.")
    assert _date(de) == "2019-05-09"


def test_a_year_month_marker_gives_a_year_to_a_day_of_its_month(
        rules: dict[str, LoaderRules]) -> None:
    reading = _read(rules, "es", " date 2024-06 Reunión de ministros en Vientián", "",
                    "El 12 de junio, los ministros se reunieron en Vientián para revisar "
                    "los acuerdos de cooperación.")
    assert _date(reading) == "2024-06-12"
    other_month = _read(rules, "es", " date 2024-06 Reunión de ministros en Vientián", "",
                        "El 12 de mayo, los ministros se reunieron en Vientián para revisar "
                        "los acuerdos de cooperación.")
    assert other_month.published is None and other_month.partial_date is not None


def test_a_timestamp_on_the_headline_line_is_split_off(rules: dict[str, LoaderRules]) -> None:
    reading = _read(rules, "vi", "Hai bộ trưởng hội đàm tại Viêng Chăn | 02/12/2025 10:57", "",
                    LEAD_VI)
    assert reading.title == "Hai bộ trưởng hội đàm tại Viêng Chăn"
    assert _date(reading) == "2025-12-02T10:57:00"


def test_a_date_inside_a_headline_stays_in_it(rules: dict[str, LoaderRules]) -> None:
    reading = _read(rules, "en", "Vietnam and Laos sign trade deal on 2 December 2025", "",
                    "The two countries signed the agreement in Vientiane after long talks.")
    assert reading.title == "Vietnam and Laos sign trade deal on 2 December 2025"


def test_a_full_date_in_the_page_header(rules: dict[str, LoaderRules]) -> None:
    reading = _read(rules, "de", "Minister besucht Laos", "",
                    "Veröffentlicht am 24. Januar 2026 · 812 Leser", "",
                    "Der Minister traf am Freitag, dem 23. Januar, seinen Amtskollegen in "
                    "Vientiane und sprach über den Handel.")
    assert _date(reading) == "2026-01-24"


@pytest.mark.parametrize(("lang", "lead", "expected"), [
    ("th", "27 ต.ค.2566 - โฆษกรัฐบาลเปิดเผยว่านายกรัฐมนตรีจะเยือนลาวในวันที่ 30 ตุลาคม 2566",
     "2023-10-27"),
    ("km", "(ភ្នំពេញ)៖ នៅថ្ងៃទី០៨ ខែសីហា ឆ្នាំ២០២២ រដ្ឋមន្ត្រីបានជួបពិភាក្សាការងារ។", "2022-08-08"),
    ("lo", "ວັນທີ 9 ສິງຫາ 2021 ທີ່ທຳນຽບ, ທ່ານປະທານໄດ້ຕ້ອນຮັບຄະນະຜູ້ແທນ.", "2021-08-09"),
    ("id", "Menteri tiba di Jakarta pada Minggu, 9 Maret 2025, dan akan berada di sana hingga "
     "11 Maret 2025.", "2025-03-09"),
])
def test_the_first_full_date_of_the_text(rules: dict[str, LoaderRules], lang: str, lead: str,
                                         expected: str) -> None:
    assert _date(_read(rules, lang, lead)) == expected


@pytest.mark.parametrize("lead", [
    "Hai bên đã gặp nhau chiều 1/12 tại Hà Nội để bàn về hợp tác.",
    "The two sides met on December 1 in Hanoi to discuss cooperation.",
    "本月7日,两国外长在北京举行会谈,双方同意加强合作。",
    "Les deux parties se sont rencontrées le 1er décembre à Hanoï pour discuter.",
    "Die beiden Seiten trafen sich am 7. Mai in Hanoi, um über Zusammenarbeit zu sprechen.",
    "两国总理12月1日在万象举行会谈,双方同意加强合作。",
])
def test_a_day_without_a_year_is_never_given_one(rules: dict[str, LoaderRules],
                                                 lead: str) -> None:
    lang = "vi" if "Hai" in lead else "en" if "The" in lead else "fr" if "Les" in lead \
        else "de" if "Die" in lead else "zh"
    reading = _read(rules, lang, lead)
    assert reading.published is None
    assert _date_warnings(reading)


@pytest.mark.parametrize(("lead", "expected"), [
    # the named occasion is what the day dates: its year is the day's year
    ("The delegation attended the ASEAN Tourism Forum (ATF) 2025 from January 16-19 in Johor.",
     "2025-01-16"),
    ("The mayors met from September 17-19 for the ASEAN Mayors Forum (AMF) 2024 in Vientiane.",
     "2024-09-17"),
    # a year carried by a plan or a bid names no day of its own
    ("The ministry presented the Digital Economy Vision 2045 at a meeting on March 3 with "
     "provincial leaders.", None),
    ("The city won its bid to host Expo 2030 after a long campaign and celebrated on May 12.",
     None),
    # the occasion is in another sentence
    ("Officials prepared for the Mekong Forum 2026. The ministers met on March 3 in Hanoi.",
     None),
])
def test_a_named_occasions_year_dates_only_its_own_day(
        rules: dict[str, LoaderRules], lead: str, expected: str | None) -> None:
    assert _date(_read(rules, "en", lead)) == expected

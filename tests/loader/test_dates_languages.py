"""Dates in many languages, read with shapes derived from CLDR: month names, day-month order,
CJK 年月日, Buddhist Era years and native digits."""

from __future__ import annotations

import pytest

from newsforge.langdata import Languages
from newsforge.loader.dates import find_dates
from newsforge.loader.rules import LoaderRules, rules_for, shapes_only

Expected = list[tuple[int | None, int, int]]


@pytest.fixture(scope="module")
def rules(languages: Languages) -> dict[str, LoaderRules]:
    return rules_for(languages)


def _rules(rules: dict[str, LoaderRules], code: str) -> LoaderRules:
    return rules.get(code) or shapes_only(code)


@pytest.mark.parametrize(("lang", "text", "expected"), [
    # Chinese and Japanese: 年月日, and a day without its year
    ("zh", "国务院总理于2024年3月15日在北京会见了来访的代表团。", [(2024, 3, 15)]),
    ("zh", "双方于5月20日签署了合作协议。", [(None, 5, 20)]),
    ("zh", "发布时间:2023/11/02 09:15", [(2023, 11, 2)]),
    ("ja", "首相は2023年11月2日、東京で外相と会談した。", [(2023, 11, 2)]),
    ("ja", "代表団は7月14日午後、空港に到着した。", [(None, 7, 14)]),
    ("ja", "会議は２０２４年４月１日に始まった。", [(2024, 4, 1)]),
    # Thai: Buddhist Era years, abbreviated months, Thai digits
    ("th", "เมื่อวันที่ 14 กุมภาพันธ์ 2567 รัฐมนตรีได้เดินทางไปเชียงใหม่", [(2024, 2, 14)]),
    ("th", "๑๒ มี.ค.๒๕๖๗ - ที่ประชุมมีมติเห็นชอบ", [(2024, 3, 12)]),
    ("th", "ในวันที่ 3 พฤษภาคม นายกรัฐมนตรีจะเดินทางไปลาว", [(None, 5, 3)]),
    ("th", "เมื่อวันที่ 1 ม.ค. พ.ศ. 2568 ที่ผ่านมา", [(2025, 1, 1)]),
    # Lao: Lao digits and month names
    ("lo", "ວັນທີ 15 ມີນາ 2024 ທີ່ນະຄອນຫຼວງວຽງຈັນ", [(2024, 3, 15)]),
    ("lo", "ວັນທີ ໑໒ ມິຖຸນາ ໒໐໒໓ ຄະນະຜູ້ແທນໄດ້ເດີນທາງ", [(2023, 6, 12)]),
    ("lo", "ໃນຕອນເຊົ້າວັນທີ 3 ພຶດສະພາ, ພິທີໄດ້ຈັດຂຶ້ນ", [(None, 5, 3)]),
    # Khmer: Khmer digits, the month and year words written before them
    ("km", "នៅថ្ងៃទី១៥ ខែមីនា ឆ្នាំ២០២៤ រដ្ឋមន្ត្រីបានជួប", [(2024, 3, 15)]),
    ("km", "កាលពីថ្ងៃទី៣ ខែមេសា កន្លងទៅ", [(None, 4, 3)]),
    # Russian: genitive month names, "г." after the year, numeric day-first dates
    ("ru", "Встреча состоялась 15 марта 2024 г. в Москве.", [(2024, 3, 15)]),
    ("ru", "Делегация прибудет 12 июня.", [(None, 6, 12)]),
    ("ru", "Опубликовано 05.11.2023 в 10:30", [(2023, 11, 5)]),
    # Spanish and French
    ("es", "El acuerdo se firmó el 3 de abril de 2024 en Madrid.", [(2024, 4, 3)]),
    ("es", "La cumbre se celebrará el próximo 12 de octubre.", [(None, 10, 12)]),
    ("fr", "Le sommet s'est tenu le 1er décembre 2023 à Paris.", [(2023, 12, 1)]),
    ("fr", "Les ministres se retrouveront le 1er décembre et le 7 mars.",
     [(None, 12, 1), (None, 3, 7)]),
    ("fr", "Mis à jour le 03/04/2024", [(2024, 4, 3)]),
    # German: "7. Mai", numeric "12.03.2024", two-digit years
    ("de", "Am 7. Mai 2024 trafen sich die Minister in Berlin.", [(2024, 5, 7)]),
    ("de", "Die Konferenz beginnt am 3. Oktober.", [(None, 10, 3)]),
    ("de", "Stand: 12.03.2024, 14:20 Uhr", [(2024, 3, 12)]),
    ("de", "Redaktion | 09.05.19", [(2019, 5, 9)]),
    # Indonesian
    ("id", "Presiden tiba pada Senin, 4 Maret 2024, di Jakarta.", [(2024, 3, 4)]),
    ("id", "Upacara digelar pada 17 Agustus di Istana.", [(None, 8, 17)]),
    # Vietnamese: CLDR's "tháng 12", zero-padded months, a numeric day after its time of day
    ("vi", "Sáng 29/2, đoàn đại biểu tới Viêng Chăn.", [(None, 2, 29)]),
    ("vi", "ngày 02 tháng 09 năm 2025 tại Hà Nội", [(2025, 9, 2)]),
    ("vi", "Ngày 5 tháng 12, hai bên ký biên bản", [(None, 12, 5)]),
    ("vi", "hôm 2-12, hai bên hội đàm", [(None, 12, 2)]),
    # English: CLDR's "MMMM d, y" and its regional variants' "d MMMM y"
    ("en", "The talks began on March 3, 2024 in Vientiane.", [(2024, 3, 3)]),
    ("en", "It was signed on 12 June 2023 and ratified on Sept. 4.",
     [(2023, 6, 12), (None, 9, 4)]),
    ("en", "The forum runs from October 4-6, 2023.", [(2023, 10, 4)]),
    # Swedish
    ("sv", "Mötet hölls den 5 juni 2024 i Stockholm.", [(2024, 6, 5)]),
    ("sv", "Ministern reser till Hanoi den 3 mars.", [(None, 3, 3)]),
    # A language without a data file still reads CLDR's dates, in Arabic-Indic digits too
    ("ar", "عقد الاجتماع في ١٥/٠٣/٢٠٢٤ في القاهرة", [(2024, 3, 15)]),
    ("it", "Il vertice si è svolto il 14 febbraio 2024 a Roma.", [(2024, 2, 14)]),
])
def test_dates_in_many_languages(rules: dict[str, LoaderRules], lang: str, text: str,
                                 expected: Expected) -> None:
    found = find_dates(text, _rules(rules, lang))
    assert [(d.year, d.month, d.day) for d in found] == expected


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Turnout rose 3/4 of a point and 12,5 percent."),
    ("vi", "tỷ lệ 1/12 cử tri, tăng 2-3 lần"),
    ("de", "Version 1.2.3 erschien"),
    ("fr", "31 avril 2024 n'existe pas"),
    ("en", "on Feb. 29, 2023 nothing happened"),
    ("zh", "第2024号文件"),
    ("ru", "В 2024 году"),
])
def test_no_date_where_none_is_written(rules: dict[str, LoaderRules], lang: str,
                                       text: str) -> None:
    assert find_dates(text, _rules(rules, lang)) == []


def test_ambiguous_numeric_dates_keep_the_other_reading(rules: dict[str, LoaderRules]) -> None:
    vi = find_dates("ngày 10/08/2024", rules["vi"])[0]
    assert (vi.month, vi.day, vi.alt) == (8, 10, (10, 8))  # day first in Vietnamese
    en = find_dates("on 10/08/2024", rules["en"])[0]
    assert (en.month, en.day, en.alt) == (10, 8, (8, 10))  # month first in CLDR's English
    # a numeric date only one order can read is not ambiguous
    late = find_dates("Updated 24/10/2024", rules["en"])[0]
    assert (late.month, late.day, late.alt, late.swapped) == (10, 24, None, True)


def test_month_names_come_from_cldr(rules: dict[str, LoaderRules]) -> None:
    # none of these is typed in a language file
    assert rules["en"].months["september"] == 9 and rules["en"].months["sept"] == 9
    assert rules["vi"].months["tháng 12"] == 12
    assert shapes_only("th").months["ต.ค."] == 10
    assert shapes_only("de").months["märz"] == 3
    assert "monday" in rules["en"].weekdays and "thứ ba" in rules["vi"].weekdays

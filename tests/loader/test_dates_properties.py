"""Property tests for date inference: whatever days, months and years a page names, in any
supported language and digits, reading it never raises, every date it gives is a real day,
an undated page says why, and an impossible day is a warning."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsforge.langdata import Languages
from newsforge.loader.dates import find_dates, url_date
from newsforge.loader.rawtext import read_raw_text
from newsforge.loader.rules import LoaderRules, rules_for, shapes_only
from newsforge.model import Severity

LANGUAGES = ["en", "vi", "sv", "zh", "ja", "th", "lo", "km", "ru", "es", "fr", "de", "id"]
# ASCII, Thai, Lao, Khmer, Arabic-Indic and full-width digits.
DIGIT_ZEROS = ["0", "\u0e50", "\u0ed0", "\u17e0", "\u0660", "\uff10"]
FILLER = st.sampled_from([
    "The delegation visited the capital.", "Hai bên trao đổi ý kiến.", "双方举行会谈。",
    "ทั้งสองฝ่ายหารือกัน", "ສອງຝ່າຍໄດ້ປຶກສາຫາລື", "ភាគីទាំងពីរបានពិភាក្សា", "Стороны провели переговоры.",
    "Las partes conversaron.", "Les deux parties ont discuté.", "Beide Seiten sprachen.",
    "Kedua pihak berdiskusi.", "Parterna samtalade.", "Forum ABC", "(AMF)", "Vision", "on", "",
])


@pytest.fixture(scope="module")
def all_rules(languages: Languages) -> dict[str, LoaderRules]:
    known = rules_for(languages)
    return {code: known.get(code) or shapes_only(code) for code in LANGUAGES}


def _digits(number: int, zero: str) -> str:
    return "".join(chr(ord(zero) + int(c)) for c in str(number))


@st.composite
def date_piece(draw: st.DrawFn, rules: LoaderRules) -> str:
    """A day, month and year written in one of the shapes pages use, valid or not."""
    day = draw(st.integers(0, 35))
    month = draw(st.integers(0, 14))
    year = draw(st.one_of(st.integers(0, 99), st.integers(1890, 2110), st.integers(2390, 2710),
                          st.integers(0, 99999)))
    zero = draw(st.sampled_from(DIGIT_ZEROS))
    d, m, y = _digits(day, zero), _digits(month, zero), _digits(year, zero)
    name = draw(st.sampled_from(sorted(rules.months))) if rules.months else "x"
    context = draw(st.sampled_from(["sáng", "ngày", "chiều", "on", "am", ""]))
    sep = draw(st.sampled_from(["/", ".", "-"]))
    return draw(st.sampled_from([
        f"{d} {name} {y}", f"{name} {d}, {y}", f"{d} {name}", f"{name} {d}",
        f"{context} {d}{sep}{m}", f"{d}{sep}{m}{sep}{y}", f"{y}-{m}-{d}", f"{y}年{m}月{d}日",
        f"{m}月{d}日", f"ABC {y}", f"Forum (XYZ) {y} on {name} {d}", f"{d}-{day + 2} {name} {y}",
    ]))


@st.composite
def page(draw: st.DrawFn, all_rules: dict[str, LoaderRules]) -> tuple[str, str]:
    lang = draw(st.sampled_from(LANGUAGES))
    rules = all_rules[lang]
    pieces = st.one_of(date_piece(rules), FILLER)
    lines = []
    if draw(st.booleans()):
        lines.append(f" date {draw(st.integers(1990, 2030))}-{draw(st.integers(0, 13)):02d}"
                     f"{'' if draw(st.booleans()) else '-' + str(draw(st.integers(0, 32)))} "
                     "Headline")
    if draw(st.booleans()):
        lines.append(" ".join(draw(st.lists(pieces, min_size=1, max_size=4))))  # header
    lines.append("")
    for _ in range(draw(st.integers(1, 4))):
        lines.append(" ".join(draw(st.lists(pieces, min_size=1, max_size=6))) + ".")
    if draw(st.booleans()):
        lines.append(f"Source: https://example.org/{draw(st.integers(1990, 2030))}/"
                     f"{draw(st.integers(0, 13))}/{draw(st.integers(0, 33))}/story.html")
    return lang, "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_date_inference_never_raises_and_gives_real_days(
        data: st.DataObject, all_rules: dict[str, LoaderRules]) -> None:
    lang, text = data.draw(page(all_rules))
    reading = read_raw_text(text, "page.txt", all_rules[lang])
    if reading.published is not None:
        assert isinstance(reading.published.day, dt.date)
        assert 1800 <= reading.published.day.year <= 2200  # Buddhist Era years were converted
    else:
        assert any(p.field == "date" and p.severity is Severity.WARNING
                   for p in reading.problems)
    again = read_raw_text(text, "page.txt", all_rules[lang])
    assert again == reading  # deterministic


@settings(max_examples=300, deadline=None)
@given(lang=st.sampled_from(LANGUAGES), day=st.integers(1, 31), month=st.integers(1, 12),
       year=st.integers(1900, 2099), other_day=st.integers(1, 28))
def test_a_day_takes_the_year_of_its_month_or_warns(
        all_rules: dict[str, LoaderRules], lang: str, day: int, month: int, year: int,
        other_day: int) -> None:
    """'29/2' and a full date of February 2013: the 29th is no day of 2013, so a warning."""
    rules = all_rules[lang]
    lead = f"Sáng {day}/{month}" if lang == "vi" else f"{month}月{day}日"
    if lang not in ("vi", "zh", "ja"):
        name = _name(rules, month)
        lead = f"{day} {name}" if rules.dates.day_first else f"{name} {day}"
    evidence = f"{year}-{month:02d}-{other_day:02d}"
    text = (f"On {lead}, the delegations of the two provinces met in the capital for talks.\n\n"
            f"The last meeting of the two delegations was held on {evidence} in the city.")
    reading = read_raw_text(text, "page.txt", rules)
    found = find_dates(lead, rules)
    if not found or found[0].year is not None or (found[0].month, found[0].day) != (month, day):
        return  # this language writes no such year-less day; other tests cover it
    try:
        expected: dt.date | None = dt.date(year, month, day)
    except ValueError:
        expected = None
    if expected is not None:
        assert reading.published is not None and reading.published.day == expected
    else:
        assert reading.published is None
        assert any("not a real day" in p.message for p in reading.problems)


def _name(rules: LoaderRules, month: int) -> str:
    names = sorted(n for n, m in rules.months.items() if m == month)
    return max(names, key=len) if names else str(month)


@settings(max_examples=200, deadline=None)
@given(path=st.text(max_size=60), digits=st.text("0123456789", min_size=0, max_size=22),
       host=st.sampled_from(["example.vn", "m.example.vn", "other.example", "x"]))
def test_url_dates_never_raise(path: str, digits: str, host: str) -> None:
    day = url_date(f"https://{host}/{path}-{digits}.htm", {"example.vn": "SSSyymmddHHMM"})
    assert day is None or isinstance(day, dt.date)

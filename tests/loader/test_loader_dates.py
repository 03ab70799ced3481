"""Dates in the shapes news pages write them, per language."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from newsforge.langdata import Languages
from newsforge.loader.dates import (
    event_years,
    find_dates,
    outlet_url_schemes,
    timestamp_line,
    url_date,
)
from newsforge.loader.rules import LoaderRules, rules_for


@pytest.fixture(scope="module")
def rules(languages: Languages) -> dict[str, LoaderRules]:
    return rules_for(languages)


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "met on December 1 in the capital", [(None, 12, 1)]),
    ("en", "from September 17-19, 2024 for the forum", [(2024, 9, 17)]),
    ("en", "signed on 5 May 2019 and renewed", [(2019, 5, 5)]),
    ("en", "sales in March 2024 grew", []),
    ("en", "on Feb. 29, 2023 nothing happened", []),
    ("vi", "chiều 1/12, hai bên hội đàm", [(None, 12, 1)]),
    ("vi", "ngày 02/12/2025 tại Hà Nội", [(2025, 12, 2)]),
    ("vi", "ngày 2 tháng 9 năm 1945", [(1945, 9, 2)]),
    ("vi", "tỷ lệ 1/12 cử tri", []),
    ("sv", "firades den 2 december (2 december 1975 - 2 december 2025)",
     [(None, 12, 2), (1975, 12, 2), (2025, 12, 2)]),
    ("sv", "mötet 2024-03-12 i Vientiane", [(2024, 3, 12)]),
])
def test_find_dates(rules: dict[str, LoaderRules], lang: str, text: str,
                    expected: list[tuple[int | None, int, int]]) -> None:
    found = find_dates(text, rules[lang])
    assert [(d.year, d.month, d.day) for d in found] == expected


@pytest.mark.parametrize(("lang", "line", "iso"), [
    ("vi", "10:57 | 02/12/2025 GMT+7", "2025-12-02T10:57:00+07:00"),
    ("vi", "Thứ Ba, 02/12/2025 10:57 (GMT+7)", "2025-12-02T10:57:00+07:00"),
    ("en", "December 2, 2025 - 14:30", "2025-12-02T14:30:00"),
    ("en", "Updated: 08:15 PM, 14/03/2024", "2024-03-14T20:15:00"),
    ("sv", "Publicerad 2023-11-08 kl 14:20", "2023-11-08T14:20:00"),
    ("vi", "Cập nhật lúc 10:57 ngày 02/12/2025", "2025-12-02T10:57:00"),
    ("en", "2025-12-02 10:57", "2025-12-02T10:57:00"),
    ("sv", "2 december 2025 kl. 10.57", "2025-12-02T10:57:00"),
    ("en", "The summit opened on December 2, 2025 in Hanoi", None),
])
def test_timestamp_lines(rules: dict[str, LoaderRules], lang: str, line: str,
                         iso: str | None) -> None:
    stamp = timestamp_line(line, rules[lang])
    if iso is None:
        assert stamp is None
        return
    assert stamp is not None
    day, time = stamp
    assert (dt.datetime.combine(day, time).isoformat() if time else day.isoformat()) == iso


SCHEMES = {"example.vn": "SSSyymmddHHMM", "daily.example.com": "yyyymmddHHMM"}


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.vn/a-b-185251202230407136.htm", dt.date(2025, 12, 2)),
    ("https://m.example.vn/a-b-185251202230407136.htm", dt.date(2025, 12, 2)),
    ("https://daily.example.com/tin-20240312093000123.htm", dt.date(2024, 3, 12)),
    ("https://example.org/2024/03/14/story.html", dt.date(2024, 3, 14)),
    ("https://example.se/nyheter/20240312-hamnavtal", dt.date(2024, 3, 12)),
    # an article number is a date only on a host whose layout is known
    ("https://other.example.net/a-b-185251202230407136.htm", None),
    ("https://other.example.net/a-b-2512021430.htm", None),
    # a known layout that does not read as a real day and time of day
    ("https://example.vn/a-b-185251302230407136.htm", None),
    ("https://example.vn/a-b-185251202250407136.htm", None),
    ("https://example.vn/a-b-12345678901.htm", None),
    ("https://example.vn/tin-tuc", None),
    ("https://example.org/2023/02/29/story.html", None),
])
def test_url_dates(url: str, expected: dt.date | None) -> None:
    assert url_date(url, SCHEMES) == expected


def test_shipped_outlet_schemes_are_keyed_by_host() -> None:
    schemes = outlet_url_schemes()
    assert schemes and all("." in host and host == host.lower() for host in schemes)
    host, layout = next(iter(schemes.items()))
    digits = {"SSS": "123", "yy": "24", "yyyy": "2024", "mm": "03", "dd": "14", "HH": "09",
              "MM": "30"}
    number = "".join(digits.get(p, p) for p in re.findall(r"S+|yyyy|yy|mm|dd|HH|MM", layout))
    assert url_date(f"https://{host}/tin-bai-{number}4567.htm") == dt.date(2024, 3, 14)
    assert url_date(f"https://elsewhere.example/tin-bai-{number}4567.htm") is None


def test_event_years(rules: dict[str, LoaderRules]) -> None:
    en = rules["en"]
    assert event_years("for the ASEAN Mayors Forum (AMF) 2024 and a visit", en) == {2024}
    assert event_years("In 2024, the two sides met at Expo 2030.", en) == {2030}
    assert event_years("in December 2024 and by 2025", en) == set()

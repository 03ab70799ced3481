"""Front matter and sidecar fields, and the decoding of article bytes."""

from __future__ import annotations

import datetime as dt

import pytest

from newsforge.errors import LoadError
from newsforge.loader.metadata import Metadata, parse_metadata, source_from_text
from newsforge.loader.read import decode_article_bytes
from newsforge.model import Source

LANGS = ("en", "vi", "sv")


def _parse(text: str, *, allow_unknown: bool = True, first_line: int = 2) -> Metadata:
    return parse_metadata(text, path="a.md", first_line=first_line, languages=LANGS,
                          allow_unknown=allow_unknown)


def test_every_known_key() -> None:
    meta = _parse(
        "title: Hội nghị\ndate: 2025-12-02T10:57:00+07:00\nlang: vi\n"
        "source: {name: Nhân Dân, url: 'https://nhandan.vn/a'}\nauthors: [A, B]\n"
        "dateline: HÀ NỘI\ntags: [x, y]\n")
    assert meta.title == "Hội nghị"
    assert meta.published is not None and meta.published.day == dt.date(2025, 12, 2)
    assert meta.published.isoformat() == "2025-12-02T10:57:00+07:00"
    assert meta.language == "vi"
    assert meta.source == Source("Nhân Dân", "https://nhandan.vn/a")
    assert meta.author == "A, B"
    assert meta.extra == (("tags", "x, y"),)
    assert meta.line_of("lang") == 4


def test_a_source_url_alone_names_its_domain() -> None:
    meta = _parse("source_url: https://www.thanhnien.vn/x-185251202230407136.htm\n")
    assert meta.source == Source("thanhnien.vn", "https://www.thanhnien.vn/x-185251202230407136.htm")


@pytest.mark.parametrize(("text", "line", "words"), [
    ("title: ok\nheadline: x\n", 3, "unknown key 'headline'"),
    ("date: 2025-13-01\n", 2, "impossible or unreadable date"),
    ("title: ok\n\tauthor: x\n", 3, "invalid YAML"),
    ("title: ''\n", 2, "must be a non-empty text"),
    ("language: fr\n", 2, "unknown language code 'fr'"),
    ("- a list\n", 2, "must be a mapping"),
])
def test_sidecar_problems_name_their_line(text: str, line: int, words: str) -> None:
    with pytest.raises(LoadError) as caught:
        _parse(text, allow_unknown=False)
    assert caught.value.line == line
    assert words in caught.value.message


@pytest.mark.parametrize(("value", "expected"), [
    ("nhandan.vn", Source("nhandan.vn")),
    ("https://www.example.se/a/b.htm", Source("example.se", "https://www.example.se/a/b.htm")),
    ("VNA.", Source("VNA")),
])
def test_sources_named_on_a_page(value: str, expected: Source) -> None:
    assert source_from_text(value) == expected


def test_bytes_are_normalised() -> None:
    data = "\ufeffHà Nội\r\nline\u00a0two\u200b\r".encode()
    assert decode_article_bytes(data, "a.txt") == "Hà Nội\nline two\n"

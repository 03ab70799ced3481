"""Property tests: whatever bytes a file holds, the loader returns an Article or a LoadError;
and a well-formed article, whatever its words, always loads with the title, date and text it
was written with (so a loader that rejects everything, or returns empty records, fails)."""

from __future__ import annotations

import datetime as dt
import html
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsforge.errors import LoadError
from newsforge.loader import LoadContext, load_file
from newsforge.model import Article

# Lines shaped like the parts of a scraped page, so the examples reach the deeper rules.
PAGE_LINES = st.sampled_from([
    "", "Home News World", "Trang chủ Thời sự", "aa", "10:57 | 02/12/2025 GMT+7",
    "Updated 14/03/2024 08:15", " date 2024-02-30 ", "HÀ NỘI – Chiều 1/12, hai bên hội đàm.",
    "VIENTIANE — The talks ended on December 1. VNA/VNS Photo", "FOTO: VNA", "(Ảnh: TTXVN)",
    "Related news", "Tin bài liên quan", "Kommentar (0)", "Nguồn: nhandan.vn",
    "Källa: https://example.se/2024/13/45/x", "By Jane Doe", "Tuấn Quỳnh (Th)",
    "A headline without a full stop at its end", "A headline without a full stop at its end",
    "The minister said the plan would be ready by September 17-19, 2024.",
    "---", "title: x", "date: 2024-01-01", "language: vi", "# Heading",
])


FOLDER = Path(tempfile.mkdtemp(prefix="newsforge-properties-"))

# Words of plain English news prose: generated sentences read as English to the detector.
_NEWS_PROSE = (
    "the council minister government said on Tuesday officials would build new bridge "
    "river port budget money repair schools hospital roads after talks with local leaders "
    "and members of parliament agreed plan to improve water supply for farmers in the "
    "province next year while workers expect more jobs from trade between two countries"
)
NEWS_WORDS = tuple(dict.fromkeys(_NEWS_PROSE.split()))


@dataclass(frozen=True)
class WellFormed:
    """A generated article that must load: its file text and what the loader must find."""

    suffix: str
    text: str
    title: str
    day: dt.date
    paragraphs: tuple[str, ...]


def _sentence(words: list[str]) -> str:
    return " ".join(words).capitalize() + "."


@st.composite
def well_formed(draw: st.DrawFn) -> WellFormed:
    """A Markdown article with front matter, or a raw text with a date marker, a headline
    and paragraphs; every sentence long enough to be read as a paragraph of prose."""
    words = st.lists(st.sampled_from(NEWS_WORDS), min_size=9, max_size=16, unique=True)
    title = " ".join(draw(st.lists(st.sampled_from(NEWS_WORDS), min_size=4, max_size=8,
                                   unique=True)))
    title = title[0].upper() + title[1:]
    day = draw(st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31)))
    sentences = draw(st.lists(words.map(_sentence), min_size=2, max_size=8, unique=True))
    cut = draw(st.integers(1, len(sentences) - 1))
    paragraphs = (" ".join(sentences[:cut]), " ".join(sentences[cut:]))
    body = "\n\n".join(paragraphs)
    if draw(st.booleans()):
        text = (f"---\ntitle: {title}\ndate: {day.isoformat()}\nlanguage: en\n---\n\n"
                f"{body}\n")
        return WellFormed(".md", text, title, day, paragraphs)
    return WellFormed(".txt", f" date {day.isoformat()}\n{title}\n\n{body}\n", title, day,
                      paragraphs)


def _check_loaded(case: WellFormed, loaded: object, tail: str = "") -> Article:
    """``loaded`` is the article ``case`` describes: its title, day and every paragraph."""
    assert isinstance(loaded, Article), f"a well-formed article failed to load: {loaded}"
    assert loaded.title == case.title and not loaded.title_synthesised
    assert loaded.published is not None and loaded.published.day == case.day
    assert loaded.language == "en"
    texts = [" ".join(p.text.split()) for p in loaded.paragraphs]
    assert texts[:len(case.paragraphs)] == list(case.paragraphs), tail
    return loaded


def _load(data: bytes, suffix: str, context: LoadContext) -> object:
    path = FOLDER / f"article{suffix}"
    path.write_bytes(data)
    try:
        return load_file(path, FOLDER, context)
    except LoadError as error:
        assert error.path and error.message
        return error.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md"]),
       case=well_formed())
def test_any_bytes_load_or_fail_clearly(data: bytes, suffix: str, case: WellFormed,
                                        load_context: LoadContext) -> None:
    first = _load(data, suffix, load_context)
    assert first == _load(data, suffix, load_context)
    # The same loader reads a well-formed article in full, and the same way every time.
    loaded = _check_loaded(case, _load(case.text.encode(), case.suffix, load_context))
    assert loaded == _load(case.text.encode(), case.suffix, load_context)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=well_formed())
def test_a_well_formed_article_always_loads_in_full(case: WellFormed,
                                                    load_context: LoadContext) -> None:
    loaded = _check_loaded(case, _load(case.text.encode(), case.suffix, load_context))
    assert len(loaded.paragraphs) == len(case.paragraphs)
    assert loaded.id == "article" and loaded.path.endswith(f"article{case.suffix}")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.one_of(PAGE_LINES, st.text(max_size=120)), max_size=30),
       suffix=st.sampled_from([".txt", ".md"]), case=well_formed())
def test_any_page_loads_the_same_twice(lines: list[str], suffix: str, case: WellFormed,
                                       load_context: LoadContext) -> None:
    data = "\n".join(lines).encode("utf-8", errors="replace")
    first = _load(data, suffix, load_context)
    assert first == _load(data, suffix, load_context)
    if isinstance(first, Article):
        _check_invents_nothing(first, data.decode("utf-8"))
    # Page furniture after a well-formed article never costs it its title, date or text.
    # (control characters would make the file binary; a heading or '---' would start a
    # new Markdown block the body is allowed to end at).
    printable = ("".join(c for c in line if unicodedata.category(c) not in ("Cc", "Cs"))
                 for line in lines)
    tail = "\n".join(line for line in printable if line.strip() not in ("---", "")
                     and not line.lstrip().startswith("#"))
    text = case.text + "\n" + tail + "\n" if tail.strip() else case.text
    loaded = _load(text.encode("utf-8", errors="replace"), case.suffix, load_context)
    assert isinstance(loaded, Article), f"a well-formed article failed to load: {loaded}"
    assert loaded.title == case.title
    assert loaded.published is not None and loaded.published.day == case.day
    _check_invents_nothing(loaded, text.encode("utf-8", errors="replace").decode("utf-8"))
    body = " ".join(" ".join(p.text.split()) for p in loaded.paragraphs)
    assert all(paragraph in body for paragraph in case.paragraphs)


def _check_invents_nothing(article: Article, source: str) -> None:
    source += "\n" + html.unescape(source)  # "&amp;" on a scraped page is read as "&"
    assert article.paragraphs, "an article always has a body"
    for paragraph in article.paragraphs:  # the loader removes text, it never invents any
        assert all(word in source for word in paragraph.text.split())

"""Property tests: whatever bytes a file holds, the loader returns an Article or a LoadError."""

from __future__ import annotations

import html
import tempfile
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


def _load(data: bytes, suffix: str, context: LoadContext) -> object:
    path = FOLDER / f"article{suffix}"
    path.write_bytes(data)
    try:
        return load_file(path, FOLDER, context)
    except LoadError as error:
        assert error.path and error.message
        return error.message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md"]))
def test_any_bytes_load_or_fail_clearly(data: bytes, suffix: str,
                                        load_context: LoadContext) -> None:
    first = _load(data, suffix, load_context)
    assert first == _load(data, suffix, load_context)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(st.one_of(PAGE_LINES, st.text(max_size=120)), max_size=30),
       suffix=st.sampled_from([".txt", ".md"]))
def test_any_page_loads_the_same_twice(lines: list[str], suffix: str,
                                       load_context: LoadContext) -> None:
    data = "\n".join(lines).encode("utf-8", errors="replace")
    first = _load(data, suffix, load_context)
    assert first == _load(data, suffix, load_context)
    if isinstance(first, Article):
        source = data.decode("utf-8")
        source += "\n" + html.unescape(source)  # "&amp;" on a scraped page is read as "&"
        assert first.paragraphs, "an article always has a body"
        for paragraph in first.paragraphs:  # the loader removes text, it never invents any
            assert all(word in source for word in paragraph.text.split())

"""Whole random archives: whatever the files hold, the build stays inside its contract.

Every file is either published or reported; no exception escapes; nothing is written
outside the output folder; every piece of content is escaped in the HTML.
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsforge.build import build_site
from newsforge.cache import CACHE_DIR
from newsforge.config import default_config, replace
from newsforge.model import Severity

# Text that would do harm if it reached a page unescaped.
HOSTILE = "<script>alert(1)</script>"
names = st.sampled_from(["Tô Lâm", "Hun Manet", "Sonexay Siphandone", "Anna Lind",
                         "Lao People's Revolutionary Party", HOSTILE, "&amp;", '"quoted"'])
words = st.text(alphabet=string.ascii_letters + "àáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặ ",
                min_size=1, max_size=30)
sentence = st.builds(lambda a, b, c: f"{a} {b} met {c}.", words, names, names)


@st.composite
def markdown_article(draw: st.DrawFn) -> bytes:
    title = draw(st.one_of(names, words)).replace("\n", " ")
    front = draw(st.sampled_from([
        f"title: {title!r}\ndate: 2024-0{draw(st.integers(1, 9))}-1{draw(st.integers(0, 9))}\n",
        f"title: {title!r}\nlanguage: {draw(st.sampled_from(['en', 'vi', 'xx', '']))}\n",
        f"title: [{title}\n",  # broken YAML
        f"date: {draw(st.sampled_from(['2024-02-30', 'yesterday', '0000-01-01']))}\n",
        "",
    ]))
    body = "\n\n".join(draw(st.lists(sentence, min_size=0, max_size=4)))
    return f"---\n{front}---\n\n{body}\n".encode()


@st.composite
def raw_article(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.one_of(sentence, names, words,
                                    st.sampled_from(["Home | News", "Comments (3)", "aa",
                                                     "10:57 | 02/12/2025 GMT+7", "29/2",
                                                     "Source: https://example.org/a"])),
                          min_size=0, max_size=8))
    return "\n\n".join(lines).encode()


files = st.lists(st.tuples(st.sampled_from([".md", ".txt"]),
                           st.one_of(markdown_article(), raw_article(),
                                     st.binary(max_size=200))),
                 min_size=1, max_size=6)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=files)
def test_a_random_archive_builds_within_the_contract(tmp_path_factory: object,
                                                     files: list[tuple[str, bytes]]) -> None:
    root = tmp_path_factory.mktemp("random")  # type: ignore[attr-defined]
    content = root / "content"
    content.mkdir()
    for n, (suffix, data) in enumerate(files):
        (content / f"file-{n}{suffix}").write_bytes(data)
    before = {p for p in root.rglob("*")}
    config = replace(default_config(root), content=content, output=root / "build")
    result = build_site(config)

    published = len(list((root / "build").glob("*/articles/*/index.html"))) if result.ok else 0
    assert result.ok, [p.format() for p in result.problems]
    assert published == result.articles
    reported = {p.path for p in result.problems}
    assert set(result.left_out) <= reported
    # Every file is on the site or reported (left out, or skipped as no article at all).
    skipped = {p.path for p in result.problems if p.severity is Severity.INFO}
    assert result.articles + len(set(result.left_out) | skipped) == len(files)
    outside = {p for p in root.rglob("*") if not p.is_relative_to(root / "build")
               and not p.is_relative_to(root / CACHE_DIR)} - before  # the cache is ours
    assert outside == set()
    for page in (root / "build").rglob("*.html"):
        assert HOSTILE not in page.read_text(encoding="utf-8"), page

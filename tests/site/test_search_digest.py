"""What Pagefind reads from a page, as a digest: a bundle is indexed again only when it
changes. Changes outside the marked body, or inside parts marked to be ignored, leave it
alone; changes to the body, the language, the title or a filter do not."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsforge.search import search_digest

PAGE = (b'<!DOCTYPE html>\n<html lang="en"><head><title>To Lam</title></head><body>'
        b"<nav>Home</nav><main><div data-pagefind-body><h1>To Lam</h1>"
        b'<span data-pagefind-filter="kind:Person"></span>'
        b'<section data-pagefind-ignore><ol><li><a href="a/">Card one</a></li>'
        b'<li><div>nested <div>deeper</div></div></li></ol></section>'
        b'<div class="chart" data-pagefind-ignore><svg><text>12</text></svg></div>'
        b"<p>Also written T\xc3\xb4 L\xc3\xa2m</p></div>"
        b"<aside>Related: Ferry resumes</aside></main></body></html>")


def _changed(old: bytes, new: bytes) -> bytes:
    assert old in PAGE
    return PAGE.replace(old, new)


def test_changes_pagefind_does_not_read_keep_the_digest() -> None:
    for old, new in [(b"Card one", b"Card two"), (b"deeper", b"deepest"),
                     (b"<text>12", b"<text>13"), (b"Ferry resumes", b"Bridge opens"),
                     (b"<nav>Home", b"<nav>Start")]:
        assert search_digest(_changed(old, new)) == search_digest(PAGE), old


def test_changes_pagefind_reads_change_the_digest() -> None:
    for old, new in [(b"Also written", b"Also spelt"), (b'lang="en"', b'lang="vi"'),
                     (b"<title>To Lam", b"<title>To Lam (2)"),
                     (b"kind:Person", b"kind:Party"), (b"<h1>To Lam", b"<h1>T. Lam")]:
        assert search_digest(_changed(old, new)) != search_digest(PAGE), old


def test_a_mark_inside_an_ignored_part_keeps_that_part_read() -> None:
    marked = _changed(b"Card one</a>", b'Card one</a><span data-pagefind-meta="x">1</span>')
    assert search_digest(marked.replace(b"Card one", b"Card two")) != search_digest(marked)


def test_without_a_marked_body_the_whole_page_is_read() -> None:
    plain = PAGE.replace(b" data-pagefind-body", b"")
    assert search_digest(plain.replace(b"Ferry", b"Boat")) != search_digest(plain)
    assert search_digest(plain.replace(b"Card one", b"Card 1")) == search_digest(plain)


@given(st.binary(max_size=400), st.sampled_from([b"<div data-pagefind-body>",
                                                 b"<section data-pagefind-ignore>",
                                                 b"</div>", b"</section>", b"<br>", b"<"]))
def test_any_bytes_give_a_digest(noise: bytes, tag: bytes) -> None:
    page = noise[:200] + tag + noise[200:]
    assert search_digest(page) == search_digest(bytes(page))
    assert len(search_digest(page)) == 32

"""The cached analysis keeps its articles' texts packed apart from a bare Site: unpacked,
they give back the articles as they were, and pages read the same texts either way."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from sitekit import article, entity, mentions

from newsforge.config import default_config
from newsforge.model import DateSource, Evidence, Problem, Severity, Tagging
from newsforge.render.texts import Texts
from newsforge.site import (
    TEXT_FIELDS,
    PackedTexts,
    Site,
    assemble,
    with_retouched,
    with_texts,
    without_texts,
)

CONFIG = default_config(Path("/tmp/site-under-test"))


def _site() -> Site:
    english = article("en-meeting", "en", partial=(12, 1), dateline="Vientiane",
                      text="Ministers met in Vientiane on Monday.\n\nThey signed two "
                           "agreements on river transport.")
    english = dataclasses.replace(english, problems=(
        Problem(english.path, 2, "no year", severity=Severity.WARNING, field="date"),),
        evidence=(Evidence("title", "the first line", line=1),))
    vietnamese = article("vi-meeting", "vi", day=dt.date(2025, 12, 2),
                         text="Các bộ trưởng đã gặp nhau tại Viêng Chăn.")
    empty = article("sv-empty", "sv", day=dt.date(2025, 12, 3), text="")
    names = ("quyet", "khamphanh", "lprp", "congress")
    tagging = Tagging(tuple(entity(e) for e in sorted(names)),
                      (*mentions("en-meeting", *names), *mentions("vi-meeting", *names)))
    return assemble([english, vietnamese, empty], tagging, CONFIG)


def test_packed_texts_give_back_the_whole_site() -> None:
    site = _site()
    bare, packed = without_texts(site), PackedTexts.of(site.articles)
    assert all(getattr(a, name) == () for a in bare.articles for name in TEXT_FIELDS)
    assert bare != site
    assert with_texts(bare, packed) == site
    assert packed.whole(bare.article_by_id["vi-meeting"]) == site.article_by_id["vi-meeting"]
    assert "vi-meeting" in packed and "vi-meeting" not in packed.without(["vi-meeting"])
    assert packed.without(["no-such-article"]) is packed


def test_pages_read_the_same_texts_from_a_bare_site() -> None:
    site = _site()
    whole = Texts(site.article_by_id)
    bare = without_texts(site)
    packed = Texts(bare.article_by_id, packed=PackedTexts.of(site.articles))
    for aid in site.article_by_id:
        assert packed.paragraphs(aid) == whole.paragraphs(aid)
        assert packed.excerpt(aid) == whole.excerpt(aid)
        assert packed.digest(aid) == whole.digest(aid)
    assert packed.paragraphs("en-meeting") == (
        "Ministers met in Vientiane on Monday.", "They signed two agreements on river "
        "transport.")


def test_retouching_a_bare_site_keeps_the_evidence_of_a_linked_date() -> None:
    """A date taken from the same story keeps its evidence when the article's text is
    edited, though the cached Site holds the article bare."""
    site = _site()
    before = site.article_by_id["en-meeting"]
    assert before.date_source is DateSource.LINKED
    edited = dataclasses.replace(
        article("en-meeting", "en", partial=(12, 1), dateline="Vientiane",
                text="Ministers met in Vientiane on Monday afternoon."),
        evidence=(Evidence("title", "the first line", line=1),))
    from_whole = with_retouched(site, [edited])
    from_bare = with_retouched(without_texts(site), [edited], PackedTexts.of(site.articles))
    assert from_bare.article_by_id["en-meeting"] == from_whole.article_by_id["en-meeting"]
    assert from_bare.article_by_id["en-meeting"].evidence[-1] == before.evidence[-1]

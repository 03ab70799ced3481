"""urls: relative links agree with posixpath, slugs are stable and readable."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from newsforge import urls
from newsforge.model import EntityType

segment = st.sampled_from(["a", "b", "en", "articles", "x-1", "2024"])
folder = st.lists(segment, max_size=4).map(lambda parts: "".join(p + "/" for p in parts))


@given(folder, folder, st.booleans())
def test_relative_links_agree_with_posixpath(source: str, target: str, to_file: bool) -> None:
    page = source + "index.html"
    goal = target + "feed.xml" if to_file else target
    expected = posixpath.relpath(goal if to_file else target + "index.html",
                                 posixpath.dirname(page) or ".")
    assert urls.relative(page, goal) == expected


def test_slugs_are_readable_and_keep_folders() -> None:
    assert urls.legacy_article_slug("tin-tuc/Hội nghị Trung ương") == "tin-tuc/hoi-nghi-trung-uong"
    assert urls.legacy_article_slug("x", override="My Slug") == "my-slug"
    assert urls.entity_slug("person/to-lam", EntityType.PERSON) == "to-lam"
    assert urls.entity_slug("Tô Lâm", EntityType.PERSON) == "to-lam"
    assert urls.entity(EntityType.PARTY, "cpv") == "entities/parties/cpv/"
    assert urls.paged("en/", 1) == "en/" and urls.paged("en/", 3) == "en/page/3/"
    assert urls.absolute("https://example.org/archive", "en/") == "https://example.org/archive/en/"

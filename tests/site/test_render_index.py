"""Entity index pages: collation order, letters across pages, unique anchors."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from sitekit import article, entity, mentions

from newsforge.config import Config
from newsforge.model import Tagging
from newsforge.render import INDEX_PAGE_SIZE, render_mapping
from newsforge.site import assemble
from newsforge.theme import load_theme


def test_letters_link_to_the_page_where_they_start(site_config: Callable[..., Config]) -> None:
    config = site_config()
    names = [f"Dang {i:03d}" for i in range(INDEX_PAGE_SIZE)] + ["Đinh Một", "Ánh Hai", "Zed"]
    people = [entity(f"p{i:03d}", name=name) for i, name in enumerate(names)]
    story = article("one", "vi", day=dt.date(2024, 5, 1))
    tagging = Tagging(tuple(people), tuple(mentions("one", *(p.id for p in people))))
    files = render_mapping(assemble([story], tagging, config), load_theme(config), config)
    first = files["vi/entities/people/index.html"].decode()
    second = files["vi/entities/people/page/2/index.html"].decode()
    # Vietnamese: Á files under A, D before Đ, Z last; 'Đ' is a letter of its own.
    assert re.findall(r'<h2>([^<]+)</h2>', first) == ["A", "D"]
    assert re.findall(r'<h2>([^<]+)</h2>', second) == ["D", "Đ", "Z"]
    jump = re.search(r'<nav class="letters".*?</nav>', second, re.S)
    assert jump is not None
    assert re.findall(r'href="([^"]+)"', jump.group(0)) == [
        "../../index.html#letter-a", "../../index.html#letter-d", "index.html#letter-272",
        "index.html#letter-z"]
    assert len(set(re.findall(r'id="([^"]+)"', second))) == len(re.findall(r'id="', second))
    english = files["en/entities/people/page/2/index.html"].decode()
    assert re.findall(r'<h2>([^<]+)</h2>', english) == ["D", "Z"]

"""Everything that comes from content is escaped on every page, feed and sitemap."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from sitekit import article, article_text, entity

from newsforge.config import Config
from newsforge.model import BodyFormat, Mention, Source, Tagging
from newsforge.render import render_mapping
from newsforge.site import assemble
from newsforge.theme import load_theme

EVIL = '<script>alert("x")</script>'


def test_script_in_content_is_escaped_everywhere(site_config: Callable[..., Config]) -> None:
    config = site_config()
    hostile = article("evil", "en", title=f"Breaking {EVIL} news", day=dt.date(2024, 3, 1),
                      text=f"First {EVIL} paragraph.\n\nSecond <b>bold</b> & more.",
                      dateline=EVIL, author=EVIL, source=EVIL)
    hostile = dataclasses.replace(hostile, source=Source(EVIL, "javascript:alert(1)"))
    markdown = article("md", "vi", title="Markdown", day=dt.date(2024, 3, 1),
                       text=f"Raw {EVIL} html\n\n[link](javascript:alert(1)) <img src=x>")
    markdown = dataclasses.replace(markdown, body_format=BodyFormat.MARKDOWN)
    person = entity("evil-person", name=EVIL, names=(("en", EVIL), ("vi", EVIL)))
    tagging = Tagging((person,), tuple(Mention(aid, 0, 0, 5, EVIL, person.type, person.id)
                                       for aid in ("evil", "md")))
    site = assemble([hostile, markdown], tagging, config)
    files = render_mapping(site, load_theme(config), config)
    assert "entities/people/evil-person/index.html" in files
    # The script elements a page may hold: its structured data (whose JSON has no "<") and,
    # on the search page, the search script.
    leaks = [path for path, data in files.items()
             for rest in [re.sub(rb'<script (type="application/ld\+json"|src="[./]*static/search'
                                 rb'\.js" defer)>', b"", data)]
             if b"<script" in rest or b'="javascript:' in rest or b"<img src=x>" in rest]
    assert leaks == []
    page = article_text(files, "en/articles/evil/index.html")
    assert "Breaking &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; news" in page
    assert "Second &lt;b&gt;bold&lt;/b&gt; &amp; more." in page
    feed = files["en/feed.xml"].decode()
    assert "&lt;script&gt;" in feed
    assert "&lt;script&gt;" in article_text(files, "vi/articles/md/index.html")


def test_override_template_wins_and_escapes(site_config: Callable[..., Config],
                                            tmp_path: Path) -> None:
    (tmp_path / "templates" / "partials").mkdir(parents=True)
    (tmp_path / "templates" / "partials" / "card.html").write_text(
        '<p class="mine">{{ card.title }}</p>', encoding="utf-8")
    config = site_config()
    site = assemble([article("x", title=EVIL, day=dt.date(2024, 1, 1))], Tagging((), ()),
                    config)
    files = render_mapping(site, load_theme(config), config)
    listing = files["en/index.html"].decode()
    assert '<p class="mine">&lt;script&gt;' in listing

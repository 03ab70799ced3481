"""Everything that comes from content is escaped on every page, feed and sitemap."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import jinja2
from markupsafe import Markup
from sitekit import article, article_text, entity

from newsforge.config import Config
from newsforge.model import BodyFormat, Mention, Source, Tagging
from newsforge.render import kit, render_mapping
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


def test_printed_values_are_escaped_once_in_every_kind_of_output() -> None:
    """The renderer's compiler prints values itself (render/kit.py): text is escaped,
    markup is not, and nothing is escaped twice through a block, a macro, ``set``, an
    include or a filter; a template that turns autoescape off prints text as it is."""
    templates = {
        "page.html": ("{% macro box(v) %}<b>{{ v }}</b>{% endmacro %}"
                      "{% set kept %}[{{ text }}]{% endset %}"
                      "{{ text }}|{{ safe }}|{{ number }}|{{ box(text) }}|{{ kept }}|"
                      "{{ text | upper }}|{% include 'part.html' %}|"
                      "{% autoescape false %}{{ text }}{% endautoescape %}|"
                      "{% block inner %}{{ text }}{% endblock %}"),
        "part.html": "{{ text }}{{ safe }}",
    }
    env = kit._Environment(loader=jinja2.DictLoader(templates), autoescape=True)
    rendered = env.get_template("page.html").render(
        text="<a & 'b'>", safe=Markup("<i>x</i>"), number=3)
    escaped = "&lt;a &amp; &#39;b&#39;&gt;"
    assert rendered == (f"{escaped}|<i>x</i>|3|<b>{escaped}</b>|[{escaped}]|"
                        f"&lt;A &amp; &#39;B&#39;&gt;|{escaped}<i>x</i>|<a & 'b'>|{escaped}")
    # The values are printed by the renderer's own function, not by Jinja's escape.
    assert "environment.printed(" in env.compile(templates["page.html"], raw=True)

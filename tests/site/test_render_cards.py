"""An article's card is rendered once per page language and reused at every folder depth
with its own link: the pages are those of rendering each card where it stands."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from sitekit import article, entity, mentions

from newsforge.config import Config
from newsforge.model import Tagging
from newsforge.render import Renderer, render_mapping, render_order
from newsforge.site import assemble, newest_first
from newsforge.theme import default_theme_dir, load_theme


def _archive(config: Config) -> Callable[[], dict[str, bytes]]:
    """Articles naming two people, so that each card stands on entity pages (first and
    later ones, in every language), day, month and listing pages, at several depths;
    one headline and one source hold the character the reused markup marks links with."""
    people = (entity("lan-pham", names=(("en", "Lan Pham"), ("vi", "Phạm Lan"))),
              entity("erik-berg"))
    articles = [article(f"a{i:02d}", ("en", "vi", "sv")[i % 3],
                        title=f"Council vote {i}" + ("\x1f & <more>" if i == 4 else ""),
                        day=dt.date(2024, 3, 1 + i % 5), source="Desk\x1f" if i == 7 else "Desk",
                        text=f"Lan Pham and Erik Berg met on day {i}.")
                for i in range(30)]
    tagging = Tagging(people, tuple(m for a in articles
                                    for m in mentions(a.id, "lan-pham", "erik-berg")))
    site = assemble(articles, tagging, config)
    return lambda: dict(render_mapping(site, load_theme(config), config))


def test_reused_cards_equal_cards_rendered_where_they_stand(
        site_config: Callable[..., Config], tmp_path: Path) -> None:
    config = site_config(per_page=4)
    reused = _archive(config)()
    # The same card template as a site's own: it is rendered for every link as written.
    own = tmp_path / "templates" / "partials"
    own.mkdir(parents=True)
    shutil.copy(default_theme_dir() / "templates" / "partials" / "card.html", own)
    assert _archive(config)() == reused
    # Each card links to its article from where it stands.
    page = "vi/entities/people/lan-pham/page/2/index.html"
    links = re.findall(r'class="card-title"><a href="([^"]+)"', reused[page].decode())
    assert len(links) == 4
    for link in links:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), link))
        assert target in reused
    marked = [data.decode() for path, data in reused.items() if path.endswith(".html")
              and "Council vote 4\x1f &amp; &lt;more&gt;</a>" in data.decode()]
    assert len(marked) > 3


def test_entity_pages_are_rendered_by_the_weeks_they_list_with_the_same_bytes(
        site_config: Callable[..., Config]) -> None:
    """Entity pages come last, language by language, ordered by the newest article each
    lists; the other pages keep the plan's order, and the bytes do not depend on the
    order (the cards a renderer keeps differ between the two)."""
    config = site_config(per_page=3)
    people = tuple(entity(f"person-{n}") for n in range(6))
    articles = [article(f"a{i:02d}", ("en", "vi", "sv")[i % 3], title=f"Vote {i}",
                        day=dt.date(2024, 1 + i % 12, 1 + i % 27) if i % 7 else None)
                for i in range(40)]
    tagging = Tagging(people, tuple(
        m for i, a in enumerate(articles)
        for m in mentions(a.id, *(p.id for n, p in enumerate(people) if i % (n + 2) == 0))))
    site = assemble(articles, tagging, config)
    theme = load_theme(config)
    jobs = Renderer(site, theme, config).jobs()
    order = render_order(site, config, jobs)

    assert sorted(order) == list(range(len(jobs)))
    ordered = [jobs[n] for n in order]
    entity_pages = [job for job in ordered if job.kind == "entity"]
    assert len(entity_pages) > 2 * len(people)  # later pages, in three languages
    assert ordered[:-len(entity_pages)] == [job for job in jobs if job.kind != "entity"]
    newest = {a.id: n for n, a in enumerate(sorted(site.articles, key=newest_first))}
    keys = [(site.languages.index(job.key[0]),
             newest[site.articles_of_entity[job.key[1]][(job.page - 1) * config.per_page]])
            for job in entity_pages]
    assert keys == sorted(keys)
    assert keys != [keys[n] for n in sorted(range(len(keys)),  # not the plan's order
                                            key=lambda n: jobs.index(entity_pages[n]))]

    renderer = Renderer(site, theme, config)
    assert {job.path: renderer.render(job, jobs)[1] for job in ordered} \
        == render_mapping(site, theme, config)

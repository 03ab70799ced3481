"""Month charts: the counts behind the bars, the SVG and its table on the built pages."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Mapping

import pytest
from sitekit import article, entity

from newsforge.charts import CHART_HEIGHT, month_chart, shares, site_counts
from newsforge.config import Config
from newsforge.model import EntityType, Mention, Tagging
from newsforge.render import render_pages
from newsforge.site import Site, assemble
from newsforge.theme import load_theme

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert("x")</script>'
FIGURE = re.compile(r'<div class="chart".*?</details>', re.S)
SVG_ELEMENT = re.compile(r"<svg .*?</svg>", re.S)
TABLE_ROW = re.compile(r'<tr><th scope="row">(.*?)</th><td>(\d+)</td></tr>')


def _site(config: Config) -> Site:
    """Articles in January, March and April 2024 (none in February), one undated; a person
    named with markup in two articles, one with a single dated article, one never dated."""
    days = [dt.date(2024, 1, 5), dt.date(2024, 1, 20), dt.date(2024, 3, 2),
            dt.date(2024, 4, 9), dt.date(2024, 4, 10), dt.date(2024, 4, 11)]
    articles = [article(f"a{i}", day=day) for i, day in enumerate(days)]
    articles.append(article("undated"))
    evil = entity("evil-person", name=EVIL, names=(("en", EVIL),))
    once = entity("once")
    never = entity("never")
    tagging = Tagging((evil, once, never), (
        *(Mention(aid, 0, 0, 4, EVIL, evil.type, evil.id) for aid in ("a0", "a3")),
        Mention("a2", 0, 0, 4, "Once", once.type, once.id),
        Mention("undated", 0, 0, 4, "Never", never.type, never.id),
    ))
    return assemble(articles, tagging, config)


@pytest.fixture
def rendered(site_config: Callable[..., Config]) -> tuple[Site, Mapping[str, str]]:
    config = site_config()
    site = _site(config)
    files = dict(render_pages(site, load_theme(config), config))
    return site, {path: data.decode() for path, data in files.items() if path.endswith(".html")}


def _chart(page: str) -> tuple[ET.Element, list[tuple[str, int]]]:
    """The chart's SVG, parsed as XML, and its table's (label, count) rows."""
    figures = FIGURE.findall(page)
    assert len(figures) == 1
    svg = ET.fromstring(SVG_ELEMENT.findall(figures[0])[0].replace(
        "<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
    return svg, [(label, int(n)) for label, n in TABLE_ROW.findall(figures[0])]


def test_counts_are_the_sites_articles_per_month_and_gaps_are_empty_slots(
        site_config: Callable[..., Config]) -> None:
    site = _site(site_config())
    counts = site_counts(site)
    expected = Counter((a.published.day.year, a.published.day.month)
                       for a in site.articles if a.published)
    assert counts.archive == dict(expected)
    chart = month_chart(counts.archive)
    assert chart is not None
    assert [(b.year, b.month, b.count) for b in chart.bars] == [
        (2024, 1, 2), (2024, 3, 1), (2024, 4, 3)]
    assert (chart.first, chart.last) == ((2024, 1), (2024, 4))
    assert chart.total == 6 and (chart.peak.year, chart.peak.month) == (2024, 4)
    assert chart.peak.height == CHART_HEIGHT and chart.bars[1].height == CHART_HEIGHT / 3
    # Four slots of 150 units: February's stays empty.
    assert [bar.x // 150 for bar in chart.bars] == [0, 2, 3]
    assert counts.by_entity["evil-person"] == {(2024, 1): 1, (2024, 4): 1}
    assert "never" not in counts.by_entity


def test_a_chart_crosses_the_year_and_keeps_to_its_span() -> None:
    chart = month_chart({(2023, 11): 1, (2024, 2): 2, (2024, 5): 9}, ((2023, 11), (2024, 2)))
    assert chart is not None and (chart.first, chart.last) == ((2023, 11), (2024, 2))
    assert [(bar.year, bar.month, bar.x // 150) for bar in chart.bars] == [
        (2023, 11, 0), (2024, 2, 3)]
    assert chart.total == 3
    assert month_chart({}) is None
    assert month_chart({(2024, 5): 9}, ((2023, 11), (2024, 2))) is None


def test_home_chart_is_svg_with_title_and_desc_and_its_table_matches(
        rendered: tuple[Site, Mapping[str, str]]) -> None:
    _, pages = rendered
    svg, rows = _chart(pages["index.html"])
    assert svg.get("role") == "img"
    labelled = (svg.get("aria-labelledby") or "").split()
    ids = {el.get("id"): el.tag for el in svg if el.get("id")}
    assert [ids[i] for i in labelled] == [f"{SVG}title", f"{SVG}desc"]
    assert svg.findtext(f"{SVG}title") == "Articles per month"
    assert "January 2024" in (svg.findtext(f"{SVG}desc") or "")
    # The table lists the months with articles; the empty February is only a gap.
    assert rows == [("January 2024", 2), ("March 2024", 1), ("April 2024", 3)]
    heights = [float(r.get("height", "0")) for r in svg.iter(f"{SVG}rect")]
    # Zero months draw no bar; the others are in proportion to their counts.
    assert heights == [80.0, 40.0, 120.0]


def test_year_page_draws_all_twelve_months(rendered: tuple[Site, Mapping[str, str]]) -> None:
    _, pages = rendered
    page = pages["archive/2024/index.html"]
    svg, rows = _chart(page)
    assert rows == [("January", 2), ("March", 1), ("April", 3)]
    # Twelve slots of 50 units: the bars stand in their months', and the axis runs to
    # December.
    slots = [float(r.get("x", "0")) // 50 for r in svg.iter(f"{SVG}rect")]
    assert slots == [0, 2, 3]
    assert '<p class="chart-axis"><span>January</span><span>December</span></p>' in page
    _, swedish = _chart(pages["sv/archive/2024/index.html"])
    assert swedish[0] == ("januari", 2)


def test_entity_charts_escape_the_name_and_cover_one_month_or_none(
        rendered: tuple[Site, Mapping[str, str]]) -> None:
    _, pages = rendered
    evil_page = pages["entities/people/evil-person/index.html"]
    assert EVIL not in evil_page
    svg, rows = _chart(evil_page)
    assert svg.findtext(f"{SVG}title") == f"{EVIL}: articles per month"
    assert rows == [("January 2024", 1), ("April 2024", 1)]
    _, once = _chart(pages["entities/people/once/index.html"])
    assert once == [("March 2024", 1)]
    assert FIGURE.findall(pages["entities/people/never/index.html"]) == []


def test_appears_with_is_drawn_as_bars_ranked_by_count(
        site_config: Callable[..., Config]) -> None:
    config = site_config()
    people = [entity(name) for name in ("main", "often", "seldom")]
    tagging = Tagging(tuple(people), tuple(
        Mention(aid, 0, i, i + 1, eid, EntityType.PERSON, eid)
        for aid, eids in (("x", ("main", "often", "seldom")), ("y", ("main", "often")))
        for i, eid in enumerate(eids)))
    site = assemble([article("x", day=dt.date(2024, 1, 1)), article("y", day=dt.date(2024, 1, 2))],
                    tagging, config)
    page = dict(render_pages(site, load_theme(config), config))[
        "entities/people/main/index.html"].decode()
    widths = re.findall(r'<svg class="rank-bar" aria-hidden="true"[^>]*><rect width="([\d.]+)"',
                        page)
    assert widths == ["100.0", "50.0"]
    assert shares([]) == () and shares([0, 0]) == (0.0, 0.0)

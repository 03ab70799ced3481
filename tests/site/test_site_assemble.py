"""assemble(): story linking, dating from the same story, URL claims, determinism."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest
from sitekit import article, entity, mentions

from newsforge.config import default_config
from newsforge.model import Article, DateSource, EntityType, Problem, Severity, Tagging
from newsforge.site import _story_score, assemble, resolved_by_linking

CONFIG = default_config(Path("/tmp/site-under-test"))


def _tagging(*pairs: tuple[str, tuple[str, ...]]) -> Tagging:
    ids = sorted({e for _, es in pairs for e in es})
    return Tagging(tuple(entity(e) for e in ids),
                   tuple(m for aid, es in pairs for m in mentions(aid, *es)))


def test_same_story_gives_a_yearless_article_its_year() -> None:
    english = article("en-meeting", "en", partial=(12, 1), dateline="Vientiane")
    no_year = Problem(english.path, 2, "no year", severity=Severity.WARNING, field="date")
    english = dataclasses.replace(english, problems=(no_year,))
    vietnamese = article("vi-meeting", "vi", day=dt.date(2025, 12, 2))
    unrelated = article("sv-other", "sv", day=dt.date(2025, 12, 1))
    tagging = _tagging(("en-meeting", ("quyet", "khamphanh", "lprp", "congress")),
                       ("vi-meeting", ("quyet", "khamphanh", "lprp", "to-lam")),
                       ("sv-other", ("to-lam", "thongloun", "summit", "lprp")))
    site = assemble([english, vietnamese, unrelated], tagging, CONFIG)
    dated = site.article_by_id["en-meeting"]
    assert dated.published is not None and dated.published.day == dt.date(2025, 12, 1)
    assert dated.date_source is DateSource.LINKED
    assert dated.problems == ()
    assert resolved_by_linking(no_year, {a.path: a for a in site.articles})
    assert any("vi-meeting" in e.detail for e in dated.evidence if e.field == "date")
    assert site.same_story["en-meeting"] == ("vi-meeting",)
    assert site.same_story["vi-meeting"] == ("en-meeting",)
    assert "sv-other" not in site.same_story
    assert site.dates.on(dt.date(2025, 12, 1)) == ("en-meeting", "sv-other")
    assert site.dates.undated == ()


def test_year_wraps_to_the_closest_date() -> None:
    late = article("en-late", "en", partial=(12, 31))
    early = article("vi-early", "vi", day=dt.date(2026, 1, 1))
    tagging = _tagging(("en-late", ("a", "b", "c")), ("vi-early", ("a", "b", "c")))
    site = assemble([late, early], tagging, CONFIG)
    published = site.article_by_id["en-late"].published
    assert published is not None and published.day == dt.date(2025, 12, 31)


def test_without_a_story_a_yearless_article_stays_undated_with_a_warning() -> None:
    lonely = article("en-lonely", "en", partial=(3, 4))
    far = article("vi-far", "vi", day=dt.date(2025, 6, 1))
    tagging = _tagging(("en-lonely", ("a", "b", "c")), ("vi-far", ("a", "b", "c")))
    site = assemble([lonely, far], tagging, CONFIG)
    assert site.article_by_id["en-lonely"].published is None
    assert site.dates.undated == ("en-lonely",)
    warnings = [p for p in site.problems if p.severity is Severity.WARNING]
    assert [(p.path, p.line) for p in warnings] == [("content/en-lonely.txt", 2)]


def test_same_language_reports_are_related_not_the_same_story() -> None:
    one = article("en-one", "en", day=dt.date(2024, 5, 1))
    two = article("en-two", "en", day=dt.date(2024, 5, 2))
    tagging = _tagging(("en-one", ("a", "b")), ("en-two", ("a", "b")))
    site = assemble([one, two], tagging, CONFIG)
    assert site.same_story == {}
    assert site.related["en-one"] == ("en-two",)


def test_two_articles_claiming_one_url_are_refused_naming_both_files() -> None:
    # Headline slugs end in a tag of the article's id, so only chosen slugs can clash.
    day = dt.date(2024, 1, 1)
    first = article("news/Visit", "en", day=day, extra=(("slug", "visit"),))
    second = dataclasses.replace(article("news/visit", "en", day=day, extra=(("slug", "visit"),)),
                                 path="content/news/visit.md")
    third = article("other", "en", day=day, extra=(("slug", "Visit"),))
    site = assemble([first, second, third], Tagging((), ()), CONFIG)
    errors = [p for p in site.problems if p.severity is Severity.ERROR]
    assert len(errors) == 2
    for error in errors:
        assert "en/2024/01/01/visit/" in error.message
    assert {e.path for e in errors} == {"content/news/visit.md", "content/other.txt"}
    assert all("content/news/Visit.txt" in e.message for e in errors)
    assert [a.id for a in site.articles] == ["news/Visit"]


def _every_pair_links(articles: list[Article],
                      entities: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Story links by their definition, scoring every pair of articles: what assemble's
    inverted index, story window and shared-entity bounds must find without doing so."""
    best: dict[str, dict[str, tuple[float, str]]] = {}
    for one in articles:
        for other in articles:
            if one.language == other.language:
                continue
            shared = len(set(entities[one.id]) & set(entities[other.id]))
            score = _story_score(one, other, shared, len(entities[one.id]),
                                 len(entities[other.id]))
            if score is not None:
                current = best.setdefault(one.id, {}).get(other.language)
                if current is None or (-score, other.id) < (-current[0], current[1]):
                    best[one.id][other.language] = (score, other.id)
    language = {a.id: a.language for a in articles}
    links = {}
    for aid, choices in best.items():
        mutual = sorted((-score, other) for score, other in choices.values()
                        if best[other][language[aid]][1] == aid)
        if mutual:
            links[aid] = tuple(other for _, other in mutual)
    return dict(sorted(links.items()))


@pytest.mark.parametrize("seed", range(12))
def test_story_links_are_those_of_scoring_every_pair(seed: int) -> None:
    rng = random.Random(seed)
    pool = [f"e{n}" for n in range(14)]
    weights = [1 / (n + 1) for n in range(len(pool))]  # a few entities in most articles
    articles, entities = [], {}
    for n in range(70):
        day = dt.date(2024, 12, 20) + dt.timedelta(days=rng.randrange(25))
        yearless = rng.random() < 0.25
        item = article(f"a{n:02d}", rng.choice(("en", "vi", "sv", "lo")),
                       day=None if yearless else day,
                       partial=(day.month, day.day) if yearless else None,
                       dateline=rng.choice((None, "Vientiane", "Hà Nội")))
        articles.append(item)
        entities[item.id] = tuple(dict.fromkeys(
            rng.choices(pool, weights, k=rng.randrange(1, 12))))
    site = assemble(articles, _tagging(*entities.items()), CONFIG)
    assert site.same_story == _every_pair_links(articles, entities)
    assert site.same_story, "the archive should hold stories in several languages"


@pytest.mark.parametrize("partial", [None, (3, 9)])
def test_a_pair_exactly_at_the_overlap_threshold_is_linked(
        partial: tuple[int, int] | None) -> None:
    # 3 shared of 10 together: a Jaccard index of exactly STORY_MIN_OVERLAP, which the
    # least number of shared entities the candidate search asks for must still let in.
    many = article("en-many", "en", day=None if partial else dt.date(2024, 3, 9),
                   partial=partial)
    few = article("vi-few", "vi", day=dt.date(2024, 3, 10))
    named = tuple(f"e{n}" for n in range(10))
    site = assemble([many, few], _tagging(("en-many", named), ("vi-few", named[7:])), CONFIG)
    assert site.same_story["vi-few"] == ("en-many",)


def test_result_does_not_depend_on_input_order() -> None:
    articles = [article(f"a{i:02d}", ("en", "vi", "sv")[i % 3],
                        day=dt.date(2024, 1, 1 + i % 5) if i % 4 else None,
                        partial=(1, 1 + i % 5) if not i % 4 else None) for i in range(30)]
    pairs = [(a.id, tuple(f"e{(i * 7 + k) % 11}" for k in range(4)))
             for i, a in enumerate(articles)]
    tagging = _tagging(*pairs)
    expected = assemble(articles, tagging, CONFIG)
    shuffled = articles[:]
    random.Random(5).shuffle(shuffled)
    reversed_tagging = Tagging(tagging.entities[::-1], tagging.mentions[::-1])
    assert assemble(shuffled, reversed_tagging, CONFIG) == expected


def test_indexes_are_sorted_newest_first_and_by_language() -> None:
    old = article("old", "en", day=dt.date(2020, 2, 3))
    new = article("new", "en", day=dt.date(2024, 2, 3))
    undated = article("undated", "en")
    vi = article("viet", "vi", day=dt.date(2022, 1, 1))
    tagging = _tagging(("old", ("p",)), ("new", ("p",)), ("undated", ("p",)), ("viet", ("p",)))
    site = assemble([old, new, undated, vi], tagging, CONFIG)
    assert site.by_language["en"] == ("new", "old", "undated")
    assert site.by_language["vi"] == ("viet",)
    assert site.articles_of_entity["p"] == ("new", "viet", "old", "undated")
    assert site.dates.years[2020][2][3] == ("old",)
    assert site.entity_folder("p") == "entities/people/p/"
    assert site.article_folder("viet") == f"vi/2022/01/01/{site.slugs['viet'].rsplit('/', 1)[1]}/"
    assert site.article_folder("undated").startswith("en/undated/")


def test_cooccurring_entities_are_counted() -> None:
    articles = [article(f"x{i}", day=dt.date(2024, 1, 1)) for i in range(3)]
    tagging = _tagging(("x0", ("a", "b", "c")), ("x1", ("a", "b")), ("x2", ("a", "c")))
    site = assemble(articles, tagging, CONFIG)
    assert site.cooccurring["a"] == (("b", 2), ("c", 2))
    assert site.cooccurring["b"] == (("a", 2), ("c", 1))
    assert site.entity_by_id["a"].type is EntityType.PERSON

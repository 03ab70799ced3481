"""The whole archive as one Site: articles, entities, their links and dates, keyed by id.

``assemble`` is a pure function from the loader's articles and the tagger's result to a
frozen Site. Every relation is a mapping from an id to a tuple of ids, sorted
explicitly, so the Site (and the pages rendered from it) never depends on dict or set
iteration order. The work per article is bounded: candidate pairs come from an inverted
index entity -> articles, sorted by date, and only near neighbours in time are scored.

Story linking: two articles in different languages that share a large part of their
entities and were published within a few days of each other report the same story.
Translations an editor declared (the same ``translation_key``: Hugo's ``translationKey``
or a file name's language suffix) are always linked, and win over inferred links.
An article whose text named a day without a year (``partial_date``) takes its year from
the same story in another language; without one it stays undated, with a warning.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import heapq
import math
import pickle
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from operator import itemgetter
from typing import TypeVar

from newsforge import urls
from newsforge.config import Config
from newsforge.model import (
    Article,
    DateSource,
    Entity,
    EntityType,
    Evidence,
    Paragraph,
    Problem,
    Published,
    Severity,
    Tagging,
)

# Two reports of one story are published within this many days of each other.
STORY_WINDOW_DAYS = 3
# Two reports of one story name several of the same entities: at least this many, and
# this share of all the entities the two name together (Jaccard index).
STORY_MIN_SHARED = 3
STORY_MIN_OVERLAP = 0.3
# At most this many dated articles of one entity and one day of the year are looked at
# when matching a year-less article to dated ones (bounds the work on huge archives).
MAX_POSTING = 2000
# Related articles: for each shared entity look at this many neighbours in time.
RELATED_NEIGHBOURS = 6
RELATED_COUNT = 5
COOCCURRING_COUNT = 12
_UNDATED = 10**9  # sorts after every real date ordinal
# About this many articles in one part of the search index (a month of a huge year may
# hold more).
SEARCH_PART_SIZE = 4000

Score = TypeVar("Score", int, float)


@dataclass(frozen=True, slots=True)
class DateIndex:
    """Article ids by year -> month -> day (each sorted oldest first), and the undated."""

    years: Mapping[int, Mapping[int, Mapping[int, tuple[str, ...]]]]
    undated: tuple[str, ...]

    def days(self) -> tuple[dt.date, ...]:
        """Every day that has articles, oldest first."""
        return tuple(dt.date(y, m, d) for y in sorted(self.years)
                     for m in sorted(self.years[y]) for d in sorted(self.years[y][m]))

    def on(self, day: dt.date) -> tuple[str, ...]:
        """The ids of the articles of one day."""
        return self.years.get(day.year, {}).get(day.month, {}).get(day.day, ())

    def in_month(self, year: int, month: int) -> tuple[str, ...]:
        """The ids of one month's articles, oldest first."""
        days = self.years.get(year, {}).get(month, {})
        return tuple(aid for d in sorted(days) for aid in days[d])

    def count_year(self, year: int) -> int:
        return sum(len(ids) for month in self.years.get(year, {}).values()
                   for ids in month.values())


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the renderer needs, keyed by id and sorted explicitly.

    ``articles`` is sorted by id; listings (``by_language``, ``articles_of_entity``) are
    newest first (undated last, then by id). ``same_story`` maps an article id to the
    ids of its reports in other languages (best first, one per language). The mentions
    themselves stay in the tagger's result: pages need only which entities an article
    names (``entities_of_article``), and at 100k articles the mentions are a third of
    the archive's memory.
    """

    title: str
    languages: tuple[str, ...]
    default_language: str
    articles: tuple[Article, ...]
    article_by_id: Mapping[str, Article]
    slugs: Mapping[str, str]
    entities: tuple[Entity, ...]
    entity_by_id: Mapping[str, Entity]
    entity_slugs: Mapping[str, str]
    entities_of_article: Mapping[str, tuple[str, ...]]
    articles_of_entity: Mapping[str, tuple[str, ...]]
    dates: DateIndex
    by_language: Mapping[str, tuple[str, ...]]
    related: Mapping[str, tuple[str, ...]]
    cooccurring: Mapping[str, tuple[tuple[str, int], ...]]
    same_story: Mapping[str, tuple[str, ...]]
    problems: tuple[Problem, ...]
    legacy_slugs: Mapping[str, str] = field(default_factory=dict)
    """Article id -> the slug of its earlier URL ('<lang>/articles/<slug>/')."""
    search_parts: Mapping[str, str] = field(default_factory=dict)
    """Article id -> the part of the archive whose search index holds it (see
    ``search_parts``)."""

    def article_folder(self, article_id: str) -> str:
        """The output folder of an article ('en/2024/03/05/<slug>/')."""
        article = self.article_by_id[article_id]
        return urls.article(article.language, self.slugs[article_id])

    def legacy_article_folder(self, article_id: str) -> str:
        """The article's earlier folder ('en/articles/<id-slug>/'): a redirect to the new
        one lives there, and its Atom entry id keeps this form so readers see no repeats."""
        article = self.article_by_id[article_id]
        return urls.legacy_article(article.language, self.legacy_slugs[article_id])

    def entity_folder(self, entity_id: str, language: str = "") -> str:
        """The output folder of an entity's page in one language ('entities/people/<slug>/'
        for the default language or '', 'vi/entities/people/<slug>/' for Vietnamese)."""
        entity = self.entity_by_id[entity_id]
        return urls.entity(entity.type, self.entity_slugs[entity_id], self.prefix(language))

    def prefix(self, language: str) -> str:
        """The folder prefix of a language's entity and archive pages: '' for the default
        language (its URLs predate the other languages' copies and stay put), and for a
        language the site has no pages in."""
        if language == self.default_language or language not in self.by_language:
            return ""
        return language

    def entities_of_type(self, type_: EntityType) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.type is type_)


def assemble(articles: Sequence[Article], tagging: Tagging, config: Config) -> Site:
    """Build the Site from loaded articles and the archive's tagging. Pure.

    Two articles that claim one URL: the one with the smaller path is kept and an error
    names both files. Articles with a year-less date are dated from the same story in
    another language when there is one (a new Article record, ``DateSource.LINKED``).
    """
    problems: list[Problem] = []
    kept, slugs = _claim_urls(sorted(articles, key=lambda a: (a.id, a.path)), config,
                              problems)
    kept_ids = {a.id for a in kept}

    entity_by_id = {e.id: e for e in sorted(tagging.entities, key=lambda e: e.id)}
    mention_counts: dict[str, Counter[str]] = defaultdict(Counter)
    for mention in tagging.mentions:
        if mention.article_id in kept_ids and mention.entity_id in entity_by_id:
            mention_counts[mention.article_id][mention.entity_id] += 1
    entities_of_article = {aid: _entity_order(counts)
                           for aid, counts in sorted(mention_counts.items())}

    by_id = {a.id: a for a in kept}
    postings = _postings(entities_of_article, by_id)
    same_story = _link_translations(
        kept, _link_stories(kept, entities_of_article, postings, by_id), by_id)
    dated, date_problems = _date_from_stories(kept, same_story, by_id)
    problems.extend(date_problems)
    by_id = {a.id: a for a in dated}
    if dated != kept:
        postings = _postings(entities_of_article, by_id)

    listing_key = {aid: newest_first(article) for aid, article in by_id.items()}
    articles_of_entity = {eid: tuple(sorted(ids, key=listing_key.__getitem__))
                          for eid, ids in sorted(postings.items())}
    used_entities = tuple(entity_by_id[eid] for eid in sorted(articles_of_entity))
    entity_slugs, entity_problems = _entity_slugs(used_entities)
    problems.extend(entity_problems)

    languages = tuple(dict.fromkeys([*config.languages,
                                     *sorted({a.language for a in dated})]))
    listed = sorted(dated, key=newest_first)
    by_language = {lang: tuple(a.id for a in listed if a.language == lang)
                   for lang in languages}

    return Site(
        title=config.title,
        languages=languages,
        default_language=config.default_language,
        articles=tuple(dated),
        article_by_id=by_id,
        slugs=slugs,
        legacy_slugs={a.id: urls.legacy_article_slug(a.id, dict(a.extra).get("slug"))
                      for a in kept},
        entities=used_entities,
        entity_by_id={e.id: e for e in used_entities},
        entity_slugs=entity_slugs,
        entities_of_article=entities_of_article,
        articles_of_entity=articles_of_entity,
        dates=_date_index(dated),
        by_language=by_language,
        related=_related(dated, entities_of_article, postings),
        cooccurring=_cooccurring(entities_of_article),
        same_story=same_story,
        problems=tuple(problems),
        search_parts=search_parts(dated),
    )


def assembly_input(article: Article) -> Article:
    """The article as far as ``assemble`` reads it: without its text (paragraphs, their
    spans, the file's hash), its source, its author and the evidence of how the loader
    found its fields, which pages show but no link, date or URL depends on."""
    return dataclasses.replace(article, paragraphs=(), spans=(), content_hash="",
                               source=None, author=None, evidence=())


TEXT_FIELDS = ("paragraphs", "spans", "evidence", "problems")
"""The fields of an article that no page shows, or shows only on the article's own page
(its paragraphs): most of an archive's records."""


def without_texts(site: Site) -> Site:
    """``site`` with its articles' ``TEXT_FIELDS`` left empty (its articles "bare")."""
    emptied = dict.fromkeys(TEXT_FIELDS, ())
    return _with_articles(site, {
        article.id: dataclasses.replace(article, **emptied)  # type: ignore[arg-type]
        for article in site.articles})


@dataclass(frozen=True, slots=True)
class PackedTexts:
    """The ``TEXT_FIELDS`` of articles kept bare in a Site, each article's pickled on its
    own and unpickled when asked for. The cached analysis is kept so: an edit re-renders
    the pages of a few articles, and building the paragraphs, spans and evidence of every
    article (four fifths of a 10k-article analysis) took most of reading it."""

    packed: Mapping[str, bytes] = field(default_factory=dict)

    @classmethod
    def of(cls, articles: Iterable[Article]) -> PackedTexts:
        return cls({article.id: pickle.dumps(tuple(getattr(article, name)
                                                   for name in TEXT_FIELDS),
                                             protocol=pickle.HIGHEST_PROTOCOL)
                    for article in articles})

    def __contains__(self, article_id: str) -> bool:
        return article_id in self.packed

    def paragraphs(self, article_id: str) -> tuple[Paragraph, ...]:
        paragraphs: tuple[Paragraph, ...] = pickle.loads(self.packed[article_id])[0]
        return paragraphs

    def whole(self, article: Article) -> Article:
        """``article`` with its texts, when they are packed here (else as it is)."""
        found = self.packed.get(article.id)
        if found is None:
            return article
        return dataclasses.replace(article, **dict(zip(TEXT_FIELDS, pickle.loads(found),
                                                       strict=True)))

    def without(self, article_ids: Iterable[str]) -> PackedTexts:
        """These texts but those of ``article_ids``."""
        dropped = frozenset(article_ids)
        if dropped.isdisjoint(self.packed):
            return self
        return PackedTexts({aid: data for aid, data in self.packed.items()
                            if aid not in dropped})


def with_texts(site: Site, texts: PackedTexts) -> Site:
    """``site`` with the articles bare in it made whole from ``texts``."""
    return _with_articles(site, {article.id: texts.whole(article)
                                 for article in site.articles if article.id in texts})


def with_retouched(site: Site, articles: Iterable[Article],
                   texts: PackedTexts | None = None) -> Site:
    """``site`` with the text, source, author and evidence of ``articles``, whose
    ``assembly_input`` is that of the same articles in the input ``site`` was assembled
    from (and in whose text the tagger found the same names): what ``assemble`` would make
    of the archive with these articles, without assembling it again. Articles the site
    left out stay out. ``texts``: those of the site's bare articles."""
    changed: dict[str, Article] = {}
    for article in articles:
        before = site.article_by_id.get(article.id)
        if before is None or before.path != article.path:
            continue
        if texts is not None:
            before = texts.whole(before)
        # A date taken from the same story in another language added its evidence last.
        linked = before.evidence[-1:] if before.date_source is DateSource.LINKED else ()
        changed[article.id] = dataclasses.replace(
            before, paragraphs=article.paragraphs, spans=article.spans,
            content_hash=article.content_hash, source=article.source, author=article.author,
            evidence=(*article.evidence, *linked))
    return _with_articles(site, changed)


def _with_articles(site: Site, changed: Mapping[str, Article]) -> Site:
    """``site`` with the articles of ``changed`` (by id) in place of its own."""
    if not changed:
        return site
    return dataclasses.replace(
        site, articles=tuple(changed.get(a.id, a) for a in site.articles),
        article_by_id={aid: changed.get(aid, a) for aid, a in site.article_by_id.items()})


def search_parts(articles: Sequence[Article]) -> dict[str, str]:
    """Split the articles into parts of about ``SEARCH_PART_SIZE`` for the search index,
    by date so that a part rarely changes: a year ('2024'), or each month of a bigger year
    ('2024-03'), and the undated in parts by a hash of their id ('undated-2'). Each part
    is indexed on its own: a rebuild indexes again only the parts whose articles changed,
    and no indexing run holds a whole large archive."""
    by_year: dict[int, list[Article]] = defaultdict(list)
    undated: list[Article] = []
    for article in articles:
        if article.published is None:
            undated.append(article)
        else:
            by_year[article.published.day.year].append(article)
    parts: dict[str, str] = {}
    for year, members in by_year.items():
        big = len(members) > SEARCH_PART_SIZE
        for article in members:
            day = article.published.day  # type: ignore[union-attr]
            parts[article.id] = f"{year:04d}-{day.month:02d}" if big else f"{year:04d}"
    buckets = math.ceil(len(undated) / SEARCH_PART_SIZE)
    for article in undated:
        bucket = zlib.crc32(article.id.encode("utf-8", "surrogateescape")) % buckets
        parts[article.id] = f"undated-{bucket + 1}" if buckets > 1 else "undated"
    return dict(sorted(parts.items()))


# URLs ---------------------------------------------------------------------------------

def _claim_urls(articles: Sequence[Article], config: Config,
                problems: list[Problem]) -> tuple[list[Article], dict[str, str]]:
    """Each article's path below its language ('2024/03/05/<slug>'), from its headline
    and its OWN date: a date linked from another language's report comes later and could
    change as articles are added, and a URL must not."""
    claimed: dict[str, Article] = {}
    kept: list[Article] = []
    slugs: dict[str, str] = {}
    for article in sorted(articles, key=lambda a: (a.path, a.id)):
        slug = urls.article_path(_day(article), urls.article_slug(
            article.title, article.id, config.slugs, dict(article.extra).get("slug")),
            config.permalinks, article.id)
        folder = urls.article(article.language, slug)
        owner = claimed.get(folder)
        if owner is None and article.id in slugs:
            owner = next(a for a in kept if a.id == article.id)
        if owner is not None:
            problems.append(Problem(
                article.path, None,
                f"this article claims the URL /{folder} (id {article.id!r}), already "
                f"claimed by {owner.path} (id {owner.id!r}); it was left out",
                hint="rename one of the two files or give one a different 'slug' "
                     "in its front matter"))
            continue
        claimed[folder] = article
        slugs[article.id] = slug
        kept.append(article)
    kept.sort(key=lambda a: a.id)
    return kept, dict(sorted(slugs.items()))


def _entity_slugs(entities: Iterable[Entity]) -> tuple[dict[str, str], list[Problem]]:
    """Entity slugs; the rare entity whose slug is taken gets a numbered one (stable:
    the entity with the smaller id keeps the plain slug)."""
    taken: set[tuple[EntityType, str]] = set()
    slugs: dict[str, str] = {}
    problems: list[Problem] = []
    for entity in sorted(entities, key=lambda e: e.id):
        base = urls.entity_slug(entity.id, entity.type)
        slug, n = base, 2
        while (entity.type, slug) in taken:
            slug, n = f"{base}-{n}", n + 1
        if slug != base:
            problems.append(Problem(
                "<tagging>", None,
                f"entity {entity.id!r} would share the URL of another entity; "
                f"it is published as {slug!r}", severity=Severity.WARNING,
                hint="merge or rename one of them in the entity curation file"))
        taken.add((entity.type, slug))
        slugs[entity.id] = slug
    return slugs, problems


# Ordering -----------------------------------------------------------------------------

def newest_first(article: Article) -> tuple[int, int, str]:
    """Sort key: dated articles newest first, then undated, ties by id."""
    if article.published is None:
        return (1, 0, article.id)
    return (0, -article.published.day.toordinal(), article.id)


def _entity_order(mention_counts: Mapping[str, int]) -> tuple[str, ...]:
    """Entity ids of one article, most mentioned first, ties by id."""
    return tuple(eid for eid, _ in _largest_first(mention_counts))


def _largest_first(scores: Mapping[str, Score],
                   limit: int | None = None) -> list[tuple[str, Score]]:
    """``scores``' items (the first ``limit`` of them), the largest score first, ties by id.

    Two sorts on plain keys (by id, then stably by score) give the order of one sort by
    ``(-score, id)`` without calling a Python key function per item: these lists run to
    thousands of items per entity. With a ``limit``, only the items scoring at least the
    limit-th largest score (ties included) are sorted."""
    items: Iterable[tuple[str, Score]] = scores.items()
    if limit is not None and len(scores) > limit:
        cutoff = heapq.nlargest(limit, scores.values())[-1]
        items = [(key, score) for key, score in items if score >= cutoff]
    return sorted(sorted(items), key=itemgetter(1), reverse=True)[:limit]


def _day(article: Article) -> dt.date | None:
    return article.published.day if article.published else None


def _postings(entities_of_article: Mapping[str, tuple[str, ...]],
              by_id: Mapping[str, Article]) -> dict[str, list[str]]:
    """entity id -> ids of the articles naming it, dated oldest first, undated last."""
    date_key = {aid: _date_key(article) for aid, article in by_id.items()}
    postings: dict[str, list[str]] = defaultdict(list)
    # Visiting the articles in that order once leaves every list sorted.
    for aid in sorted((aid for aid in entities_of_article if aid in by_id),
                      key=date_key.__getitem__):
        for eid in entities_of_article[aid]:
            postings[eid].append(aid)
    return dict(postings)


def _date_key(article: Article) -> tuple[int, str]:
    day = _day(article)
    return (day.toordinal() if day else _UNDATED, article.id)


# Story linking ------------------------------------------------------------------------

def _link_stories(articles: Sequence[Article], entities_of_article: Mapping[str, tuple[str, ...]],
                  postings: Mapping[str, list[str]],
                  by_id: Mapping[str, Article]) -> dict[str, tuple[str, ...]]:
    """Article id -> its reports of the same story in other languages, best first."""
    best: dict[str, dict[str, tuple[float, str]]] = defaultdict(dict)
    least = {aid: _least_shared(len(entity_ids))
             for aid, entity_ids in entities_of_article.items()}
    pairs = chain(_dated_pairs(articles, entities_of_article, postings, by_id, least),
                  _yearless_pairs(articles, entities_of_article, postings, by_id, least))
    for one, other, shared in pairs:
        score = _story_score(one, other, shared, len(entities_of_article[one.id]),
                             len(entities_of_article[other.id]))
        if score is None:
            continue
        for mine, theirs in ((one, other), (other, one)):
            current = best[mine.id].get(theirs.language)
            if current is None or (-score, theirs.id) < (-current[0], current[1]):
                best[mine.id][theirs.language] = (score, theirs.id)
    # A link holds when each side sees the other as its best report in that language.
    links: dict[str, tuple[str, ...]] = {}
    for aid in sorted(best):
        mutual = [(score, other) for score, other in best[aid].values()
                  if best.get(other, {}).get(by_id[aid].language, (0.0, ""))[1] == aid]
        if mutual:
            links[aid] = tuple(other for _, other in sorted(mutual, key=lambda s: (-s[0], s[1])))
    return links


StoryPair = tuple[Article, Article, int]
"""Two articles in different languages and how many entities they share (at least the
``_least_shared`` of each): a candidate for one story, scored by ``_story_score``."""


def _dated_pairs(articles: Sequence[Article], entities_of_article: Mapping[str, tuple[str, ...]],
                 postings: Mapping[str, list[str]], by_id: Mapping[str, Article],
                 least: Mapping[str, int]) -> Iterator[StoryPair]:
    """Dated articles within the story window of each other, each pair once: from the
    earlier article (in ``_date_key`` order), whose candidates follow it in the postings."""
    in_order = sorted(by_id.values(), key=_date_key)
    rank = {article.id: n for n, article in enumerate(in_order)}
    ordinals = [_date_key(article)[0] for article in in_order]
    ranks = {eid: [rank[aid] for aid in ids] for eid, ids in postings.items()}
    for article in articles:
        mine = entities_of_article.get(article.id, ())
        day = _day(article)
        if day is None or len(mine) < STORY_MIN_SHARED:
            continue
        own = rank[article.id]
        after_window = bisect.bisect_right(ordinals, day.toordinal() + STORY_WINDOW_DAYS)
        found: list[str] = []
        for eid in mine:
            lo = bisect.bisect_right(ranks[eid], own)
            found.extend(postings[eid][lo:bisect.bisect_left(ranks[eid], after_window, lo)])
        yield from _shared_enough(article, Counter(found), by_id, least)


def _yearless_pairs(articles: Sequence[Article],
                    entities_of_article: Mapping[str, tuple[str, ...]],
                    postings: Mapping[str, list[str]], by_id: Mapping[str, Article],
                    least: Mapping[str, int]) -> Iterator[StoryPair]:
    """A year-less article and a dated one whose month and day fall within the story
    window of its own (the year does not count).

    A pair sharing the ``_least_shared`` entities meets in the lists of at least one of
    them but the longest few (one fewer than that least): those are only searched for the
    articles found in the others, which keeps the work on an archive's busiest entities
    in C (``Counter`` and ``filter``)."""
    yearless = [a for a in articles if a.published is None and a.partial_date is not None
                and len(entities_of_article.get(a.id, ())) >= STORY_MIN_SHARED]
    wanted = {eid for article in yearless for eid in entities_of_article[article.id]}
    # entity -> (month, day) -> the first MAX_POSTING dated articles naming it, oldest first
    dated_md: dict[str, dict[tuple[int, int], list[str]]] = {}
    for eid in sorted(wanted & postings.keys()):
        by_day: dict[tuple[int, int], list[str]] = {}
        for aid in postings[eid]:
            published = by_id[aid].published
            if published is None:
                break  # the postings list undated articles last
            listed = by_day.setdefault((published.day.month, published.day.day), [])
            if len(listed) < MAX_POSTING:
                listed.append(aid)
        dated_md[eid] = by_day
    for article in yearless:
        assert article.partial_date is not None
        nearby = _nearby_month_days(article.partial_date.month, article.partial_date.day)
        lists = []
        for eid in entities_of_article[article.id]:
            by_day = dated_md.get(eid, {})
            lists.append([aid for month_day in nearby for aid in by_day.get(month_day, ())])
        lists.sort(key=len)
        searched = len(lists) - least[article.id] + 1
        counted = Counter(chain.from_iterable(lists[:searched]))
        for longest in lists[searched:]:
            counted.update(filter(counted.__contains__, longest))
        yield from _shared_enough(article, counted, by_id, least)


def _shared_enough(article: Article, shared_with: Mapping[str, int],
                   by_id: Mapping[str, Article], least: Mapping[str, int]
                   ) -> Iterator[StoryPair]:
    """The pairs of ``article`` and the candidates it shares enough entities with (the
    ``_least_shared`` of both) that are in another language."""
    least_mine = least[article.id]
    for other_id, shared in shared_with.items():
        if shared >= least_mine and shared >= least[other_id] \
                and by_id[other_id].language != article.language:
            yield article, by_id[other_id], shared


def _least_shared(entity_count: int) -> int:
    """The fewest entities an article naming ``entity_count`` shares with a report of its
    story: ``STORY_MIN_SHARED``, and ``STORY_MIN_OVERLAP`` of its own count (the union
    of two articles' entities is at least as large as either, so their Jaccard index is
    at most shared / entity_count). Rounded down a hair so that float rounding never
    drops a pair ``_story_score`` would take."""
    return max(STORY_MIN_SHARED, math.ceil(STORY_MIN_OVERLAP * entity_count - 1e-9))


@cache
def _nearby_month_days(month: int, day: int) -> tuple[tuple[int, int], ...]:
    """(month, day) pairs within the story window, across a year's end; 29 Feb included."""
    anchor = dt.date(2000, month, day)  # a leap year: every month/day exists
    window = range(-STORY_WINDOW_DAYS, STORY_WINDOW_DAYS + 1)
    return tuple(sorted({(d.month, d.day)
                         for d in (anchor + dt.timedelta(days=k) for k in window)}))


def _link_translations(articles: Sequence[Article], inferred: Mapping[str, tuple[str, ...]],
                       by_id: Mapping[str, Article]) -> dict[str, tuple[str, ...]]:
    """Story links with declared translations first: articles sharing a translation key
    are linked (one per language, the smallest id); an inferred link stays only where
    neither side has a declared translation in the other's language."""
    groups: dict[str, dict[str, str]] = defaultdict(dict)
    for article in sorted(articles, key=lambda a: a.id):
        if article.translation_key is not None:
            groups[article.translation_key].setdefault(article.language, article.id)
    declared: dict[str, dict[str, str]] = {}
    for members in groups.values():
        for language, aid in members.items():
            if by_id[aid].translation_key is not None and len(members) > 1:
                declared[aid] = {lang: other for lang, other in sorted(members.items())
                                 if lang != language}
    links: dict[str, tuple[str, ...]] = {}
    for aid in sorted({*inferred, *declared}):
        mine = declared.get(aid, {})
        language = by_id[aid].language
        chosen = list(mine.values())
        for other in inferred.get(aid, ()):
            if by_id[other].language not in mine and language not in declared.get(other, {}):
                chosen.append(other)
        if chosen:
            links[aid] = tuple(chosen)
    return links


def _story_score(a: Article, b: Article, shared: int, count_a: int,
                 count_b: int) -> float | None:
    """How surely two articles report one story; None when they do not."""
    overlap = shared / max(1, count_a + count_b - shared)
    if shared < STORY_MIN_SHARED or overlap < STORY_MIN_OVERLAP:
        return None
    gap = _day_gap(a, b)
    if gap is None or gap > STORY_WINDOW_DAYS:
        return None
    score = shared + overlap + (STORY_WINDOW_DAYS - gap) / (STORY_WINDOW_DAYS + 1)
    if a.dateline and b.dateline and _fold(a.dateline) == _fold(b.dateline):
        score += 1.0
    return score


def _day_gap(a: Article, b: Article) -> int | None:
    """Days between two articles, comparing month/day when one has no year."""
    da, db = _day(a), _day(b)
    if da is not None and db is not None:
        return abs((da - db).days)
    if da is None and a.partial_date is not None and db is not None:
        return _partial_gap(a.partial_date.month, a.partial_date.day, db)
    if db is None and b.partial_date is not None and da is not None:
        return _partial_gap(b.partial_date.month, b.partial_date.day, da)
    return None


def _partial_gap(month: int, day: int, anchor: dt.date) -> int | None:
    year = _closest_year(month, day, anchor)
    return None if year is None else abs((dt.date(year, month, day) - anchor).days)


def _closest_year(month: int, day: int, anchor: dt.date) -> int | None:
    """The year that puts month/day closest to ``anchor`` (Dec 31 near Jan 1 -> last year)."""
    options = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            options.append((abs((dt.date(year, month, day) - anchor).days), year))
        except ValueError:  # 29 February in a common year
            continue
    return min(options)[1] if options else None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def _date_from_stories(articles: Sequence[Article], same_story: Mapping[str, tuple[str, ...]],
                       by_id: Mapping[str, Article]) -> tuple[list[Article], list[Problem]]:
    """Give year-less articles the year of their story; warn about the rest."""
    result: list[Article] = []
    problems: list[Problem] = []
    for article in articles:
        partial = article.partial_date
        if article.published is not None or partial is None:
            result.append(article)
            continue
        anchors = [by_id[o] for o in same_story.get(article.id, ()) if by_id[o].published]
        year = None
        if anchors:
            anchor = anchors[0]
            assert anchor.published is not None
            year = _closest_year(partial.month, partial.day, anchor.published.day)
        if year is None:
            if not any(p.field == "date" for p in article.problems):
                problems.append(Problem(
                    article.path, partial.span.line,
                    f"the date {partial.day}/{partial.month} has no year and no report of the "
                    "same story in another language gives one; the article is filed as undated",
                    hint="add the date to the front matter or a sidecar NAME.yaml",
                    severity=Severity.WARNING, field="date"))
            result.append(article)
            continue
        assert anchors[0].published is not None
        evidence = Evidence(
            "date", "same story in another language",
            f"year {year} from {anchors[0].path} ({anchors[0].published.day.isoformat()})",
            partial.span.line)
        # The loader's "no year" warning is answered now.
        kept = tuple(p for p in article.problems if not _answers(p, article))
        result.append(dataclasses.replace(
            article, published=Published(dt.date(year, partial.month, partial.day)),
            date_source=DateSource.LINKED, evidence=(*article.evidence, evidence),
            problems=kept))
    return result, problems


def resolved_by_linking(problem: Problem, articles: Mapping[str, Article]) -> bool:
    """Whether ``problem`` is a year-less-date warning that story linking has answered.

    ``articles`` maps a path to the Site's article record for that file."""
    article = articles.get(problem.path)
    return article is not None and article.date_source is DateSource.LINKED \
        and _answers(problem, article)


def _answers(problem: Problem, article: Article) -> bool:
    """Whether ``problem`` is the loader's warning that ``article`` has no date."""
    return problem.field == "date" and problem.path == article.path


# Indexes ------------------------------------------------------------------------------

def _date_index(articles: Sequence[Article]) -> DateIndex:
    tree: dict[int, dict[int, dict[int, list[str]]]] = {}
    undated: list[str] = []
    for article in sorted(articles, key=_date_key):
        day = _day(article)
        if day is None:
            undated.append(article.id)
            continue
        tree.setdefault(day.year, {}).setdefault(day.month, {}).setdefault(
            day.day, []).append(article.id)
    years = {y: {m: {d: tuple(ids) for d, ids in sorted(days.items())}
                 for m, days in sorted(months.items())}
             for y, months in sorted(tree.items())}
    return DateIndex(years, tuple(undated))


def _related(articles: Sequence[Article], entities_of_article: Mapping[str, tuple[str, ...]],
             postings: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Articles sharing most entities, looking only at near neighbours in each entity's
    date-sorted posting list so the work per article stays bounded."""
    position = {eid: {aid: i for i, aid in enumerate(ids)} for eid, ids in postings.items()}
    weight = {eid: 1.0 / math.log2(2 + len(ids)) for eid, ids in postings.items()}
    related: dict[str, tuple[str, ...]] = {}
    for article in articles:
        scores: dict[str, float] = defaultdict(float)
        for eid in entities_of_article.get(article.id, ()):
            at, share = position[eid][article.id], weight[eid]
            for other in postings[eid][max(0, at - RELATED_NEIGHBOURS):
                                       at + RELATED_NEIGHBOURS + 1]:
                scores[other] += share
        scores.pop(article.id, None)  # the middle of each of its windows
        if scores:
            ranked = _largest_first(scores, RELATED_COUNT)
            related[article.id] = tuple(aid for aid, _ in ranked)
    return related


def _cooccurring(entities_of_article: Mapping[str, tuple[str, ...]]
                 ) -> dict[str, tuple[tuple[str, int], ...]]:
    """Entity id -> the entities it most often shares an article with, with counts."""
    together: dict[str, Counter[str]] = defaultdict(Counter)
    for ids in entities_of_article.values():
        for eid in ids:
            together[eid].update(ids)  # counts eid itself too: taken out below
    cooccurring: dict[str, tuple[tuple[str, int], ...]] = {}
    for eid, counts in sorted(together.items()):
        del counts[eid]
        if counts:
            cooccurring[eid] = tuple(_largest_first(counts, COOCCURRING_COUNT))
    return cooccurring

"""Which files the site has: one Job per output file, listed before anything is rendered
(cheap, so a 100k-article build knows its total up front and can skip pages whose inputs
did not change)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from newsforge import urls
from newsforge.config import Config
from newsforge.render.kit import (
    INDEX_PAGE_SIZE,
    KEYED_BY_LANGUAGE,
    NOT_LISTED,
    SITEMAP_LIMIT,
    TYPE_ORDER,
    Job,
)
from newsforge.site import Site, newest_first


def plan(site: Site, config: Config) -> tuple[Job, ...]:
    """Every file of the site as a Job, in a fixed order."""
    per_page = config.per_page
    jobs: list[Job] = [Job("home", urls.page_file(urls.home()))]
    for lang in site.languages:
        jobs.extend(_paged_jobs("listing", urls.language_home(lang), (lang,),
                                len(site.by_language.get(lang, ())), per_page))
        jobs.append(Job("language_feed", urls.feed(urls.language_home(lang)), (lang,)))
        for type_ in TYPE_ORDER:
            jobs.extend(_paged_jobs("entity_index", urls.entity_index(lang, type_),
                                    (lang, type_), len(site.entities_of_type(type_)),
                                    INDEX_PAGE_SIZE))
    jobs.extend(Job("article", urls.page_file(site.article_folder(a.id)), (a.id,))
                for a in site.articles)
    # Each article's earlier address redirects to its new one (the first article by
    # id keeps an old address two ids once shared).
    redirects = {urls.page_file(site.legacy_article_folder(a.id)): a.id
                 for a in reversed(site.articles)}
    jobs.extend(Job("redirect", path, (aid,)) for path, aid in sorted(
        redirects.items(), key=lambda item: item[1]))
    # Entity and date-archive pages exist once per language (key[0] is the language);
    # the entity's feed once, beside its default-language page.
    for entity in site.entities:
        count = len(site.articles_of_entity[entity.id])
        for lang in site.languages:
            jobs.extend(_paged_jobs("entity", site.entity_folder(entity.id, lang),
                                    (lang, entity.id), count, per_page))
        jobs.append(Job("entity_feed", urls.feed(site.entity_folder(entity.id)),
                        (entity.id,)))
    month_sizes = {(y, m): len(site.dates.in_month(y, m))
                   for y, months in site.dates.years.items() for m in months}
    for lang in site.languages:
        prefix = site.prefix(lang)
        jobs.append(Job("archive", urls.page_file(urls.archive(prefix)), (lang,)))
        for year in site.dates.years:
            jobs.append(Job("year", urls.page_file(urls.archive_year(year, prefix)),
                            (lang, year)))
            for month in site.dates.years[year]:
                jobs.extend(_paged_jobs("month", urls.archive_month(year, month, prefix),
                                        (lang, year, month), month_sizes[(year, month)],
                                        per_page))
        jobs.extend(Job("day", urls.page_file(urls.archive_day(day, prefix)), (lang, day))
                    for day in site.dates.days())
        jobs.extend(_paged_jobs("undated", urls.archive_undated(prefix), (lang,),
                                len(site.dates.undated), per_page))
        if config.search:
            jobs.append(Job("search", urls.page_file(urls.search(prefix)), (lang,)))
    # One sitemap per language (split past the sitemap protocol's 50,000 URLs), the
    # Google News sitemap, and the index naming them all.
    pages: dict[str, int] = {}
    for job in jobs:
        if job.path.endswith("index.html") and job.kind not in NOT_LISTED:
            lang = job_language(site, job)
            pages[lang] = pages.get(lang, 0) + 1
    for lang in sorted(pages):
        parts = math.ceil(pages[lang] / SITEMAP_LIMIT)
        jobs.extend(Job("sitemap", f"sitemap-{lang}{f'-{n}' if parts > 1 else ''}.xml",
                        (lang,), n, parts) for n in range(1, parts + 1))
    jobs.append(Job("news_sitemap", "sitemap-news.xml"))
    jobs.append(Job("sitemap_index", "sitemap.xml"))
    jobs.append(Job("robots", "robots.txt"))
    jobs.append(Job("not_found", "404.html"))
    return tuple(jobs)


def render_order(site: Site, config: Config, jobs: Sequence[Job]) -> list[int]:
    """The positions of ``jobs`` in the order to render them: the plan's, but with the
    entity pages last, language by language, each placed by the newest article it lists
    in the whole archive's order (newest first).

    Rendering makes each article's card once per language and keeps the last 40,000
    (render/kit.py). In the plan's order an entity's pages follow one another, and an
    article's card came back only after the pages of every entity in between: at 100k
    articles 88 % of the cards on entity pages were made again. Pages listing the same
    weeks come together in date order: 20 %, and entity pages took 30 % less time.
    Only the work's order changes: every page's bytes are its own."""
    entity_pages = [n for n, job in enumerate(jobs) if job.kind == "entity"]
    position = {lang: n for n, lang in enumerate(site.languages)}
    per_page = config.per_page

    def newest_listed(n: int) -> tuple[int, tuple[int, int, str]]:
        job = jobs[n]
        lang, entity_id = job.key
        listed, first = site.articles_of_entity.get(entity_id, ()), (job.page - 1) * per_page
        # ``newest_first`` of that article: the archive's order without sorting it whole
        # (an edit re-renders a few entity pages of a 100k-article archive).
        return position[lang], (newest_first(site.article_by_id[listed[first]])
                                if first < len(listed) else _PAST_EVERY_ARTICLE)

    return [*(n for n, job in enumerate(jobs) if job.kind != "entity"),
            *sorted(entity_pages, key=newest_listed)]


_PAST_EVERY_ARTICLE = (2, 0, "")
"""Sorts after every ``newest_first`` key (whose first part is 0 or 1)."""


def job_language(site: Site, job: Job) -> str:
    """The language of the page a job makes (the default one for site-wide pages)."""
    if job.kind in ("article", "redirect"):
        return site.article_by_id[job.key[0]].language
    if job.kind in KEYED_BY_LANGUAGE:
        return str(job.key[0])
    return site.default_language


def _paged_jobs(kind: str, folder: str, key: tuple[Any, ...], items: int,
                per_page: int) -> list[Job]:
    pages = max(1, math.ceil(items / per_page))
    return [Job(kind, urls.page_file(urls.paged(folder, n)), key, n, pages)
            for n in range(1, pages + 1)]

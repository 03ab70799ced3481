"""Files for search engines: sitemaps (per language, and Google News's), robots.txt."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from newsforge import structured, urls
from newsforge.render.kit import (
    NOT_LISTED,
    PER_LANGUAGE,
    SITEMAP_LIMIT,
    Context,
    Job,
    Kit,
    View,
)
from newsforge.render.plan import job_language

# Google News reads the articles of the last two days, at most 1,000 of them.
NEWS_DAYS = 2
NEWS_LIMIT = 1000


def sitemap_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    (lang,) = job.key
    pages = [j for j in jobs if j.path.endswith("index.html") and j.kind not in NOT_LISTED
             and job_language(kit.site, j) == lang]
    chunk = pages[(job.page - 1) * SITEMAP_LIMIT:job.page * SITEMAP_LIMIT]
    base = kit.config.base_url
    entries = []
    for page_job in chunk:
        folder = page_job.path.rsplit("index.html", 1)[0]
        entries.append({"loc": urls.absolute(base, folder),
                        "alternates": _sitemap_alternates(kit, page_job)})
    return "sitemap.xml", {"entries": entries}, None


def _sitemap_alternates(kit: Kit, job: Job) -> tuple[tuple[str, str], ...]:
    base, site = kit.config.base_url, kit.site
    if job.kind == "article":
        ids = site.same_story.get(job.key[0], ())
        if not ids:
            return ()
        members = sorted([job.key[0], *ids], key=lambda a: site.article_by_id[a].language)
        return tuple((site.article_by_id[a].language,
                      urls.absolute(base, site.article_folder(a))) for a in members)
    if job.page == 1 and job.kind == "listing":
        return tuple((c, urls.absolute(base, urls.language_home(c))) for c in site.languages)
    if job.page == 1 and job.kind == "entity_index":
        type_ = job.key[1]
        return tuple((c, urls.absolute(base, urls.entity_index(c, type_)))
                     for c in site.languages)
    if job.kind in PER_LANGUAGE:
        return tuple((c, urls.absolute(base, kit.folder_in(job, c)))
                     for c in site.languages)
    return ()


def news_sitemap_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    """The articles of the archive's last two days, newest first. The days are counted
    back from the newest article, not from the clock, so that a build depends on its
    input only; an archive that is still being published reaches today anyway."""
    site = kit.site
    dated = [a for a in site.articles if a.published is not None]
    entries = []
    if dated:
        newest = max(a.published.day for a in dated if a.published)
        since = newest - dt.timedelta(days=NEWS_DAYS - 1)
        recent = sorted((a for a in dated if a.published and a.published.day >= since),
                        key=lambda a: (a.published.day if a.published else since, a.id),
                        reverse=True)
        entries = [{
            "loc": urls.absolute(kit.config.base_url, site.article_folder(a.id)),
            "language": a.language,
            "date": structured.moment(a.published, kit.zone) if a.published else "",
            "title": a.title,
        } for a in recent[:NEWS_LIMIT]]
    return "sitemap_news.xml", {"entries": entries, "publication": site.title}, None


def sitemap_index_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    return "sitemap_index.xml", {"parts": tuple(
        urls.absolute(kit.config.base_url, j.path) for j in jobs
        if j.kind in ("sitemap", "news_sitemap"))}, None


def robots_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    # A robots.txt may only name a sitemap by absolute URL.
    absolute = re.match(r"^https?://", kit.config.base_url) is not None
    sitemap = urls.absolute(kit.config.base_url, "sitemap.xml") if absolute else None
    return "robots.txt", {"sitemap": sitemap}, None


VIEWS = (View("sitemap", sitemap_context, None),
         View("news_sitemap", news_sitemap_context, None),
         View("sitemap_index", sitemap_index_context, None),
         View("robots", robots_context, None))

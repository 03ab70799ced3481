"""Files for search engines: sitemaps (per language, and Google News's), robots.txt."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from newsforge import structured, urls
from newsforge.model import Article
from newsforge.render.inputs import Inputs
from newsforge.render.kit import (
    NOT_LISTED,
    PER_LANGUAGE,
    SITEMAP_LIMIT,
    Context,
    Job,
    Kit,
    View,
    no_inputs,
)
from newsforge.render.plan import job_language
from newsforge.site import Site

# Google News reads the articles of the last two days, at most 1,000 of them.
NEWS_DAYS = 2
NEWS_LIMIT = 1000


def _listed(site: Site, jobs: Sequence[Job], job: Job) -> list[Job]:
    """The pages one sitemap file lists: its language's, its part of them."""
    (lang,) = job.key
    pages = [j for j in jobs if j.path.endswith("index.html") and j.kind not in NOT_LISTED
             and job_language(site, j) == lang]
    return pages[(job.page - 1) * SITEMAP_LIMIT:job.page * SITEMAP_LIMIT]


def sitemap_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    chunk = _listed(kit.site, jobs, job)
    base = kit.config.base_url
    entries = []
    for page_job in chunk:
        folder = page_job.path.rsplit("index.html", 1)[0]
        entries.append({"loc": urls.absolute(base, folder),
                        "alternates": _sitemap_alternates(kit, page_job)})
    return {"entries": entries}, None


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


def _recent(site: Site) -> list[Article]:
    """The articles of the archive's last two days, newest first. The days are counted
    back from the newest article, not from the clock, so that a build depends on its
    input only; an archive that is still being published reaches today anyway."""
    dated = [a for a in site.articles if a.published is not None]
    if not dated:
        return []
    newest = max(a.published.day for a in dated if a.published)
    since = newest - dt.timedelta(days=NEWS_DAYS - 1)
    return sorted((a for a in dated if a.published and a.published.day >= since),
                  key=lambda a: (a.published.day if a.published else since, a.id),
                  reverse=True)[:NEWS_LIMIT]


def news_sitemap_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    """The Google News sitemap: the archive's last two days."""
    site = kit.site
    entries = [{
        "loc": urls.absolute(kit.config.base_url, site.article_folder(a.id)),
        "language": a.language,
        "date": structured.moment(a.published, kit.zone) if a.published else "",
        "title": a.title,
    } for a in _recent(site)]
    return {"entries": entries, "publication": site.title}, None


def sitemap_index_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    return {"parts": tuple(
        urls.absolute(kit.config.base_url, j.path) for j in jobs
        if j.kind in ("sitemap", "news_sitemap"))}, None


def robots_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    # A robots.txt may only name a sitemap by absolute URL.
    absolute = re.match(r"^https?://", kit.config.base_url) is not None
    sitemap = urls.absolute(kit.config.base_url, "sitemap.xml") if absolute else None
    return {"sitemap": sitemap}, None


def sitemap_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    """The pages listed (their paths) and, for articles with reports in other languages,
    those reports (their languages and addresses)."""
    site = inputs.site
    chunk = _listed(site, inputs.jobs, job)
    return (*(repr(j.path) for j in chunk), "stories",
            *(inputs.article(member) for j in chunk if j.kind == "article"
              and site.same_story.get(j.key[0])
              for member in (j.key[0], *site.same_story[j.key[0]])))


def news_sitemap_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    return inputs.articles(a.id for a in _recent(inputs.site))


def sitemap_index_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    return tuple(repr(j.path) for j in inputs.jobs if j.kind in ("sitemap", "news_sitemap"))


VIEWS = (View("sitemap", "sitemap.xml", sitemap_context, sitemap_inputs),
         View("news_sitemap", "sitemap_news.xml", news_sitemap_context, news_sitemap_inputs),
         View("sitemap_index", "sitemap_index.xml", sitemap_index_context, sitemap_index_inputs),
         View("robots", "robots.txt", robots_context, no_inputs))

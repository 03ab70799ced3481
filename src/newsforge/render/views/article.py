"""An article's page, and the redirect from its earlier address."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from markupsafe import Markup, escape

from newsforge import structured, urls
from newsforge.model import Article, BodyFormat, DateSource, EntityType
from newsforge.render.inputs import Inputs
from newsforge.render.kit import TYPE_ORDER, TYPE_PLURAL, Context, Group, Job, Kit, Link, View


def article_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    site = kit.site
    (aid,) = job.key
    article = site.article_by_id[aid]
    lang = article.language
    page = kit.page(job.path, lang, article.title)
    stories = [site.article_by_id[o] for o in site.same_story.get(aid, ())]
    if stories:
        page.alternates = tuple(
            Link(kit.language_name(a.language), urls.relative(job.path, folder), a.language,
                 current=a.id == aid, note=urls.absolute(kit.config.base_url, folder))
            for a in sorted([article, *stories], key=lambda a: (a.language, a.id))
            for folder in [site.article_folder(a.id)])
    groups = []
    for type_ in TYPE_ORDER:
        ids = [e for e in site.entities_of_article.get(aid, ())
               if site.entity_by_id[e].type is type_]
        if ids:
            collator = kit.collator(lang)
            links = sorted((kit.entity_link(e, lang, page) for e in ids),
                           key=lambda link: collator.key(link.label))
            groups.append(Group(kit.ui_text(page, TYPE_PLURAL[type_]), tuple(links)))
    day = article.published.day if article.published else None
    source = article.source
    description = kit.excerpt(article)
    return {
        "language_name": kit.language_name(lang),
        "year": day.year if day else None,
        "description": description,
        "og_type": "article",
        "og_extra": _article_og(kit, article, stories),
        "structured": structured.script(_article_data(kit, article, stories, description)),
        "article": article,
        "body": _body(kit, article),
        "date_text": kit.date(day, lang) if day else "",
        "time_text": kit.time_of(article, lang),
        "date_iso": article.published.isoformat() if article.published else "",
        "date_linked": article.date_source is DateSource.LINKED,
        "source_name": source.name if source else "",
        "source_url": source.url if source and _is_web_url(source.url) else "",
        "entity_groups": tuple(groups),
        "same_story": tuple(kit.card(a.id, page) for a in stories),
        "related": tuple(kit.card(r, page) for r in site.related.get(aid, ())),
        "day_href": urls.relative(job.path, urls.archive_day(day, site.prefix(lang))) if day
        else urls.relative(job.path, urls.archive_undated(site.prefix(lang))),
    }, page


def _article_data(kit: Kit, article: Article, stories: Sequence[Article],
                  description: str) -> dict[str, Any]:
    site, base = kit.site, kit.config.base_url
    lang = article.language
    named = [site.entity_by_id[e] for e in site.entities_of_article.get(article.id, ())]
    entities = [(e, kit.entity_name(e, lang)[0],
                 urls.absolute(base, site.entity_folder(e.id, lang))) for e in named]
    author = next((e for e in named if e.type is EntityType.PERSON and article.author
                   and article.author in {e.name, *(n for _, n in e.names), *e.aliases}),
                  None)
    original = translations = None
    if stories:
        first = structured.first_published([article, *stories], key=lambda a: a.id)
        if first.id != article.id:
            original = (first.language,
                        urls.absolute(base, site.article_folder(first.id)))
        else:
            translations = [(a.language, urls.absolute(base, site.article_folder(a.id)))
                            for a in sorted(stories, key=lambda a: (a.language, a.id))]
    return structured.news_article(
        article, url=urls.absolute(base, site.article_folder(article.id)),
        site_name=site.title, zone=kit.zone, description=description,
        entities=entities,
        author_url=urls.absolute(base, site.entity_folder(author.id, lang))
        if author else None,
        original=original, translations=translations or ())


def _article_og(kit: Kit, article: Article, stories: Sequence[Article]
                ) -> tuple[tuple[str, str], ...]:
    """OpenGraph's article properties and the other languages of the story."""
    extra = [("og:locale:alternate", structured.og_locale(code))
             for code in sorted({a.language for a in stories} - {article.language})]
    if article.published is not None:
        extra.append(("article:published_time",
                      structured.moment(article.published, kit.zone)))
    if article.modified is not None:
        extra.append(("article:modified_time",
                      structured.moment(article.modified, kit.zone)))
    if article.source is not None:
        extra.append(("article:publisher", article.source.name))
    for eid in kit.site.entities_of_article.get(article.id, ()):
        extra.append(("article:tag",
                      kit.entity_name(kit.site.entity_by_id[eid], article.language)[0]))
    return tuple(extra)


def _body(kit: Kit, article: Article) -> Markup:
    paragraphs = kit.paragraphs(article)
    if article.body_format is BodyFormat.MARKDOWN:
        return Markup(kit.markdown.render("\n\n".join(paragraphs)))
    # escape() and an f-string, not Markup.format: the same markup for a fraction of the
    # cost, paid for every paragraph of every article.
    return Markup("\n".join(f'<p id="p{i}">{escape(text)}</p>'
                            for i, text in enumerate(paragraphs, 1)))


def redirect_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    article = kit.site.article_by_id[job.key[0]]
    folder = kit.site.article_folder(article.id)
    return {
        "lang": article.language,
        "dir": kit.direction(article.language),
        "title": article.title,
        "href": urls.relative(job.path, folder),
        "canonical": urls.absolute(kit.config.base_url, folder),
        "shown": kit.config.base_path + folder,
        "stylesheet": urls.relative(job.path, urls.static("style.css")),
    }, None


def _is_web_url(url: str | None) -> bool:
    return bool(url) and re.match(r"^https?://", url or "", re.IGNORECASE) is not None


def article_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    """The article, its reports in other languages, its related articles (their cards)
    and the entities it names (their names and addresses)."""
    site = inputs.site
    (aid,) = job.key
    return (inputs.article(aid), "stories", *inputs.articles(site.same_story.get(aid, ())),
            "related", *inputs.articles(site.related.get(aid, ())),
            "entities", *(inputs.entity(e) for e in site.entities_of_article.get(aid, ())))


def redirect_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    return (inputs.article(job.key[0]),)


VIEWS = (View("article", "article.html", article_context, article_inputs, shows_text=True),
         View("redirect", "redirect.html", redirect_context, redirect_inputs))

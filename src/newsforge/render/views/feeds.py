"""Atom feeds: the newest articles of each language and of each entity."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from newsforge import urls
from newsforge.model import Article
from newsforge.render.inputs import Inputs
from newsforge.render.kit import Context, Job, Kit, View

FEED_SIZE = 50
ENTITY_FEED_SIZE = 20


def _feed(kit: Kit, path: str, folder: str, title: str, lang: str,
                  ids: Sequence[str]) -> dict[str, Any]:
    base = kit.config.base_url
    entries = []
    for aid in ids:
        article = kit.site.article_by_id[aid]
        entries.append({
            "title": article.title,
            "url": urls.absolute(base, kit.site.article_folder(aid)),
            # The id keeps the article's earlier URL: a feed reader that saw the
            # entry before URLs changed must not see it as a new one.
            "id": _entry_id(base, kit.site.legacy_article_folder(aid), aid),
            "updated": _atom_time(article),
            "summary": kit.excerpt(article),
            "author": article.author or (article.source.name if article.source else ""),
            "lang": article.language,
        })
    updated = max((e["updated"] for e in entries), default="1970-01-01T00:00:00Z")
    return {"feed_title": title, "site_title": kit.site.title, "lang": lang,
            "self_url": urls.absolute(base, path),
            "page_url": urls.absolute(base, folder),
            "feed_id": _entry_id(base, path, path), "updated": updated, "entries": entries}


def language_feed_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    (lang,) = job.key
    ui = kit.ui(lang)
    title = f"{kit.site.title} — {ui.strings['articles_in_language']}" \
        if ui.origin("articles_in_language") == lang \
        else f"{kit.site.title} — {kit.language_name(lang)}"
    ids = kit.site.by_language.get(lang, ())[:FEED_SIZE]
    return _feed(kit, job.path, urls.language_home(lang), title, lang, ids), None


def entity_feed_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    (eid,) = job.key
    lang = kit.site.default_language
    entity = kit.site.entity_by_id[eid]
    ids = kit.site.articles_of_entity[eid][:ENTITY_FEED_SIZE]
    return _feed(kit, job.path, kit.site.entity_folder(eid),
                 f"{kit.site.title} — {entity.name_in(lang)}", lang, ids), None


def _atom_time(article: Article) -> str:
    if article.published is None:
        return "1970-01-01T00:00:00Z"
    published = article.published
    moment = dt.datetime.combine(published.day, published.time or dt.time(0, 0))
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.isoformat(timespec="seconds")


def _entry_id(base_url: str, path: str, key: str) -> str:
    """An Atom id: the absolute URL when the base URL has a host, else a stable URN."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", base_url):
        return urls.absolute(base_url, path)
    return "urn:newsforge:" + re.sub(r"[^A-Za-z0-9._~/-]", "-", key)


def language_feed_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    (lang,) = job.key
    return inputs.articles(inputs.site.by_language.get(lang, ())[:FEED_SIZE])


def entity_feed_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    (eid,) = job.key
    return (inputs.entity(eid),
            *inputs.articles(inputs.site.articles_of_entity[eid][:ENTITY_FEED_SIZE]))


VIEWS = (View("language_feed", "atom.xml", language_feed_context, language_feed_inputs),
         View("entity_feed", "atom.xml", entity_feed_context, entity_feed_inputs))

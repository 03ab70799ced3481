"""Structured data for search engines and link previews: schema.org JSON-LD and OpenGraph.

Pure functions from site records to plain dicts; the renderer embeds them. Google's
NewsArticle rules shape the article record: a headline of at most 110 characters, dates
in ISO 8601 with a UTC offset, the author as a Person, the publisher as an Organization,
absolute URLs when the site has a base URL.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from babel.core import get_global
from markupsafe import Markup

from newsforge.model import Article, Entity, EntityType, Published

HEADLINE_LIMIT = 110
SCHEMA = "https://schema.org"
_TYPES = {
    EntityType.PERSON: "Person",
    EntityType.PARTY: "PoliticalParty",
    EntityType.ORGANISATION: "Organization",
    EntityType.EVENT: "Event",
}
# Inside a <script> element only "</" and "<!--" are dangerous; escaping every <, > and &
# keeps the JSON valid and the element closed whatever a headline holds. (Replaced one
# by one: str.translate looks every character up, several times slower on a page's JSON.)
_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"))


def time_zone(name: str) -> dt.tzinfo:
    """The zone a site's dates without a stated offset are read in (an IANA name)."""
    return dt.UTC if name.upper() == "UTC" else zoneinfo.ZoneInfo(name)


def moment(published: Published, zone: dt.tzinfo) -> str:
    """A publication date as ISO 8601 with its UTC offset: the offset the source gave,
    else the site's zone; a date without a time is taken as the start of that day."""
    clock = published.time or dt.time(0, 0)
    when = dt.datetime.combine(published.day, clock)
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    return when.isoformat()


def headline(title: str) -> str:
    """The title within Google's headline limit, cut at a word boundary when it must be."""
    if len(title) <= HEADLINE_LIMIT:
        return title
    cut = title[:HEADLINE_LIMIT - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > HEADLINE_LIMIT // 2 else cut).rstrip(" ,;:-–—") + "…"


def entity_reference(entity: Entity, name: str, url: str) -> dict[str, Any]:
    return {"@type": _TYPES[entity.type], "name": name, "url": url}


def news_article(article: Article, *, url: str, site_name: str, zone: dt.tzinfo,
                 description: str, entities: Sequence[tuple[Entity, str, str]],
                 author_url: str | None, original: tuple[str, str] | None,
                 translations: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """A NewsArticle. ``entities`` are (entity, name, page URL) of what it names; those
    named in the headline are what it is ``about``, the rest it ``mentions``.
    ``original`` is (language, URL) of the first report of the same story when this one
    is a later report in another language; ``translations`` are those later reports."""
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "headline": headline(article.title),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": article.language,
        "isAccessibleForFree": True,
    }
    if description:
        data["description"] = description
    if article.published is not None:
        data["datePublished"] = moment(article.published, zone)
    if article.modified is not None:
        data["dateModified"] = moment(article.modified, zone)
    if article.author:
        author: dict[str, Any] = {"@type": "Person", "name": article.author}
        if author_url:
            author["url"] = author_url
        data["author"] = [author]
    publisher = article.source.name if article.source else site_name
    data["publisher"] = {"@type": "Organization", "name": publisher}
    if article.source and article.source.url and article.source.url.startswith(("http://",
                                                                                "https://")):
        data["isBasedOn"] = article.source.url
    folded_title = article.title.casefold()
    about = [entity_reference(e, n, u) for e, n, u in entities
             if _named_in(e, folded_title)]
    mentions = [entity_reference(e, n, u) for e, n, u in entities
                if not _named_in(e, folded_title)]
    if about:
        data["about"] = about
    if mentions:
        data["mentions"] = mentions
    if original is not None:
        data["translationOfWork"] = {"@type": "NewsArticle", "inLanguage": original[0],
                                     "url": original[1]}
    if translations:
        data["workTranslation"] = [{"@type": "NewsArticle", "inLanguage": lang, "url": link}
                                   for lang, link in translations]
    return data


def _named_in(entity: Entity, folded_title: str) -> bool:
    return any(name in folded_title for name in _folded_names(entity))


@functools.lru_cache(maxsize=1 << 14)
def _folded_names(entity: Entity) -> tuple[str, ...]:
    """Every name of an entity longer than two letters, case-folded: a pure function of
    the entity, kept because an entity is named by dozens of articles."""
    names = {entity.name, *(name for _, name in entity.names), *entity.aliases}
    return tuple(name.casefold() for name in names if len(name) > 2)


def entity_thing(entity: Entity, *, name: str, url: str,
                 pages: Mapping[str, str]) -> dict[str, Any]:
    """A Person, PoliticalParty, Organization or Event: its name on this page, every other
    spelling and script the archive knows, and its page in every language (``pages``)."""
    others = sorted(({n for _, n in entity.names} | set(entity.aliases)) - {name})
    data: dict[str, Any] = {"@context": SCHEMA, "@type": _TYPES[entity.type], "name": name,
                            "url": url}
    if others:
        data["alternateName"] = others
    same = [link for _, link in sorted(pages.items()) if link != url]
    if same:
        data["sameAs"] = same
    return data


def script(data: Mapping[str, Any]) -> Markup:
    """``data`` as the text of a ``<script type="application/ld+json">`` element:
    stable key order, safe whatever the strings hold."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escaped in _SCRIPT_SAFE:
        text = text.replace(char, escaped)
    return Markup(text)


@functools.lru_cache(maxsize=256)
def og_locale(language: str) -> str:
    """OpenGraph's ``ll_TT`` form of a language tag, its territory from CLDR's likely
    subtags ('vi' -> 'vi_VN'); the language alone when CLDR names no territory."""
    likely: Mapping[str, str] = get_global("likely_subtags")
    base = language.replace("-", "_")
    full = likely.get(base) or likely.get(base.split("_")[0]) or base
    parts = full.split("_")
    territory = next((p for p in parts[1:] if len(p) == 2 and p.isupper()), None)
    return f"{parts[0]}_{territory}" if territory else parts[0]


def first_published(reports: Sequence[Article], key: Callable[[Article], Any]
                    ) -> Article:
    """The report a story started from: the earliest dated one (ties and undated reports
    by ``key``), the others being its translations."""
    return min(reports, key=lambda a: (a.published is None,
                                       a.published.day if a.published else dt.date.min,
                                       key(a)))

"""What each page is made from, as digests: the dependency graph of the site's pages.

Every view names the records its page reads (``inputs`` beside each view in
``render/views/``); ``Inputs`` turns those names into digests of the records' values.
A page's input digest is the digest of everything it reads, so a page whose digest is
the one recorded at the last published build has the same bytes and need not be
rendered again. What every page shares (the configuration, the interface strings, the
site's title and languages) is the ``common`` digest; each page adds its template's
(with the templates that one uses: ``Renderer``), and a record's digest covers its value
and the address it is published at.

Digests of values, never of object identity: ``repr`` of our frozen records is a pure
function of their fields, so a record loaded from the cache and the same record made
fresh give the same digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from newsforge.config import Config
from newsforge.model import EntityType
from newsforge.render.texts import Texts, shown
from newsforge.site import Site
from newsforge.theme import I18N_FOLDER, Theme

if TYPE_CHECKING:  # the views import this module, and their records come from kit
    from newsforge.render.kit import Job


def digest_of(parts: Iterable[str]) -> str:
    """One digest of text parts: digests and reprs, which hold no control character,
    so joining them with one is unambiguous."""
    text = "\x1f".join(parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def theme_digest(theme: Theme, folder_name: str = "") -> str:
    """A digest of every file of the theme's template folders (templates, their includes
    and the interface strings), or of their sub-folder ``folder_name``, site overrides
    first as the theme looks them up."""
    parts: list[str] = []
    for folder in theme.templates:
        top = Path(folder) / folder_name
        for path in sorted(p for p in top.rglob("*") if p.is_file()):
            parts.append(repr(str(path.relative_to(folder))))
            parts.append(path.read_bytes().hex())
    return digest_of(parts)


class Inputs:
    """Digests of one Site's records, each computed once, for the views' ``inputs``."""

    def __init__(self, site: Site, texts: Texts, config: Config, theme: Theme,
                 jobs: Sequence[Job]) -> None:
        self.site = site
        self.texts = texts
        self.config = config
        self.jobs = jobs  # every file of the site: what the sitemaps list
        self.common = digest_of((repr(config), theme_digest(theme, I18N_FOLDER),
                                 repr(site.title), repr(site.languages),
                                 site.default_language))
        self.read: list[str] = []
        """The ids of the articles digested since it was last cleared (``Renderer``)."""
        self._articles: dict[str, str] = {}
        self._entities: dict[str, str] = {}
        self._entity_articles: dict[str, str] = {}
        self._cooccurring: dict[str, str] = {}
        self._entity_types: dict[EntityType, str] = {}
        self._years: dict[int, str] = {}
        self._calendar: str | None = None
        self._months: str | None = None
        self._days: tuple[dt.date, ...] = ()
        self._day_index: dict[dt.date, int] = {}

    def page(self, kind: str, key: str, names: Iterable[str]) -> str:
        """The input digest of one page: its kind and key, the common digest and the
        digests its view names."""
        return digest_of((self.common, kind, key, *names))

    def article(self, article_id: str) -> str:
        """An article: every field a page shows, its text, its address and its earlier
        address."""
        self.read.append(article_id)
        found = self._articles.get(article_id)
        if found is None:
            site = self.site
            found = self._articles[article_id] = digest_of((
                shown(site.article_by_id[article_id]), self.texts.digest(article_id),
                repr(site.slugs[article_id]),
                repr(site.legacy_slugs.get(article_id, ""))))
        return found

    def articles(self, article_ids: Iterable[str]) -> Iterable[str]:
        return (self.article(aid) for aid in article_ids)

    def entity(self, entity_id: str) -> str:
        """An entity: its names, type and aliases, and its address."""
        found = self._entities.get(entity_id)
        if found is None:
            found = self._entities[entity_id] = digest_of((
                repr(self.site.entity_by_id[entity_id]),
                repr(self.site.entity_slugs[entity_id])))
        return found

    def entity_articles(self, entity_id: str) -> str:
        """Which articles name an entity, in order, with their days: what an entity page's
        count, pages and month chart are made from."""
        found = self._entity_articles.get(entity_id)
        if found is None:
            by_id = self.site.article_by_id
            found = self._entity_articles[entity_id] = digest_of(
                f"{aid!r} {published.day if (published := by_id[aid].published) else ''}"
                for aid in self.site.articles_of_entity[entity_id])
        return found

    def cooccurring(self, entity_id: str) -> str:
        """The entities named with an entity and how often: its page's sidebar in every
        language (its pages follow each other, so their digests share this one)."""
        found = self._cooccurring.get(entity_id)
        if found is None:
            found = self._cooccurring[entity_id] = digest_of(
                f"{self.entity(o)} {n}" for o, n in self.site.cooccurring.get(entity_id, ()))
        return found

    def entity_type(self, type_: EntityType) -> str:
        """Every entity of one type with its number of articles: an index's pages."""
        found = self._entity_types.get(type_)
        if found is None:
            site = self.site
            found = self._entity_types[type_] = digest_of(
                f"{self.entity(e.id)} {len(site.articles_of_entity[e.id])}"
                for e in site.entities_of_type(type_))
        return found

    def calendar(self) -> str:
        """Which days, months and years have articles and how many (and the undated): the
        archive's overview, its year links and its month chart."""
        if self._calendar is None:
            dates = self.site.dates
            self._calendar = digest_of((
                *(f"{y}-{m}-{d} {len(ids)}" for y, months in dates.years.items()
                  for m, days in months.items() for d, ids in days.items()),
                f"undated {len(dates.undated)}"))
        return self._calendar

    def year(self, year: int) -> str:
        """One year's days and their articles, and which years exist (a year page's
        calendar and its neighbours)."""
        found = self._years.get(year)
        if found is None:
            dates = self.site.dates
            found = self._years[year] = digest_of((
                repr(tuple(dates.years)),
                *(f"{m}-{d} {len(ids)}" for m, days in dates.years[year].items()
                  for d, ids in days.items())))
        return found

    def months(self) -> str:
        """Which months have articles: a month page's neighbours."""
        if self._months is None:
            self._months = digest_of(f"{y}-{m}" for y, months in self.site.dates.years.items()
                                   for m in months)
        return self._months

    def days_around(self, day: dt.date) -> tuple[dt.date, ...]:
        """The days with articles just before and after ``day``, and ``day``."""
        if not self._days:
            self._days = self.site.dates.days()
            self._day_index = {d: i for i, d in enumerate(self._days)}
        at = self._day_index[day]
        return self._days[max(0, at - 1):at + 2]

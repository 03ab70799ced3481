"""What every view shares: the Jinja environment, CLDR formatting, and the small records
templates receive (links, cards, pagers, groups).

A ``Kit`` renders one Site with one Theme and holds only caches that are pure functions of
both (formatted dates, collators, excerpts). Views (``render/views/``) build one page
kind's context from it; nothing here writes files or knows which pages exist.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import unicodedata
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

import jinja2
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    get_month_names,
)
from jinja2 import nodes
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator, Frame
from markdown_it import MarkdownIt
from markupsafe import Markup

# MarkupSafe's escaping of a text, without the Markup that ``escape`` wraps it in.
from markupsafe import _escape_inner as _escape_text  # type: ignore[attr-defined]

from newsforge import charts, structured, urls
from newsforge.config import Config
from newsforge.model import (
    Article,
    Entity,
    EntityType,
)
from newsforge.render.collation import Collator
from newsforge.render.inputs import Inputs
from newsforge.render.texts import Paragraphs, Texts
from newsforge.site import Site
from newsforge.theme import Theme, UiLanguage, default_theme_dir

TYPE_ORDER = (EntityType.PERSON, EntityType.PARTY, EntityType.ORGANISATION, EntityType.EVENT)
# ui string keys: plural label of each type (index pages), singular label.
TYPE_PLURAL = {EntityType.PERSON: "people", EntityType.PARTY: "parties",
               EntityType.ORGANISATION: "organisations", EntityType.EVENT: "events"}
INDEX_PAGE_SIZE = 200
SITEMAP_LIMIT = 50_000
# Page kinds rendered once per language, keyed (language, ...): their counterparts in the
# other languages are the same key with another language.
PER_LANGUAGE = frozenset({"entity", "archive", "year", "month", "day", "undated"})
# Page kinds whose key starts with the language of the page.
KEYED_BY_LANGUAGE = PER_LANGUAGE | {"listing", "entity_index", "search"}
# Pages that are tools, not content: kept out of the sitemaps and of search engines.
NOT_LISTED = frozenset({"search", "redirect"})
T = TypeVar("T")

# Cards kept per worker, and their markup: an article's card comes in a form per page
# language (three here), so this covers a 13k-article archive's at about 2 KB each
# (80 MB); fewer kept misses most of a large archive's (35% hits at 20,000 for 10k
# articles, when each folder depth had a card of its own).
_CARDS_KEPT = 40_000
# Where a card's link goes in its markup as kept (``show_card``): one rendering serves the
# card's every page, at any folder depth. A control character: a card whose own text
# holds it is rendered as it is.
_LINK_MARK = "\x1f"
# Rendered chart bars kept per worker: a chart's pages in each language follow each other.
_CHARTS_KEPT = 8


# Views handed to templates -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Link:
    """A labelled link; ``lang`` set when the label is in another language than the page."""

    label: str
    href: str
    lang: str = ""
    current: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class ChartView:
    """A month chart as a page shows it: ``rows`` pairs the bar of each month with
    articles with its month's label and count in the page's language (its table: a long
    chart's months are mostly empty, which the bars show); ``axis`` labels the first and
    the last month (one label for a chart of one month); ``anchor`` makes the chart's ids
    unique on the page."""

    chart: charts.MonthChart
    rows: tuple[tuple[charts.Bar, str, str], ...]
    axis: tuple[str, ...]
    title: str
    description: str
    anchor: str


@dataclass(slots=True, eq=False)
class Card:
    """An article in a listing, as ``Kit.card`` makes it for one page. A view for
    templates, compared by identity: thousands are made per second, and never changed."""

    title: str
    href: str
    lang: str
    dir: str
    language_name: str
    date_text: str
    date_iso: str
    source: str
    excerpt: str
    kept: Card | None = field(default=None, repr=False)
    """The card as the kit keeps it for every page in its language, linking to the link
    mark: its markup is found by it (``show_card``)."""


@dataclass(frozen=True, slots=True)
class Pager:
    """Page n of a paginated listing; ``items`` label None for an ellipsis."""

    page: int
    pages: int
    previous: str | None
    next: str | None
    items: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Group:
    """A heading and its items (entities of one type, articles of one day, a letter)."""

    title: str
    items: tuple[Any, ...]
    href: str = ""
    anchor: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Job:
    """One output file to render: its kind, its path and what it is about."""

    kind: str
    path: str
    key: tuple[Any, ...] = ()
    page: int = 1
    pages: int = 1


@dataclass
class Page:
    """The context every template shares, for one output file."""

    path: str
    lang: str
    ui: UiLanguage
    title: str
    alternates: tuple[Link, ...] = ()
    feed: str | None = None
    # Links from the base path ('/archive/en/') instead of relative ones: for 404.html,
    # which a host serves at whatever path was missing.
    rooted: str | None = None
    # The language of the title when it is not the page's (an interface string that fell
    # back to another language, an entity's name in another language); '' otherwise.
    title_lang: str = ""


Context = tuple[dict[str, Any], Page | None]
"""The values a page's template is rendered with, and the shared page context (None for
files that are not HTML pages: feeds, sitemaps)."""


@dataclass(frozen=True, slots=True)
class View:
    """One page kind: its template, how a page of it is made, and which records it is
    made from.

    ``inputs`` names, as digests, everything the page reads besides its template (and
    the templates that one uses) and the common inputs (configuration, interface
    strings, the site's languages): equal digests, equal bytes."""

    kind: str
    template: str
    context: Callable[[Kit, Job, Sequence[Job]], Context]
    inputs: Callable[[Inputs, Job], Iterable[str]]
    shows_text: bool = False
    """Whether the page shows the whole text of the article its key names (first)."""


def no_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    """For a page made of its template and the common inputs alone (robots.txt reads
    the base URL, a 404 page the site's menus)."""
    return ()


# The shared kit -----------------------------------------------------------------------

class Kit:
    """One Site and one Theme, with the helpers every view uses."""

    def __init__(self, site: Site, theme: Theme, config: Config, texts: Texts,
                 compiled: CompiledTemplates | None = None) -> None:
        """``texts``: the articles' texts (the site's articles may be bare); ``compiled``:
        where templates compiled by an earlier build are kept."""
        self.site = site
        self.theme = theme
        self.config = config
        self.texts = texts
        self.env = _Environment(
            loader=jinja2.FileSystemLoader([str(p) for p in theme.templates]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # one build, one set of templates: skip a stat per include
            bytecode_cache=compiled,
        )
        self.markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})
        self._dates: dict[tuple[dt.date, str, str], str] = {}
        self._collators: dict[str, Collator] = {}
        self._locales: dict[str, Locale] = {}
        self._uis: dict[str, UiLanguage] = {}
        self._dirs: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._counts: dict[tuple[str, int], str] = {}
        self._entity_names: dict[tuple[str, str], tuple[str, str]] = {}
        # A chart's month labels (year 0: the month's name alone), by page language.
        self._month_labels: dict[tuple[int, int, str], str] = {}
        self._cards: dict[tuple[str, str], Card] = {}
        self._card_markup: OrderedDict[tuple[int, int, str], tuple[Card, str]] = \
            OrderedDict()
        self._links_apart = False
        self._bars_markup: dict[int, tuple[charts.MonthChart, Markup]] = {}
        self._card_template: jinja2.Template | None = None
        self._entity_order: dict[tuple[str, EntityType],
                                 tuple[tuple[Entity, ...], tuple[str, ...]]] = {}
        self.days = site.dates.days()
        self.zone = structured.time_zone(config.time_zone)
        self.day_index = {day: i for i, day in enumerate(self.days)}
        self.month_counts = charts.site_counts(site)
        self._remembered: dict[Hashable, Any] = {}
        self._common: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {}

    def common(self, page: Page) -> dict[str, Any]:
        lang_home = urls.language_home(page.lang if page.lang in self.site.by_language
                                       else self.site.default_language)

        def link(target: str) -> str:
            if page.rooted is not None:
                return page.rooted + target
            return urls.relative(page.path, target)

        index_lang = lang_home.rstrip("/")
        archive = urls.archive(self.site.prefix(index_lang))
        values, labels = self._language_common(page.lang)
        nav = [Link(labels[0], link(urls.home()), current=page.path == "index.html"),
               Link(labels[1], link(lang_home), current=page.path.startswith(lang_home)
                    and "/entities/" not in page.path and not page.path.startswith(archive)
                    and not page.path.startswith(urls.search(self.site.prefix(index_lang)))),
               Link(labels[2], link(archive), current=page.path.startswith(archive))]
        for type_, label in zip(TYPE_ORDER, labels[3:], strict=True):
            folder = urls.entity_index(index_lang, type_)
            nav.append(Link(label, link(folder),
                            current=page.path.startswith(folder)
                            or page.path.startswith(f"entities/{urls.type_segment(type_)}/")))
        folder = page.path.rsplit("index.html", 1)[0] if page.path.endswith("index.html") else ""
        current = [alt for alt in page.alternates if alt.current]
        fallback = [alt for alt in page.alternates
                    if alt.lang == self.site.default_language] or current
        return {
            **values,
            "title": page.title,
            "title_lang": page.title_lang,
            "link": link,
            "nav": tuple(nav),
            "alternates": page.alternates,
            # Worked out here, not with Jinja's filters in base.html: every page asks.
            "hreflang_default": fallback[0].note if current else None,
            "canonical": urls.absolute(self.config.base_url, folder),
            "feed_href": link(page.feed) if page.feed else None,
            "stylesheet": link(urls.static("style.css")),
            "favicon": link(urls.static("favicon.svg")),
            "home_href": link(urls.home()),
            "search_href": link(urls.search(self.site.prefix(index_lang)))
            if self.config.search else None,
        }

    def _language_common(self, lang: str) -> tuple[dict[str, Any], tuple[str, ...]]:
        """The part of ``common`` that is the same on every page in ``lang`` (made once
        per language, not per page), and the labels of the sections menu."""
        found = self._common.get(lang)
        if found is None:
            ui = self.ui(lang)
            # Kept by this Kit, these functions reach it through a weak proxy: a strong
            # reference would make a cycle holding the whole Site, left for the cycle
            # collector (a second at the end of a 10k-article build).
            kit = weakref.proxy(self)

            def text(key: str, /, **values: Any) -> str:
                return cast(str, kit._ui_text(ui, lang, key, values))

            values = {
                "lang": lang,
                "dir": self.direction(lang),
                "ui": ui.strings,
                "t": text,
                "text_dir": lambda code: kit.direction(code),
                "site_title": self.site.title,
                "count": lambda n: kit._count_text(ui, lang, n),
                "fmt": text,
                "show_card": lambda card, level=3: kit.show_card(card, level),
                "show_bars": lambda chart: kit.show_bars(chart),
                "default_language": self.site.default_language,
                "robots": None,
                "og_locale": structured.og_locale(lang),
                "og_type": "website",
                "og_extra": (),
                "description": "",
                "structured": None,
            }
            labels = (text("home"), text("articles"), text("archive"),
                      *(text(TYPE_PLURAL[type_]) for type_ in TYPE_ORDER))
            found = self._common[lang] = (values, labels)
        return found

    def page(self, path: str, lang: str, title: str, alternates: Sequence[Link] = (),
              feed: str | None = None) -> Page:
        return Page(path, lang, self.ui(lang), title, tuple(alternates), feed)

    def ui(self, lang: str) -> UiLanguage:
        ui = self._uis.get(lang)
        if ui is None:
            ui = self._uis[lang] = self.theme.ui_for(lang)
        return ui

    def ui_text(self, page: Page, key: str, /, **values: Any) -> str:
        """Interface string ``key`` for ``page``, filled in with ``values``; a string that
        fell back to another language is marked as written in that language."""
        return self._ui_text(page.ui, page.lang, key, values)

    def _ui_text(self, ui: UiLanguage, lang: str, key: str, values: dict[str, Any]) -> str:
        text = ui.strings[key]
        if values:
            text = text.format(**values)
        return self.marked(text, ui.origin(key), lang)

    def marked(self, text: str, lang: str, page_lang: str) -> str:
        """``text`` as it is when written in the page's language, else in a span saying which
        language (and direction) it is in."""
        if lang == page_lang:
            return text
        direction = self.direction(lang)
        if direction == self.direction(page_lang):
            return Markup('<span lang="{}">{}</span>').format(lang, text)
        return Markup('<span lang="{}" dir="{}">{}</span>').format(lang, direction, text)

    def count(self, ui: UiLanguage, n: int) -> str:
        """'n articles' in the language the string is written in, by that language's plural
        rules (a Thai page whose strings fell back to English says '1 article')."""
        text = self._counts.get((ui.code, n))
        if text is None:
            lang = ui.origin("n_articles_other")
            key = f"n_articles_{self.locale(lang).plural_form(n)}"
            if key not in ui.strings or ui.origin(key) != lang:
                key = "n_articles_other"
            text = ui.strings[key].format(n=n)
            self._counts[(ui.code, n)] = text
        return text

    def count_text(self, page: Page, n: int) -> str:
        return self._count_text(page.ui, page.lang, n)

    def _count_text(self, ui: UiLanguage, lang: str, n: int) -> str:
        return self.marked(self.count(ui, n), ui.origin("n_articles_other"), lang)

    def direction(self, lang: str) -> str:
        """'rtl' for a language written right to left (CLDR's character order), else 'ltr'."""
        direction = self._dirs.get(lang)
        if direction is None:
            locale = _parse_locale(lang)
            rtl = locale is not None and locale.character_order == "right-to-left"
            direction = self._dirs[lang] = "rtl" if rtl else "ltr"
        return direction

    def locale(self, lang: str) -> Locale:
        """CLDR's data for ``lang``; the default language's (then English) for a language
        CLDR does not know."""
        locale = self._locales.get(lang)
        if locale is None:
            locale = _parse_locale(lang) or _parse_locale(self.site.default_language) \
                or Locale("en")
            self._locales[lang] = locale
        return locale

    def date(self, day: dt.date, lang: str, style: str = "long") -> str:
        key = (day, lang, style)
        text = self._dates.get(key)
        if text is None:
            locale = self.locale(lang)
            if style in ("long", "full", "medium"):
                text = format_date(day, style, locale=locale)
            else:
                text = format_skeleton(style, day, locale=locale)
            self._dates[key] = text
        return text

    def time_of(self, article: Article, lang: str) -> str:
        """The time of publication in the article's locale, with its UTC offset when known."""
        if article.published is None or article.published.time is None:
            return ""
        moment = dt.datetime.combine(article.published.day, article.published.time)
        text = str(format_time(moment, "short", tzinfo=moment.tzinfo, locale=self.locale(lang)))
        offset = moment.utcoffset()
        if offset is None:
            return text
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "−"
        return f"{text} UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    def month_name(self, month: int, lang: str) -> str:
        return str(get_month_names("wide", context="stand-alone",
                                   locale=self.locale(lang))[month])

    def collator(self, lang: str) -> Collator:
        collator = self._collators.get(lang)
        if collator is None:
            collator = Collator(self.ui(lang).alphabet)
            self._collators[lang] = collator
        return collator

    def language_name(self, lang: str) -> str:
        """A language's own name: the theme's, else CLDR's, capitalised as in a menu
        ('русский' -> 'Русский'); the code itself for a language CLDR does not know."""
        name = self._names.get(lang)
        if name is None:
            ui = self.ui(lang)
            if ui.translated:
                name = ui.native_name
            else:
                locale = _parse_locale(lang)
                name = str(locale.display_name or lang) if locale is not None else lang
                name = name[:1].upper() + name[1:]
            self._names[lang] = name
        return name

    def entity_name(self, entity: Entity, lang: str) -> tuple[str, str]:
        """An entity's name for a page in ``lang`` and the language the name is in: ``lang``
        when the entity has a name in it, else the language of its canonical name ('und',
        undetermined, when no language claims it). Kept: an entity is named on every page
        that links to it, and finding the language reads CLDR and every letter."""
        key = (entity.id, lang)
        found = self._entity_names.get(key)
        if found is None:
            found = self._entity_names[key] = self._entity_name(entity, lang)
        return found

    def _entity_name(self, entity: Entity, lang: str) -> tuple[str, str]:
        for code, name in entity.names:
            if code == lang:
                return name, lang
        codes = [code for code, name in entity.names if name == entity.name
                 and _written_in_latin(name) == _latin_language(code)]
        if self.site.default_language in codes:
            return entity.name, self.site.default_language
        return entity.name, codes[0] if codes else "und"

    def card(self, article_id: str, page: Page) -> Card:
        """An article's card on ``page``; all but its link is made once per page language."""
        href = urls.relative(page.path, self.site.article_folder(article_id))
        key = (article_id, page.lang)
        kept = self._cards.get(key)
        if kept is None:
            kept = self._cards[key] = self._card(article_id, page)
            if len(self._cards) > _CARDS_KEPT:
                del self._cards[next(iter(self._cards))]
        return Card(kept.title, href, kept.lang, kept.dir, kept.language_name,
                    kept.date_text, kept.date_iso, kept.source, kept.excerpt, kept)

    def _card(self, article_id: str, page: Page) -> Card:
        """The card with the link mark for its link (``card`` puts each page's in)."""
        article = self.site.article_by_id[article_id]
        day = article.published.day if article.published else None
        return Card(
            title=article.title,
            href=_LINK_MARK,
            lang=article.language,
            dir=self.direction(article.language),
            language_name=self.language_name(article.language),
            date_text=self.date(day, page.lang) if day else self.ui_text(page, "date_unknown"),
            date_iso=day.isoformat() if day else "",
            source=article.source.name if article.source else "",
            excerpt=self.excerpt(article),
        )

    def show_card(self, card: Card, level: int = 3) -> Markup:
        """``partials/card.html`` for one card, its headline an <h``level``>. An article's
        card is alike on many pages (its entities', its day's, in each language), so the
        last few thousand are kept rendered: with the default card template, which
        prints the link once and as it is, rendered with a mark for the link, so that one
        rendering serves every folder depth (a site's own template is kept per link)."""
        if self._card_template is None:  # found once: each lookup checks Jinja's cache
            self._card_template = self.env.get_template("partials/card.html")
            self._links_apart = self._card_template.filename is not None and Path(
                self._card_template.filename) == Path(
                    default_theme_dir(), "templates", "partials", "card.html")
        kept = card.kept
        if kept is None:  # not made by ``card``: nothing to find it by
            return Markup(self._card_template.render(card=card, card_level=level))
        # By the kept card's identity (it stays alive in the entry, so its id is not
        # reused meanwhile): hashing a card's every field cost more than the rest.
        key = (id(kept), level, "" if self._links_apart else card.href)
        found = self._card_markup.get(key)
        if found is not None:
            self._card_markup.move_to_end(key)
            markup = found[1]
        else:
            markup = self._card_template.render(
                card=kept if self._links_apart else card, card_level=level)
            self._card_markup[key] = (kept, markup)
            if len(self._card_markup) > _CARDS_KEPT:
                self._card_markup.popitem(last=False)
        if not self._links_apart:
            return Markup(markup)
        head, mark, tail = markup.partition(_LINK_MARK)
        if not mark or _LINK_MARK in tail:  # the card's own text holds it: rendered as is
            return Markup(self._card_template.render(card=card, card_level=level))
        return Markup(head + _escape_text(card.href) + tail)

    def show_bars(self, chart: charts.MonthChart) -> Markup:
        """``partials/chart_bars.html`` for one chart: the bars are alike on the chart's
        page in every language (rendered one after the other), so the last few are kept."""
        # Found by identity (``entity_chart`` hands each page the same chart): hashing a
        # chart's every bar costs as much as drawing them. The entry holds the chart, so
        # its id is not reused while the entry lives.
        kept = self._bars_markup.get(id(chart))
        if kept is not None and kept[0] is chart:
            return kept[1]
        markup = Markup(self.env.get_template("partials/chart_bars.html").render(chart=chart))
        self._bars_markup[id(chart)] = (chart, markup)
        if len(self._bars_markup) > _CHARTS_KEPT:
            del self._bars_markup[next(iter(self._bars_markup))]
        return markup

    def excerpt(self, article: Article) -> str:
        """The first words of the body as plain text."""
        return self.texts.excerpt(article.id)

    def paragraphs(self, article: Article) -> Paragraphs:
        return self.texts.paragraphs(article.id)

    def pager(self, job: Job, folder: str, page: Page) -> Pager | None:
        if job.pages <= 1:
            return None
        shown = sorted({1, job.pages, *range(max(1, job.page - 2),
                                             min(job.pages, job.page + 2) + 1)})
        items: list[Link] = []
        for before, number in zip([0, *shown], shown, strict=False):
            if number - before > 1:
                items.append(Link("…", ""))
            items.append(Link(str(number), urls.relative(page.path, urls.paged(folder, number)),
                              current=number == job.page))

        def href(n: int) -> str | None:
            return urls.relative(page.path, urls.paged(folder, n)) if 1 <= n <= job.pages \
                else None
        return Pager(job.page, job.pages, href(job.page - 1), href(job.page + 1), tuple(items))

    def entity_link(self, entity_id: str, lang: str, page: Page, note: str = "") -> Link:
        name, name_lang = self.entity_name(self.site.entity_by_id[entity_id], lang)
        return Link(name, urls.relative(page.path, self.site.entity_folder(entity_id, lang)),
                    lang=name_lang if name_lang != lang else "", note=note)

    def language_alternates(self, path: str, make: Callable[[str], str] | None,
                             current: str) -> tuple[Link, ...]:
        """Links to the same listing in each language (``make(lang)`` -> folder)."""
        links = []
        for code in self.site.languages:
            folder = make(code) if make else urls.language_home(code)
            links.append(Link(self.language_name(code), urls.relative(path, folder), lang=code,
                              current=code == current and make is not None,
                              note=urls.absolute(self.config.base_url, folder)))
        return tuple(links)

    def sorted_entities(self, lang: str, type_: EntityType
                         ) -> tuple[tuple[Entity, ...], tuple[str, ...]]:
        """Entities of one type in one language's collation order, with the index letter
        of each (computed once per language and type)."""
        key = (lang, type_)
        found = self._entity_order.get(key)
        if found is None:
            collator = self.collator(lang)
            ordered = tuple(sorted(self.site.entities_of_type(type_),
                                   key=lambda e: (collator.key(e.name_in(lang)), e.id)))
            found = (ordered, tuple(collator.initial(e.name_in(lang)) for e in ordered))
            self._entity_order[key] = found
        return found

    def title_from_ui(self, page: Page, key: str) -> None:
        page.title = page.ui.strings[key]
        origin = page.ui.origin(key)
        page.title_lang = origin if origin != page.lang else ""

    def year_links(self, page: Page) -> tuple[Link, ...]:
        dates = self.site.dates
        prefix = self.site.prefix(page.lang)
        links = [Link(str(y), urls.relative(page.path, urls.archive_year(y, prefix)),
                      note=self.count_text(page, dates.count_year(y))) for y in dates.years]
        if dates.undated:
            links.append(Link(self.ui_text(page, "undated"),
                              urls.relative(page.path, urls.archive_undated(prefix)),
                              note=self.count_text(page, len(dates.undated))))
        return tuple(links)

    def chart_view(self, chart: charts.MonthChart | None, page: Page, anchor: str,
                    with_year: bool = True, title: str | None = None) -> ChartView | None:
        """``chart`` labelled in the page's language (month names alone on a year's page)."""
        if chart is None:
            return None

        def label(year: int, month: int) -> str:
            key = (year if with_year else 0, month, page.lang)
            text = self._month_labels.get(key)
            if text is None:
                text = self._month_labels[key] = self.date(
                    dt.date(year, month, 1), page.lang, "yMMMM") if with_year \
                    else self.month_name(month, page.lang)
            return text

        # Many months share a count: each count's text is made once.
        counted = {n: self.count(page.ui, n) for n in {bar.count for bar in chart.bars}}
        rows = tuple((bar, label(bar.year, bar.month), counted[bar.count])
                     for bar in chart.bars)
        axis = tuple(label(*month) for month in dict.fromkeys((chart.first, chart.last)))
        description = page.ui.strings["chart_description"].format(
            first=axis[0], last=axis[-1], busiest=label(chart.peak.year, chart.peak.month),
            count=self.count(page.ui, chart.peak.count))
        return ChartView(chart, rows, axis, title or page.ui.strings["chart_title"],
                         description, anchor)

    def remember(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, made once for ``key`` in this renderer: for the parts a view's
        pages share (an entity's sidebar on each of its later pages)."""
        if key not in self._remembered:
            self._remembered[key] = make()
        return self._remembered[key]  # type: ignore[no-any-return]

    def entity_chart(self, entity_id: str) -> charts.MonthChart | None:
        """An entity's articles per month (the same on its page in every language)."""
        return self.remember(("chart", entity_id), lambda: charts.month_chart(
            self.month_counts.by_entity.get(entity_id, {})))

    def month_link(self, year: int, month: int, page: Page, exists: bool) -> Link:
        count = len(self.site.dates.in_month(year, month)) if exists else 0
        href = urls.relative(page.path, urls.archive_month(
            year, month, self.site.prefix(page.lang))) if exists else ""
        return Link(self.month_name(month, page.lang), href,
                    note=self.count_text(page, count) if count else "")

    def neighbours(self, keys: Sequence[Any], current: Any, folder: Callable[[Any], str],
                    label: Callable[[Any], str], page: Page) -> tuple[Link | None, Link | None]:
        at = list(keys).index(current)
        before = Link(label(keys[at - 1]), urls.relative(page.path, folder(keys[at - 1]))) \
            if at > 0 else None
        after = Link(label(keys[at + 1]), urls.relative(page.path, folder(keys[at + 1]))) \
            if at + 1 < len(keys) else None
        return before, after

    def folder_in(self, job: Job, lang: str) -> str:
        """The folder of the same page as ``job`` (an entity or date-archive page, whose
        key starts with its language) in language ``lang``."""
        prefix, rest = self.site.prefix(lang), job.key[1:]
        match job.kind:
            case "entity":
                folder = self.site.entity_folder(rest[0], lang)
            case "archive":
                folder = urls.archive(prefix)
            case "year":
                folder = urls.archive_year(rest[0], prefix)
            case "month":
                folder = urls.archive_month(rest[0], rest[1], prefix)
            case "day":
                folder = urls.archive_day(rest[0], prefix)
            case _:  # "undated"
                folder = urls.archive_undated(prefix)
        return urls.paged(folder, job.page)

    def counterparts(self, job: Job) -> tuple[Link, ...]:
        """The language switcher of an entity or date-archive page: the same page (same
        page number: every language's copy lists the same articles) in each language."""
        return tuple(
            Link(self.language_name(code), urls.relative(job.path, folder), lang=code,
                 current=code == job.key[0], note=urls.absolute(self.config.base_url, folder))
            for code in self.site.languages for folder in [self.folder_in(job, code)])


class _CodeGenerator(CodeGenerator):
    """Jinja's compiler, printing each ``{{ value }}`` of an autoescaped template with
    `_printed` instead of ``markupsafe.escape``. Escape wraps every value it escapes in a
    new Markup, a Python-level constructor: a page prints a few hundred values, and those
    wrappers were a quarter of rendering an entity page. What is printed is only joined
    into the page (or into the buffer of a block, a macro or ``{% set %}``, which Jinja
    wraps in Markup as a whole), so plain escaped text is printed the same."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.printed(")
        if finalize.src is not None:
            self.write(finalize.src)


def _printed(value: object) -> str:
    """``value`` as an autoescaped template prints it: text escaped, markup as it is."""
    if type(value) is str:
        return _escape_text(value)
    html = getattr(value, "__html__", None)
    if html is not None:
        return cast(str, html())
    return _escape_text(str(value))


class CompiledTemplates(jinja2.BytecodeCache):
    """Templates as Jinja compiled them in an earlier build, kept in the build cache:
    compiling the theme took a rebuild a fifth of a second, and each render worker as
    much. Jinja reuses a template's code only for the same source and Python; ``code``
    (a digest of newsforge's code, whose ``_CodeGenerator`` writes it) is part of the
    key, and each file carries a digest of its bytes, so a damaged one is never run. A
    file that cannot be read, trusted or written is a miss: the template is compiled."""

    def __init__(self, folder: Path, code: str) -> None:
        self.folder = folder
        self.code = code

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(f"{self.code}|{name}", filename)

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            data = (self.folder / bucket.key).read_bytes()
        except OSError:
            return
        check, payload = data[:_CHECK_LENGTH], data[_CHECK_LENGTH:]
        if check != _check(payload):
            return
        try:
            bucket.bytecode_from_string(payload)
        except Exception:  # marshal's own complaint about data that passed the check
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        payload = bucket.bytecode_to_string()
        scratch = self.folder / f"{bucket.key}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            scratch.write_bytes(_check(payload) + payload)
            os.replace(scratch, self.folder / bucket.key)
        except OSError:
            with contextlib.suppress(OSError):
                scratch.unlink(missing_ok=True)


_CHECK_LENGTH = 32


def _check(payload: bytes) -> bytes:
    return hashlib.blake2b(payload, digest_size=_CHECK_LENGTH // 2).hexdigest().encode()


class _Environment(jinja2.Environment):
    """Jinja's environment, with each template's globals copied into one dict when the
    template is loaded, instead of Jinja's view of them over the environment's: every
    render copies them into the new context, a view copies key by key (a miss in the
    template's own globals first), and a page renders a template per card it shows
    first. The environment's globals are never changed after templates are loaded.
    Values are printed by `_printed` (see `_CodeGenerator`)."""

    code_generator_class = _CodeGenerator
    printed = staticmethod(_printed)

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def _latin_language(lang: str) -> bool:
    """Whether CLDR's likely script of ``lang`` is Latin ('vi' yes, 'zh' and 'ru' no)."""
    likely = str(get_global("likely_subtags").get(lang.replace("-", "_").split("_")[0], ""))
    return likely.split("_")[1:2] == ["Latn"]


def _written_in_latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin letter."""
    return all(unicodedata.name(c, "").startswith("LATIN") for c in text if c.isalpha())


def _parse_locale(lang: str) -> Locale | None:
    """Babel's locale for a BCP 47 tag ('pt-BR', 'zh-Hant'), None when CLDR has none."""
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None

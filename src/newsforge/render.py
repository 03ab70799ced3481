"""Pages from a Site: the Jinja environment, the template-facing views, no file I/O.

``Renderer.jobs()`` lists every output file as a small Job (cheap, so a 100k-article
build knows its total up front); ``Renderer.render(job)`` turns one Job into
``(path, bytes)``. ``render_pages`` streams all of them, so the caller can write each page
as it comes and never holds the whole site in memory.

Everything from content reaches templates as plain text and is escaped by Jinja's
autoescape; the only markup built here is the article body (text paragraphs escaped
with ``markupsafe.escape``; Markdown rendered by markdown-it-py with raw HTML off).
Dates and month names come from CLDR via Babel, interface strings from the theme's
``i18n/<lang>.yaml``; nothing reads the process locale.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import html
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import jinja2
import pyuca  # type: ignore[import-untyped]
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    get_day_names,
    get_month_names,
)
from markdown_it import MarkdownIt
from markupsafe import Markup

from newsforge import charts, structured, urls
from newsforge.config import Config
from newsforge.errors import BuildError, NewsforgeError
from newsforge.model import (
    Article,
    BodyFormat,
    DateSource,
    Entity,
    EntityType,
    Problem,
    Severity,
)
from newsforge.site import Site
from newsforge.theme import Theme, UiLanguage
from newsforge.workers import map_in_processes

TYPE_ORDER = (EntityType.PERSON, EntityType.PARTY, EntityType.ORGANISATION, EntityType.EVENT)
# ui string keys: plural label of each type (index pages), singular label.
_TYPE_PLURAL = {EntityType.PERSON: "people", EntityType.PARTY: "parties",
                EntityType.ORGANISATION: "organisations", EntityType.EVENT: "events"}
FEED_SIZE = 50
ENTITY_FEED_SIZE = 20
HOME_LATEST = 5
INDEX_PAGE_SIZE = 200
SITEMAP_LIMIT = 50_000
# Page kinds rendered once per language, keyed (language, ...): their counterparts in the
# other languages are the same key with another language.
_PER_LANGUAGE = frozenset({"entity", "archive", "year", "month", "day", "undated"})
# Page kinds whose key starts with the language of the page.
_KEYED_BY_LANGUAGE = _PER_LANGUAGE | {"listing", "entity_index", "search"}
# Pages that are tools, not content: kept out of the sitemaps and of search engines.
_NOT_LISTED = frozenset({"search", "redirect"})
# Google News reads the articles of the last two days, at most 1,000 of them.
NEWS_DAYS = 2
NEWS_LIMIT = 1000
EXCERPT_CHARS = 240
# Markdown syntax left out of plain-text excerpts: links keep their text, emphasis,
# code and quote marks go.
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"(^|\s)[>*+-]\s|[*_`]+")


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
    """A month chart as a page shows it: ``rows`` pairs each bar with its month's label and
    count in the page's language; ``anchor`` makes the chart's ids unique on the page."""

    chart: charts.MonthChart
    rows: tuple[tuple[charts.Bar, str, str], ...]
    title: str
    description: str
    anchor: str


@dataclass(frozen=True, slots=True)
class Card:
    """An article in a listing."""

    title: str
    href: str
    lang: str
    dir: str
    language_name: str
    date_text: str
    date_iso: str
    source: str
    excerpt: str


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
class _Page:
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


# Collation ------------------------------------------------------------------------------

@functools.cache
def _root_collation() -> Any:
    """The Unicode Collation Algorithm with its default table (DUCET), loaded once."""
    return pyuca.collator.Collator_10_0_0()


class Collator:
    """Sort names the way a reader of one language expects.

    PyICU needs a compiler and the system's ICU, and Babel has no collation, so this is
    the Unicode Collation Algorithm's root order (pyuca with the DUCET it ships: Cyrillic,
    Greek, Thai and Lao with their pre-vowels, Khmer, kana rows, ideographs by radical and
    stroke, accents as secondary differences) tailored by the language's alphabet when
    the theme has one. Each letter of the alphabet sorts where the alphabet puts it: a
    letter the root order files before the letter listed ahead of it (Swedish 'å' after
    'z', Vietnamese 'ă' after 'a') sorts right after that one. The key is the primary
    weights, then the root order's full key (accents, case), then the text, so the order
    is total.
    """

    def __init__(self, alphabet: Sequence[str]) -> None:
        self._root = _root_collation()
        letters = [unicodedata.normalize("NFC", a.casefold()) for a in alphabet if a]
        self._anchor: dict[str, tuple[int, int]] = {}
        previous: tuple[int, int] | None = None
        for letter in letters:
            primaries = self._primaries(letter)
            if not primaries or letter in self._anchor:
                continue
            if previous is None or primaries[0] > previous[0]:
                anchor = (primaries[0], 0)
            else:
                anchor = (previous[0], previous[1] + 1)
            self._anchor[letter] = previous = anchor
        self._letter_of = {anchor: letter for letter, anchor in self._anchor.items()}
        self._longest = max((len(letter) for letter in self._anchor), default=1)
        self._keys: dict[str, tuple[tuple[tuple[int, int], ...], tuple[int, ...], str]] = {}
        self._chars: dict[str, tuple[str, tuple[int, int]] | None] = {}

    def key(self, text: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], str]:
        found = self._keys.get(text)
        if found is None:
            folded = unicodedata.normalize("NFC", text.casefold())
            found = (self._tailored(folded), self._root.sort_key(folded), text)
            self._keys[text] = found
        return found

    def initial(self, text: str) -> str:
        """The index letter a name is filed under: a letter of the alphabet ('Ấn' -> 'Â'
        in Vietnamese), else the first letter of the name without its accents ('É' -> 'E',
        'Ё' -> 'Е', 'ガ' -> 'か'), '#' for digits and signs."""
        primary = self.key(text)[0]
        if not primary:
            return "#"
        if primary[0] in self._letter_of:
            return self._letter_of[primary[0]].upper()
        for char in unicodedata.normalize("NFKC", text.casefold()):
            weights = self._primaries(char)
            if weights and (weights[0], 0) == primary[0]:
                return "#" if not char.isalpha() else _fold_letter(char, weights[0]).upper()
        return "#"

    def _primaries(self, text: str) -> tuple[int, ...]:
        elements = self._root.collation_elements(unicodedata.normalize("NFD", text))
        return tuple(int(e[0]) for e in elements if e[0])

    def _tailored(self, text: str) -> tuple[tuple[int, int], ...]:
        """Primary weights: the alphabet's for its letters, the root order's elsewhere."""
        if not self._anchor:
            return tuple((p, 0) for p in self._primaries(text))
        primary: list[tuple[int, int]] = []
        run: list[str] = []
        at = 0
        while at < len(text):
            match = self._match(text, at)
            if match is None:
                run.append(text[at])
                at += 1
                continue
            if run:
                primary.extend((p, 0) for p in self._primaries("".join(run)))
                run = []
            letter, anchor = match
            primary.append(anchor)
            at += len(letter)
        if run:
            primary.extend((p, 0) for p in self._primaries("".join(run)))
        return tuple(primary)

    def _match(self, text: str, at: int) -> tuple[str, tuple[int, int]] | None:
        """The alphabet letter at ``text[at:]``: the longest one, or a single character that
        is a letter with more accents ('ặ' is 'ă' with a dot below)."""
        for size in range(min(self._longest, len(text) - at), 1, -1):
            if text[at:at + size] in self._anchor:
                return text[at:at + size], self._anchor[text[at:at + size]]
        char = text[at]
        if char not in self._chars:
            self._chars[char] = self._letter_in(char)
        found = self._chars[char]
        return None if found is None else (char, found[1])

    def _letter_in(self, char: str) -> tuple[str, tuple[int, int]] | None:
        if char in self._anchor:
            return char, self._anchor[char]
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        for size in range(len(marks) - 1, 0, -1):
            for chosen in itertools.combinations(marks, size):
                letter = unicodedata.normalize("NFC", base + "".join(chosen))
                if letter in self._anchor:
                    return letter, self._anchor[letter]
        return None


def _fold_letter(char: str, primary: int) -> str:
    """The plain form of a letter with the same primary weight: without accents, kana as
    hiragana, small kana as full-size ('É' -> 'É' is kept only when 'E' weighs otherwise)."""
    root = _root_collation()

    def weighs_same(other: str) -> bool:
        elements = root.collation_elements(unicodedata.normalize("NFD", other))
        return bool(elements) and int(elements[0][0]) == primary

    base = unicodedata.normalize("NFD", char)[0]
    if base != char and weighs_same(base):
        char = base
    name = unicodedata.name(char, "")
    for script in ("KATAKANA", "HIRAGANA"):
        if name.startswith(script):
            plain = name.replace("KATAKANA", "HIRAGANA").replace("SMALL ", "")
            try:
                other = unicodedata.lookup(plain)
            except KeyError:
                break
            if weighs_same(other):
                char = other
            break
    return char


# The renderer ---------------------------------------------------------------------------

class Renderer:
    """Renders one Site with one Theme; holds only caches that are pure functions of both."""

    def __init__(self, site: Site, theme: Theme, config: Config) -> None:
        self.site = site
        self.theme = theme
        self.config = config
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(p) for p in theme.templates]),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # one build, one set of templates: skip a stat per include
        )
        self.markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})
        self._dates: dict[tuple[dt.date, str, str], str] = {}
        self._collators: dict[str, Collator] = {}
        self._locales: dict[str, Locale] = {}
        self._uis: dict[str, UiLanguage] = {}
        self._dirs: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._excerpts: dict[str, str] = {}
        self._counts: dict[tuple[str, int], str] = {}
        self._entity_order: dict[tuple[str, EntityType],
                                 tuple[tuple[Entity, ...], tuple[str, ...]]] = {}
        self._days = site.dates.days()
        self._zone = structured.time_zone(config.time_zone)
        self._day_index = {day: i for i, day in enumerate(self._days)}
        self._month_counts = charts.site_counts(site)

    # Jobs -------------------------------------------------------------------------------

    def jobs(self) -> tuple[Job, ...]:
        """Every file of the site, in a fixed order."""
        site, per_page = self.site, self.config.per_page
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
                        for day in self._days)
            jobs.extend(_paged_jobs("undated", urls.archive_undated(prefix), (lang,),
                                    len(site.dates.undated), per_page))
            if self.config.search:
                jobs.append(Job("search", urls.page_file(urls.search(prefix)), (lang,)))
        # One sitemap per language (split past the sitemap protocol's 50,000 URLs), the
        # Google News sitemap, and the index naming them all.
        pages: dict[str, int] = {}
        for job in jobs:
            if job.path.endswith("index.html") and job.kind not in _NOT_LISTED:
                lang = self.job_language(job)
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

    def render(self, job: Job, jobs: Sequence[Job] = ()) -> tuple[str, bytes]:
        """One file: ``(path, bytes)``. ``jobs`` is needed by the sitemap only."""
        method: Callable[[Job, Sequence[Job]], tuple[str, dict[str, Any], _Page | None]]
        method = getattr(self, f"_{job.kind}")
        template, context, page = method(job, jobs)
        if page is not None:
            context = {**self._common(page), **context}
        try:
            text = self.env.get_template(template).render(context)
        except jinja2.TemplateError as error:
            raise _template_error(error, template, job.path) from None
        return job.path, text.encode("utf-8")

    def render_or_report(self, job: Job, jobs: Sequence[Job] = ()
                         ) -> tuple[str, bytes, Problem | None]:
        """``render``, except that an unexpected failure costs this page only: a plain
        page stands in (so no link breaks) and the failure comes back as the problem of
        the content file behind the page. Template and other user errors still raise."""
        try:
            return (*self.render(job, jobs), None)
        except (NewsforgeError, jinja2.TemplateError):
            raise
        except Exception as error:  # a bug in newsforge, reported and contained
            article = self.site.article_by_id.get(job.key[0]) \
                if job.kind == "article" and job.key else None
            problem = Problem(
                article.path if article else job.path, None,
                f"internal error while rendering {job.path}: {type(error).__name__}: "
                f"{error}; a plain stand-in page was written",
                "please report this as a newsforge bug, with the file attached",
                Severity.WARNING)
            title = html.escape(article.title if article else job.path)
            page = ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                    f"<title>{title}</title></head><body><h1>{title}</h1>"
                    "<p>This page could not be rendered; the build report says why.</p>"
                    "</body></html>\n")
            return job.path, page.encode("utf-8"), problem

    # Shared context ---------------------------------------------------------------------

    def _common(self, page: _Page) -> dict[str, Any]:
        ui = page.ui.strings
        lang_home = urls.language_home(page.lang if page.lang in self.site.by_language
                                       else self.site.default_language)

        def link(target: str) -> str:
            if page.rooted is not None:
                return page.rooted + target
            return urls.relative(page.path, target)

        index_lang = lang_home.rstrip("/")
        archive = urls.archive(self.site.prefix(index_lang))
        def text(key: str, /, **values: Any) -> str:
            return self._ui_text(page, key, **values)

        nav = [Link(text("home"), link(urls.home()), current=page.path == "index.html"),
               Link(text("articles"), link(lang_home), current=page.path.startswith(lang_home)
                    and "/entities/" not in page.path and not page.path.startswith(archive)
                    and not page.path.startswith(urls.search(self.site.prefix(index_lang)))),
               Link(text("archive"), link(archive), current=page.path.startswith(archive))]
        for type_ in TYPE_ORDER:
            folder = urls.entity_index(index_lang, type_)
            nav.append(Link(text(_TYPE_PLURAL[type_]), link(folder),
                            current=page.path.startswith(folder)
                            or page.path.startswith(f"entities/{urls.type_segment(type_)}/")))
        folder = page.path.rsplit("index.html", 1)[0] if page.path.endswith("index.html") else ""
        return {
            "lang": page.lang,
            "dir": self._dir(page.lang),
            "ui": ui,
            "t": text,
            "text_dir": self._dir,
            "title": page.title,
            "title_lang": page.title_lang,
            "site_title": self.site.title,
            "link": link,
            "nav": tuple(nav),
            "alternates": page.alternates,
            "canonical": urls.absolute(self.config.base_url, folder),
            "feed_href": link(page.feed) if page.feed else None,
            "stylesheet": link(urls.static("style.css")),
            "favicon": link(urls.static("favicon.svg")),
            "home_href": link(urls.home()),
            "count": lambda n: self._count_text(page, n),
            "fmt": text,
            "default_language": self.site.default_language,
            "search_href": link(urls.search(self.site.prefix(index_lang)))
            if self.config.search else None,
            "robots": None,
            "og_locale": structured.og_locale(page.lang),
            "og_type": "website",
            "og_extra": (),
            "description": "",
            "structured": None,
        }

    def _page(self, path: str, lang: str, title: str, alternates: Sequence[Link] = (),
              feed: str | None = None) -> _Page:
        return _Page(path, lang, self._ui(lang), title, tuple(alternates), feed)

    def _ui(self, lang: str) -> UiLanguage:
        ui = self._uis.get(lang)
        if ui is None:
            ui = self._uis[lang] = self.theme.ui_for(lang)
        return ui

    def _ui_text(self, page: _Page, key: str, /, **values: Any) -> str:
        """Interface string ``key`` for ``page``, filled in with ``values``; a string that
        fell back to another language is marked as written in that language."""
        text = page.ui.strings[key]
        if values:
            text = text.format(**values)
        return self._marked(text, page.ui.origin(key), page.lang)

    def _marked(self, text: str, lang: str, page_lang: str) -> str:
        """``text`` as it is when written in the page's language, else in a span saying which
        language (and direction) it is in."""
        if lang == page_lang:
            return text
        direction = self._dir(lang)
        if direction == self._dir(page_lang):
            return Markup('<span lang="{}">{}</span>').format(lang, text)
        return Markup('<span lang="{}" dir="{}">{}</span>').format(lang, direction, text)

    def _count(self, ui: UiLanguage, n: int) -> str:
        """'n articles' in the language the string is written in, by that language's plural
        rules (a Thai page whose strings fell back to English says '1 article')."""
        text = self._counts.get((ui.code, n))
        if text is None:
            lang = ui.origin("n_articles_other")
            key = f"n_articles_{self._locale(lang).plural_form(n)}"
            if key not in ui.strings or ui.origin(key) != lang:
                key = "n_articles_other"
            text = ui.strings[key].format(n=n)
            self._counts[(ui.code, n)] = text
        return text

    def _count_text(self, page: _Page, n: int) -> str:
        return self._marked(self._count(page.ui, n), page.ui.origin("n_articles_other"),
                            page.lang)

    def _dir(self, lang: str) -> str:
        """'rtl' for a language written right to left (CLDR's character order), else 'ltr'."""
        direction = self._dirs.get(lang)
        if direction is None:
            locale = _parse_locale(lang)
            rtl = locale is not None and locale.character_order == "right-to-left"
            direction = self._dirs[lang] = "rtl" if rtl else "ltr"
        return direction

    def _locale(self, lang: str) -> Locale:
        """CLDR's data for ``lang``; the default language's (then English) for a language
        CLDR does not know."""
        locale = self._locales.get(lang)
        if locale is None:
            locale = _parse_locale(lang) or _parse_locale(self.site.default_language) \
                or Locale("en")
            self._locales[lang] = locale
        return locale

    def _date(self, day: dt.date, lang: str, style: str = "long") -> str:
        key = (day, lang, style)
        text = self._dates.get(key)
        if text is None:
            locale = self._locale(lang)
            if style in ("long", "full", "medium"):
                text = format_date(day, style, locale=locale)
            else:
                text = format_skeleton(style, day, locale=locale)
            self._dates[key] = text
        return text

    def _time(self, article: Article, lang: str) -> str:
        """The time of publication in the article's locale, with its UTC offset when known."""
        if article.published is None or article.published.time is None:
            return ""
        moment = dt.datetime.combine(article.published.day, article.published.time)
        text = str(format_time(moment, "short", tzinfo=moment.tzinfo, locale=self._locale(lang)))
        offset = moment.utcoffset()
        if offset is None:
            return text
        minutes = int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "−"
        return f"{text} UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"

    def _month_name(self, month: int, lang: str) -> str:
        return str(get_month_names("wide", context="stand-alone",
                                   locale=self._locale(lang))[month])

    def _collator(self, lang: str) -> Collator:
        collator = self._collators.get(lang)
        if collator is None:
            collator = Collator(self._ui(lang).alphabet)
            self._collators[lang] = collator
        return collator

    def _language_name(self, lang: str) -> str:
        """A language's own name: the theme's, else CLDR's, capitalised as in a menu
        ('русский' -> 'Русский'); the code itself for a language CLDR does not know."""
        name = self._names.get(lang)
        if name is None:
            ui = self._ui(lang)
            if ui.translated:
                name = ui.native_name
            else:
                locale = _parse_locale(lang)
                name = str(locale.display_name or lang) if locale is not None else lang
                name = name[:1].upper() + name[1:]
            self._names[lang] = name
        return name

    def _entity_name(self, entity: Entity, lang: str) -> tuple[str, str]:
        """An entity's name for a page in ``lang`` and the language the name is in: ``lang``
        when the entity has a name in it, else the language of its canonical name ('und',
        undetermined, when no language claims it)."""
        for code, name in entity.names:
            if code == lang:
                return name, lang
        codes = [code for code, name in entity.names if name == entity.name
                 and _written_in_latin(name) == _latin_language(code)]
        if self.site.default_language in codes:
            return entity.name, self.site.default_language
        return entity.name, codes[0] if codes else "und"

    def _card(self, article_id: str, page: _Page) -> Card:
        article = self.site.article_by_id[article_id]
        day = article.published.day if article.published else None
        return Card(
            title=article.title,
            href=urls.relative(page.path, self.site.article_folder(article_id)),
            lang=article.language,
            dir=self._dir(article.language),
            language_name=self._language_name(article.language),
            date_text=self._date(day, page.lang) if day else self._ui_text(page, "date_unknown"),
            date_iso=day.isoformat() if day else "",
            source=article.source.name if article.source else "",
            excerpt=self._excerpt(article),
        )

    def _excerpt(self, article: Article) -> str:
        """The first words of the body as plain text (cached: a card is shown many times)."""
        excerpt = self._excerpts.get(article.id)
        if excerpt is None:
            excerpt = _excerpt(article)
            self._excerpts[article.id] = excerpt
        return excerpt

    def _pager(self, job: Job, folder: str, page: _Page) -> Pager | None:
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

    def _entity_link(self, entity_id: str, lang: str, page: _Page, note: str = "") -> Link:
        name, name_lang = self._entity_name(self.site.entity_by_id[entity_id], lang)
        return Link(name, urls.relative(page.path, self.site.entity_folder(entity_id, lang)),
                    lang=name_lang if name_lang != lang else "", note=note)

    # Page kinds -------------------------------------------------------------------------

    def _home(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], _Page]:
        site = self.site
        lang = site.default_language
        page = self._page(job.path, lang, site.title,
                          self._language_alternates(job.path, None, lang))
        sections = tuple(
            Group(self._language_name(code),
                  tuple(self._card(aid, page) for aid in site.by_language[code][:HOME_LATEST]),
                  href=urls.relative(page.path, urls.language_home(code)), anchor=code)
            for code in site.languages if site.by_language.get(code))
        browse = tuple(
            Link(self._ui_text(page, _TYPE_PLURAL[t]),
                 urls.relative(page.path, urls.entity_index(lang, t)),
                 note=str(len(site.entities_of_type(t)))) for t in TYPE_ORDER)
        return "home.html", {"sections": sections, "browse": browse,
                             "years": self._year_links(page), "total": len(site.articles),
                             "chart": self._chart_view(
                                 charts.month_chart(self._month_counts.archive), page,
                                 "archive-chart")}, page

    def _language_alternates(self, path: str, make: Callable[[str], str] | None,
                             current: str) -> tuple[Link, ...]:
        """Links to the same listing in each language (``make(lang)`` -> folder)."""
        links = []
        for code in self.site.languages:
            folder = make(code) if make else urls.language_home(code)
            links.append(Link(self._language_name(code), urls.relative(path, folder), lang=code,
                              current=code == current and make is not None,
                              note=urls.absolute(self.config.base_url, folder)))
        return tuple(links)

    def _listing(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], _Page]:
        (lang,) = job.key
        folder = urls.language_home(lang)
        page = self._page(job.path, lang, "", (), urls.feed(folder))
        # 'Articles in English' names its language: never shown for another language.
        page.title = page.ui.strings["articles_in_language"] \
            if page.ui.origin("articles_in_language") == lang else self._language_name(lang)
        if job.page == 1:
            page.alternates = self._language_alternates(job.path, urls.language_home, lang)
        ids = self.site.by_language.get(lang, ())
        start = (job.page - 1) * self.config.per_page
        cards = tuple(self._card(aid, page) for aid in ids[start:start + self.config.per_page])
        return "listing.html", {"cards": cards, "pager": self._pager(job, folder, page),
                                "total": len(ids)}, page

    def _article(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], _Page]:
        site = self.site
        (aid,) = job.key
        article = site.article_by_id[aid]
        lang = article.language
        page = self._page(job.path, lang, article.title)
        stories = [site.article_by_id[o] for o in site.same_story.get(aid, ())]
        if stories:
            page.alternates = tuple(
                Link(self._language_name(a.language), urls.relative(job.path, folder), a.language,
                     current=a.id == aid, note=urls.absolute(self.config.base_url, folder))
                for a in sorted([article, *stories], key=lambda a: (a.language, a.id))
                for folder in [site.article_folder(a.id)])
        groups = []
        for type_ in TYPE_ORDER:
            ids = [e for e in site.entities_of_article.get(aid, ())
                   if site.entity_by_id[e].type is type_]
            if ids:
                collator = self._collator(lang)
                links = sorted((self._entity_link(e, lang, page) for e in ids),
                               key=lambda link: collator.key(link.label))
                groups.append(Group(self._ui_text(page, _TYPE_PLURAL[type_]), tuple(links)))
        day = article.published.day if article.published else None
        source = article.source
        description = self._excerpt(article)
        return "article.html", {
            "language_name": self._language_name(lang),
            "year": day.year if day else None,
            "description": description,
            "og_type": "article",
            "og_extra": self._article_og(article, stories),
            "structured": structured.script(self._article_data(article, stories, description)),
            "article": article,
            "body": self._body(article),
            "date_text": self._date(day, lang) if day else "",
            "time_text": self._time(article, lang),
            "date_iso": article.published.isoformat() if article.published else "",
            "date_linked": article.date_source is DateSource.LINKED,
            "source_name": source.name if source else "",
            "source_url": source.url if source and _is_web_url(source.url) else "",
            "entity_groups": tuple(groups),
            "same_story": tuple(self._card(a.id, page) for a in stories),
            "related": tuple(self._card(r, page) for r in site.related.get(aid, ())),
            "day_href": urls.relative(job.path, urls.archive_day(day, site.prefix(lang))) if day
            else urls.relative(job.path, urls.archive_undated(site.prefix(lang))),
        }, page

    def _article_data(self, article: Article, stories: Sequence[Article],
                      description: str) -> dict[str, Any]:
        site, base = self.site, self.config.base_url
        lang = article.language
        named = [site.entity_by_id[e] for e in site.entities_of_article.get(article.id, ())]
        entities = [(e, self._entity_name(e, lang)[0],
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
            site_name=site.title, zone=self._zone, description=description,
            entities=entities,
            author_url=urls.absolute(base, site.entity_folder(author.id, lang))
            if author else None,
            original=original, translations=translations or ())

    def _article_og(self, article: Article, stories: Sequence[Article]
                    ) -> tuple[tuple[str, str], ...]:
        """OpenGraph's article properties and the other languages of the story."""
        extra = [("og:locale:alternate", structured.og_locale(code))
                 for code in sorted({a.language for a in stories} - {article.language})]
        if article.published is not None:
            extra.append(("article:published_time",
                          structured.moment(article.published, self._zone)))
        if article.modified is not None:
            extra.append(("article:modified_time",
                          structured.moment(article.modified, self._zone)))
        if article.source is not None:
            extra.append(("article:publisher", article.source.name))
        for eid in self.site.entities_of_article.get(article.id, ()):
            extra.append(("article:tag",
                          self._entity_name(self.site.entity_by_id[eid], article.language)[0]))
        return tuple(extra)

    def _body(self, article: Article) -> Markup:
        if article.body_format is BodyFormat.MARKDOWN:
            return Markup(self.markdown.render(article.body))
        return Markup("\n").join(Markup('<p id="p{}">{}</p>').format(i, p.text)
                                 for i, p in enumerate(article.paragraphs, 1))

    def _entity(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], _Page]:
        site = self.site
        lang, eid = job.key
        entity: Entity = site.entity_by_id[eid]
        folder = site.entity_folder(eid, lang)
        name, name_lang = self._entity_name(entity, lang)
        page = self._page(job.path, lang, name, self._counterparts(job),
                          urls.feed(site.entity_folder(eid)))
        page.title_lang = name_lang if name_lang != lang else ""
        ids = site.articles_of_entity[eid]
        start = (job.page - 1) * self.config.per_page
        names = tuple(Link(name, "", code, note=self._language_name(code))
                      for code, name in entity.names)
        shown = {entity.name, *(n for _, n in entity.names)}
        pages = {code: urls.absolute(self.config.base_url, site.entity_folder(eid, code))
                 for code in site.languages}
        return "entity.html", {
            "structured": structured.script(structured.entity_thing(
                entity, name=name, url=pages.get(lang) or urls.absolute(
                    self.config.base_url, folder), pages=pages)),
            "og_type": "profile" if entity.type is EntityType.PERSON else "website",
            "language_name": self._language_name(lang),
            "entity": entity,
            "type_label": self._ui_text(page, entity.type.value),
            "type_href": urls.relative(job.path, urls.entity_index(lang, entity.type)),
            "names": names,
            "aliases": tuple(a for a in sorted(entity.aliases) if a not in shown),
            "cards": tuple(self._card(a, page) for a in ids[start:start + self.config.per_page]),
            "total": len(ids),
            "cooccurring": tuple(zip(
                (self._entity_link(o, lang, page, self._count_text(page, n))
                 for o, n in site.cooccurring.get(eid, ())),
                charts.shares([n for _, n in site.cooccurring.get(eid, ())]), strict=True)),
            "pager": self._pager(job, folder, page),
            "chart": self._chart_view(charts.month_chart(
                self._month_counts.by_entity.get(eid, {})), page, "entity-chart",
                title=page.ui.strings["chart_title_of"].format(name=name)),
        }, page

    def _entity_index(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], _Page]:
        lang, type_ = job.key
        folder = urls.entity_index(lang, type_)
        page = self._page(job.path, lang, "")
        self._title_from_ui(page, _TYPE_PLURAL[type_])
        if job.page == 1:
            page.alternates = self._language_alternates(
                job.path, lambda code: urls.entity_index(code, type_), lang)
        entities, initials = self._sorted_entities(lang, type_)
        start = (job.page - 1) * INDEX_PAGE_SIZE
        shown = range(start, min(len(entities), start + INDEX_PAGE_SIZE))
        groups: list[Group] = []
        for letter, positions in itertools.groupby(shown, key=lambda i: initials[i]):
            links = tuple(self._entity_link(
                entities[i].id, lang, page,
                self._count_text(page, len(self.site.articles_of_entity[entities[i].id])))
                for i in positions)
            groups.append(Group(letter, links, anchor=_letter_anchor(letter)))
        # Every letter of the whole index, linked to the page where it starts.
        letters: dict[str, int] = {}
        for position, letter in enumerate(initials):
            letters.setdefault(letter, position // INDEX_PAGE_SIZE + 1)
        jump = tuple(Link(letter, urls.relative(page.path, urls.paged(folder, number))
                          + "#" + _letter_anchor(letter), current=number == job.page)
                     for letter, number in letters.items())
        return "entity_index.html", {"groups": tuple(groups), "letters": jump,
                                     "pager": self._pager(job, folder, page),
                                     "total": len(entities)}, page

    def _sorted_entities(self, lang: str, type_: EntityType
                         ) -> tuple[tuple[Entity, ...], tuple[str, ...]]:
        """Entities of one type in one language's collation order, with the index letter
        of each (computed once per language and type)."""
        key = (lang, type_)
        found = self._entity_order.get(key)
        if found is None:
            collator = self._collator(lang)
            ordered = tuple(sorted(self.site.entities_of_type(type_),
                                   key=lambda e: (collator.key(e.name_in(lang)), e.id)))
            found = (ordered, tuple(collator.initial(e.name_in(lang)) for e in ordered))
            self._entity_order[key] = found
        return found

    def _title_from_ui(self, page: _Page, key: str) -> None:
        page.title = page.ui.strings[key]
        origin = page.ui.origin(key)
        page.title_lang = origin if origin != page.lang else ""

    def _year_links(self, page: _Page) -> tuple[Link, ...]:
        dates = self.site.dates
        prefix = self.site.prefix(page.lang)
        links = [Link(str(y), urls.relative(page.path, urls.archive_year(y, prefix)),
                      note=self._count_text(page, dates.count_year(y))) for y in dates.years]
        if dates.undated:
            links.append(Link(self._ui_text(page, "undated"),
                              urls.relative(page.path, urls.archive_undated(prefix)),
                              note=self._count_text(page, len(dates.undated))))
        return tuple(links)

    def _archive(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], _Page]:
        (lang,) = job.key
        prefix = self.site.prefix(lang)
        page = self._page(job.path, lang, "", self._counterparts(job))
        self._title_from_ui(page, "archive")
        years = []
        for year, months in self.site.dates.years.items():
            month_links = tuple(self._month_link(year, m, page, m in months) for m in range(1, 13))
            years.append(Group(str(year), month_links,
                               href=urls.relative(page.path, urls.archive_year(year, prefix))))
        return "archive.html", {"years": tuple(years), "year_links": self._year_links(page)}, page

    def _chart_view(self, chart: charts.MonthChart | None, page: _Page, anchor: str,
                    with_year: bool = True, title: str | None = None) -> ChartView | None:
        """``chart`` labelled in the page's language (month names alone on a year's page)."""
        if chart is None:
            return None

        def label(bar: charts.Bar) -> str:
            if with_year:
                return self._date(dt.date(bar.year, bar.month, 1), page.lang, "yMMMM")
            return self._month_name(bar.month, page.lang)

        rows = tuple((bar, label(bar), self._count(page.ui, bar.count)) for bar in chart.bars)
        description = page.ui.strings["chart_description"].format(
            first=rows[0][1], last=rows[-1][1], busiest=label(chart.peak),
            count=self._count(page.ui, chart.peak.count))
        return ChartView(chart, rows, title or page.ui.strings["chart_title"], description,
                         anchor)

    def _month_link(self, year: int, month: int, page: _Page, exists: bool) -> Link:
        count = len(self.site.dates.in_month(year, month)) if exists else 0
        href = urls.relative(page.path, urls.archive_month(
            year, month, self.site.prefix(page.lang))) if exists else ""
        return Link(self._month_name(month, page.lang), href,
                    note=self._count_text(page, count) if count else "")

    def _neighbours(self, keys: Sequence[Any], current: Any, folder: Callable[[Any], str],
                    label: Callable[[Any], str], page: _Page) -> tuple[Link | None, Link | None]:
        at = list(keys).index(current)
        before = Link(label(keys[at - 1]), urls.relative(page.path, folder(keys[at - 1]))) \
            if at > 0 else None
        after = Link(label(keys[at + 1]), urls.relative(page.path, folder(keys[at + 1]))) \
            if at + 1 < len(keys) else None
        return before, after

    def _year(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], _Page]:
        lang, year = job.key
        prefix = self.site.prefix(lang)
        page = self._page(job.path, lang, str(year), self._counterparts(job))
        months = self.site.dates.years[year]
        before, after = self._neighbours(tuple(self.site.dates.years), year,
                                         lambda y: urls.archive_year(y, prefix), str, page)
        locale = self._locale(lang)
        first = int(locale.first_week_day)
        weekdays = get_day_names("narrow", context="stand-alone", locale=locale)
        month_groups = []
        for month in range(1, 13):
            days = months.get(month, {})
            weeks = tuple(
                tuple(None if d == 0 else self._calendar_day(year, month, d, days, page)
                      for d in week)
                for week in calendar.Calendar(first).monthdayscalendar(year, month))
            month_groups.append(Group(
                self._month_name(month, lang), weeks,
                href=urls.relative(page.path, urls.archive_month(year, month, prefix))
                if days else "",
                note=self._count_text(page, sum(len(i) for i in days.values())) if days
                else ""))
        return "year.html", {"year": year, "months": tuple(month_groups),
                             "weekdays": tuple(str(weekdays[(first + i) % 7]) for i in range(7)),
                             "total": self.site.dates.count_year(year),
                             "chart": self._chart_view(charts.month_chart(
                                 self._month_counts.archive,
                                 charts.months_between((year, 1), (year, 12))),
                                 page, "year-chart", with_year=False),
                             "previous": before, "next": after,
                             "archive_href": urls.relative(page.path, urls.archive(prefix))}, page

    def _calendar_day(self, year: int, month: int, day: int,
                      days: Mapping[int, tuple[str, ...]], page: _Page) -> Link:
        if day not in days:
            return Link(str(day), "")
        href = urls.relative(page.path, urls.archive_day(dt.date(year, month, day),
                                                         self.site.prefix(page.lang)))
        return Link(str(day), href, note=self._count(page.ui, len(days[day])))

    def _month(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], _Page]:
        lang, year, month = job.key
        prefix = self.site.prefix(lang)
        folder = urls.archive_month(year, month, prefix)
        page = self._page(job.path, lang, self._date(dt.date(year, month, 1), lang, "yMMMM"),
                          self._counterparts(job))
        all_months = tuple((y, m) for y, ms in self.site.dates.years.items() for m in ms)
        before, after = self._neighbours(
            all_months, (year, month), lambda ym: urls.archive_month(ym[0], ym[1], prefix),
            lambda ym: self._date(dt.date(ym[0], ym[1], 1), lang, "yMMMM"), page)
        ids = self.site.dates.in_month(year, month)
        start = (job.page - 1) * self.config.per_page
        shown = ids[start:start + self.config.per_page]
        days: list[Group] = []
        for day, members in itertools.groupby(
                shown, key=lambda a: self.site.article_by_id[a].published.day  # type: ignore[union-attr]
        ):
            days.append(Group(self._date(day, lang, "full"),
                              tuple(self._card(a, page) for a in members),
                              href=urls.relative(page.path, urls.archive_day(day, prefix)),
                              anchor=f"d{day.day:02d}"))
        return "month.html", {"days": tuple(days), "total": len(ids), "previous": before,
                              "next": after, "pager": self._pager(job, folder, page),
                              "year_href": urls.relative(page.path,
                                                         urls.archive_year(year, prefix)),
                              "year": year}, page

    def _day(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], _Page]:
        lang, day = job.key
        prefix = self.site.prefix(lang)
        page = self._page(job.path, lang, self._date(day, lang, "full"), self._counterparts(job))
        at = self._day_index[day]
        before, after = self._neighbours(self._days[max(0, at - 1):at + 2], day,
                                         lambda d: urls.archive_day(d, prefix),
                                         lambda d: self._date(d, lang), page)
        return "day.html", {
            "cards": tuple(self._card(a, page) for a in self.site.dates.on(day)),
            "previous": before, "next": after,
            "month_href": urls.relative(page.path,
                                        urls.archive_month(day.year, day.month, prefix)),
            "month_label": self._date(day, lang, "yMMMM"),
            "year_href": urls.relative(page.path, urls.archive_year(day.year, prefix)),
            "year": day.year}, page

    def _undated(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], _Page]:
        (lang,) = job.key
        page = self._page(job.path, lang, "", self._counterparts(job))
        self._title_from_ui(page, "undated")
        ids = self.site.dates.undated
        start = (job.page - 1) * self.config.per_page
        return "undated.html", {
            "cards": tuple(self._card(a, page) for a in ids[start:start + self.config.per_page]),
            "total": len(ids),
            "pager": self._pager(job, urls.archive_undated(self.site.prefix(lang)), page)}, page

    # Feeds, sitemap, robots -------------------------------------------------------------

    def _feed_context(self, path: str, folder: str, title: str, lang: str,
                      ids: Sequence[str]) -> dict[str, Any]:
        base = self.config.base_url
        entries = []
        for aid in ids:
            article = self.site.article_by_id[aid]
            entries.append({
                "title": article.title,
                "url": urls.absolute(base, self.site.article_folder(aid)),
                # The id keeps the article's earlier URL: a feed reader that saw the
                # entry before URLs changed must not see it as a new one.
                "id": _entry_id(base, self.site.legacy_article_folder(aid), aid),
                "updated": _atom_time(article),
                "summary": self._excerpt(article),
                "author": article.author or (article.source.name if article.source else ""),
                "lang": article.language,
            })
        updated = max((e["updated"] for e in entries), default="1970-01-01T00:00:00Z")
        return {"feed_title": title, "site_title": self.site.title, "lang": lang,
                "self_url": urls.absolute(base, path),
                "page_url": urls.absolute(base, folder),
                "feed_id": _entry_id(base, path, path), "updated": updated, "entries": entries}

    def _language_feed(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], None]:
        (lang,) = job.key
        ui = self._ui(lang)
        title = f"{self.site.title} — {ui.strings['articles_in_language']}" \
            if ui.origin("articles_in_language") == lang \
            else f"{self.site.title} — {self._language_name(lang)}"
        ids = self.site.by_language.get(lang, ())[:FEED_SIZE]
        return "atom.xml", self._feed_context(job.path, urls.language_home(lang), title, lang,
                                              ids), None

    def _entity_feed(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], None]:
        (eid,) = job.key
        lang = self.site.default_language
        entity = self.site.entity_by_id[eid]
        ids = self.site.articles_of_entity[eid][:ENTITY_FEED_SIZE]
        return "atom.xml", self._feed_context(
            job.path, self.site.entity_folder(eid),
            f"{self.site.title} — {entity.name_in(lang)}", lang, ids), None

    def job_language(self, job: Job) -> str:
        """The language of the page a job makes (the default one for site-wide pages)."""
        if job.kind in ("article", "redirect"):
            return self.site.article_by_id[job.key[0]].language
        if job.kind in _KEYED_BY_LANGUAGE:
            return str(job.key[0])
        return self.site.default_language

    def _sitemap(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], None]:
        (lang,) = job.key
        pages = [j for j in jobs if j.path.endswith("index.html") and j.kind not in _NOT_LISTED
                 and self.job_language(j) == lang]
        chunk = pages[(job.page - 1) * SITEMAP_LIMIT:job.page * SITEMAP_LIMIT]
        base = self.config.base_url
        entries = []
        for page_job in chunk:
            folder = page_job.path.rsplit("index.html", 1)[0]
            entries.append({"loc": urls.absolute(base, folder),
                            "alternates": self._sitemap_alternates(page_job)})
        return "sitemap.xml", {"entries": entries}, None

    def _sitemap_alternates(self, job: Job) -> tuple[tuple[str, str], ...]:
        base, site = self.config.base_url, self.site
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
        if job.kind in _PER_LANGUAGE:
            return tuple((c, urls.absolute(base, self._folder_in(job, c)))
                         for c in site.languages)
        return ()

    def _folder_in(self, job: Job, lang: str) -> str:
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

    def _counterparts(self, job: Job) -> tuple[Link, ...]:
        """The language switcher of an entity or date-archive page: the same page (same
        page number: every language's copy lists the same articles) in each language."""
        return tuple(
            Link(self._language_name(code), urls.relative(job.path, folder), lang=code,
                 current=code == job.key[0], note=urls.absolute(self.config.base_url, folder))
            for code in self.site.languages for folder in [self._folder_in(job, code)])

    def _sitemap_index(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], None]:
        return "sitemap_index.xml", {"parts": tuple(
            urls.absolute(self.config.base_url, j.path) for j in jobs
            if j.kind in ("sitemap", "news_sitemap"))}, None

    def _search(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], _Page]:
        (lang,) = job.key
        page = self._page(job.path, lang, "")
        self._title_from_ui(page, "search")
        page.alternates = self._language_alternates(
            job.path, lambda code: urls.search(self.site.prefix(code)), lang)
        ui = page.ui.strings
        filters = (("kind", ui["search_kind"]), ("year", ui["search_year"]),
                   ("source", ui["search_source"]))
        return "search.html", {
            "bundle": urls.relative(job.path, "pagefind/pagefind.js"),
            "root": urls.relative(job.path, "").removesuffix("index.html") or "./",
            "script": urls.relative(job.path, urls.static("search.js")),
            "filters": filters,
            "robots": "noindex",
            "search_href": None,  # the page's own form replaces the header's box
        }, page

    def _news_sitemap(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], None]:
        """The articles of the archive's last two days, newest first. The days are counted
        back from the newest article, not from the clock, so that a build depends on its
        input only; an archive that is still being published reaches today anyway."""
        site = self.site
        dated = [a for a in site.articles if a.published is not None]
        entries = []
        if dated:
            newest = max(a.published.day for a in dated if a.published)
            since = newest - dt.timedelta(days=NEWS_DAYS - 1)
            recent = sorted((a for a in dated if a.published and a.published.day >= since),
                            key=lambda a: (a.published.day if a.published else since, a.id),
                            reverse=True)
            entries = [{
                "loc": urls.absolute(self.config.base_url, site.article_folder(a.id)),
                "language": a.language,
                "date": structured.moment(a.published, self._zone) if a.published else "",
                "title": a.title,
            } for a in recent[:NEWS_LIMIT]]
        return "sitemap_news.xml", {"entries": entries, "publication": site.title}, None

    def _not_found(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], _Page]:
        page = self._page(job.path, self.site.default_language, "404")
        page.rooted = self.config.base_path
        return "404.html", {}, page

    def _redirect(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], None]:
        article = self.site.article_by_id[job.key[0]]
        folder = self.site.article_folder(article.id)
        return "redirect.html", {
            "lang": article.language,
            "dir": self._dir(article.language),
            "title": article.title,
            "href": urls.relative(job.path, folder),
            "canonical": urls.absolute(self.config.base_url, folder),
            "shown": self.config.base_path + folder,
            "stylesheet": urls.relative(job.path, urls.static("style.css")),
        }, None

    def _robots(self, job: Job, jobs: Sequence[Job]) -> tuple[str, dict[str, Any], None]:
        # A robots.txt may only name a sitemap by absolute URL.
        absolute = re.match(r"^https?://", self.config.base_url) is not None
        sitemap = urls.absolute(self.config.base_url, "sitemap.xml") if absolute else None
        return "robots.txt", {"sitemap": sitemap}, None


_RENDER_CHUNK = 128
# Each render worker builds its Renderer once (a Jinja environment cannot be sent to it)
# and keeps it here, with the full job list the sitemap needs; never set in the parent.
_worker_renderer: list[tuple[Renderer, tuple[Job, ...]]] = []


def render_in_processes(site: Site, theme: Theme, config: Config, jobs: tuple[Job, ...],
                        workers: int) -> Iterator[tuple[str, bytes, Problem | None]]:
    """Every job's ``render_or_report``, rendered in ``workers`` processes, in job order.

    Each page depends only on the Site and its job, so the bytes are the same as when
    rendered here; the caller still writes them, through its one checked writer."""
    return map_in_processes(_render_chunk, jobs, workers=workers, chunk=_RENDER_CHUNK,
                            initializer=_start_render_worker,
                            initargs=(site, theme, config, jobs))


def _start_render_worker(site: Site, theme: Theme, config: Config,
                         jobs: tuple[Job, ...]) -> None:
    _worker_renderer.append((Renderer(site, theme, config), jobs))


def _render_chunk(chunk: list[Job]) -> list[tuple[str, bytes, Problem | None]]:
    renderer, jobs = _worker_renderer[0]
    return [renderer.render_or_report(job, jobs) for job in chunk]


def render_pages(site: Site, theme: Theme, config: Config) -> Iterator[tuple[str, bytes]]:
    """Every file of the site as ``(path, bytes)``, one at a time, in a fixed order."""
    renderer = Renderer(site, theme, config)
    jobs = renderer.jobs()
    for job in jobs:
        yield renderer.render(job, jobs)


def _paged_jobs(kind: str, folder: str, key: tuple[Any, ...], items: int,
                per_page: int) -> list[Job]:
    pages = max(1, math.ceil(items / per_page))
    return [Job(kind, urls.page_file(urls.paged(folder, n)), key, n, pages)
            for n in range(1, pages + 1)]


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


def _excerpt(article: Article) -> str:
    for paragraph in article.paragraphs:
        text = paragraph.text
        if article.body_format is BodyFormat.MARKDOWN:
            if text.lstrip().startswith(("#", "```", "|", "<")):
                continue
            text = _MARKDOWN_MARKS.sub("", _MARKDOWN_LINK.sub(r"\1", text))
        text = " ".join(text.split())
        if text:
            if len(text) <= EXCERPT_CHARS:
                return text
            return text[:EXCERPT_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return ""


def _letter_anchor(letter: str) -> str:
    """A unique id for an index letter ('A' -> 'letter-a', 'Đ' -> 'letter-110')."""
    if letter.isascii() and letter.isalnum():
        return f"letter-{letter.lower()}"
    return "letter-" + "-".join(str(ord(c)) for c in letter)


def _is_web_url(url: str | None) -> bool:
    return bool(url) and re.match(r"^https?://", url or "", re.IGNORECASE) is not None


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


def _template_error(error: jinja2.TemplateError, template: str, output: str) -> BuildError:
    """A template error as ``template:line: message``, found in Jinja's traceback."""
    path: str | None = getattr(error, "filename", None)
    line: int | None = getattr(error, "lineno", None)
    if path is None:
        tb: TracebackType | None = error.__traceback__
        while tb is not None:
            name = tb.tb_frame.f_code.co_filename
            if name.endswith((".html", ".xml", ".txt")):
                path, line = name, tb.tb_lineno
            tb = tb.tb_next
    return BuildError(f"template error while rendering {output}: {error.message or error}",
                      path=path or template, line=line,
                      hint="fix the template (a site override in templates/ or the theme)")


# The mapping view the pipeline's brief names: {path: bytes} for small sites and tests.
def render_mapping(site: Site, theme: Theme, config: Config) -> Mapping[str, bytes]:
    """All files in one dict; fine for tests and small sites (builds stream instead)."""
    return dict(render_pages(site, theme, config))

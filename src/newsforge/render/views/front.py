"""The site's front pages: the home page, each language's listing, search and 404."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsforge import charts, urls
from newsforge.render.inputs import Inputs
from newsforge.render.kit import (
    TYPE_ORDER,
    TYPE_PLURAL,
    Context,
    Group,
    Job,
    Kit,
    Link,
    View,
    no_inputs,
)
from newsforge.site import Site

HOME_LATEST = 5


def home_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    site = kit.site
    lang = site.default_language
    page = kit.page(job.path, lang, site.title,
                      kit.language_alternates(job.path, None, lang))
    sections = tuple(
        Group(kit.language_name(code),
              tuple(kit.card(aid, page) for aid in site.by_language[code][:HOME_LATEST]),
              href=urls.relative(page.path, urls.language_home(code)), anchor=code)
        for code in site.languages if site.by_language.get(code))
    browse = tuple(
        Link(kit.ui_text(page, TYPE_PLURAL[t]),
             urls.relative(page.path, urls.entity_index(lang, t)),
             note=str(len(site.entities_of_type(t)))) for t in TYPE_ORDER)
    return {"sections": sections, "browse": browse,
            "years": kit.year_links(page), "total": len(site.articles),
            "chart": kit.chart_view(
                charts.month_chart(kit.month_counts.archive), page,
                "archive-chart")}, page


def listing_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    (lang,) = job.key
    folder = urls.language_home(lang)
    page = kit.page(job.path, lang, "", (), urls.feed(folder))
    # 'Articles in English' names its language: never shown for another language.
    page.title = page.ui.strings["articles_in_language"] \
        if page.ui.origin("articles_in_language") == lang else kit.language_name(lang)
    if job.page == 1:
        page.alternates = kit.language_alternates(job.path, urls.language_home, lang)
    ids = kit.site.by_language.get(lang, ())
    start = (job.page - 1) * kit.config.per_page
    cards = tuple(kit.card(aid, page) for aid in ids[start:start + kit.config.per_page])
    return {"cards": cards, "pager": kit.pager(job, folder, page),
            "total": len(ids)}, page


def search_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    (lang,) = job.key
    page = kit.page(job.path, lang, "")
    kit.title_from_ui(page, "search")
    page.alternates = kit.language_alternates(
        job.path, lambda code: urls.search(kit.site.prefix(code)), lang)
    ui = page.ui.strings
    filters = (("kind", ui["search_kind"]), ("year", ui["search_year"]),
               ("source", ui["search_source"]))
    return {
        "bundle": urls.relative(job.path, f"{urls.SEARCH_BUNDLE}pagefind.js"),
        "shards": " ".join(shard.removeprefix(urls.SEARCH_BUNDLE)
                           for shard in search_shards(kit.site)),
        "root": urls.relative(job.path, "").removesuffix("index.html") or "./",
        "script": urls.relative(job.path, urls.static("search.js")),
        "filters": filters,
        "robots": "noindex",
        "search_href": None,  # the page's own form replaces the header's box
    }, page


def not_found_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    page = kit.page(job.path, kit.site.default_language, "404")
    page.rooted = kit.config.base_path
    return {}, page


def home_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    site = inputs.site
    return (inputs.calendar(), repr(len(site.articles)),
            *(repr(len(site.entities_of_type(t))) for t in TYPE_ORDER),
            *(inputs.article(aid) for code in site.languages
              for aid in site.by_language.get(code, ())[:HOME_LATEST]))


def listing_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    (lang,) = job.key
    ids = inputs.site.by_language.get(lang, ())
    per_page = inputs.config.per_page
    return (repr(len(ids)), *inputs.articles(ids[(job.page - 1) * per_page:
                                                 job.page * per_page]))


def search_shards(site: Site) -> tuple[str, ...]:
    """The search indexes merged into the main one: one per part of the articles."""
    return tuple(urls.search_shard(part) for part in sorted(set(site.search_parts.values())))


def search_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    return search_shards(inputs.site)


VIEWS = (View("home", "home.html", home_context, home_inputs),
         View("listing", "listing.html", listing_context, listing_inputs),
         View("search", "search.html", search_context, search_inputs),
         View("not_found", "404.html", not_found_context, no_inputs))

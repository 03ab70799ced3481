"""The date archive: its overview, and a page per year, month and day, and the undated."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence

from babel.dates import get_day_names

from newsforge import charts, urls
from newsforge.render.inputs import Inputs
from newsforge.render.kit import Context, Group, Job, Kit, Link, Page, View


def archive_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    (lang,) = job.key
    prefix = kit.site.prefix(lang)
    page = kit.page(job.path, lang, "", kit.counterparts(job))
    kit.title_from_ui(page, "archive")
    years = []
    for year, months in kit.site.dates.years.items():
        month_links = tuple(kit.month_link(year, m, page, m in months) for m in range(1, 13))
        years.append(Group(str(year), month_links,
                           href=urls.relative(page.path, urls.archive_year(year, prefix))))
    return {"years": tuple(years), "year_links": kit.year_links(page)}, page


def year_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    lang, year = job.key
    prefix = kit.site.prefix(lang)
    page = kit.page(job.path, lang, str(year), kit.counterparts(job))
    months = kit.site.dates.years[year]
    before, after = kit.neighbours(tuple(kit.site.dates.years), year,
                                     lambda y: urls.archive_year(y, prefix), str, page)
    locale = kit.locale(lang)
    first = int(locale.first_week_day)
    weekdays = get_day_names("narrow", context="stand-alone", locale=locale)
    month_groups = []
    for month in range(1, 13):
        days = months.get(month, {})
        weeks = tuple(
            tuple(None if d == 0 else _calendar_day(kit, year, month, d, days, page)
                  for d in week)
            for week in calendar.Calendar(first).monthdayscalendar(year, month))
        month_groups.append(Group(
            kit.month_name(month, lang), weeks,
            href=urls.relative(page.path, urls.archive_month(year, month, prefix))
            if days else "",
            note=kit.count_text(page, sum(len(i) for i in days.values())) if days
            else ""))
    return {"year": year, "months": tuple(month_groups),
            "weekdays": tuple(str(weekdays[(first + i) % 7]) for i in range(7)),
            "total": kit.site.dates.count_year(year),
            "chart": kit.chart_view(charts.month_chart(
                kit.month_counts.archive, ((year, 1), (year, 12))),
                page, "year-chart", with_year=False),
            "previous": before, "next": after,
            "archive_href": urls.relative(page.path, urls.archive(prefix))}, page


def _calendar_day(kit: Kit, year: int, month: int, day: int,
                  days: Mapping[int, tuple[str, ...]], page: Page) -> Link:
    if day not in days:
        return Link(str(day), "")
    href = urls.relative(page.path, urls.archive_day(dt.date(year, month, day),
                                                     kit.site.prefix(page.lang)))
    return Link(str(day), href, note=kit.count(page.ui, len(days[day])))


def month_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    lang, year, month = job.key
    prefix = kit.site.prefix(lang)
    folder = urls.archive_month(year, month, prefix)
    page = kit.page(job.path, lang, kit.date(dt.date(year, month, 1), lang, "yMMMM"),
                      kit.counterparts(job))
    all_months = tuple((y, m) for y, ms in kit.site.dates.years.items() for m in ms)
    before, after = kit.neighbours(
        all_months, (year, month), lambda ym: urls.archive_month(ym[0], ym[1], prefix),
        lambda ym: kit.date(dt.date(ym[0], ym[1], 1), lang, "yMMMM"), page)
    ids = kit.site.dates.in_month(year, month)
    start = (job.page - 1) * kit.config.per_page
    shown = ids[start:start + kit.config.per_page]
    days: list[Group] = []
    for day, members in itertools.groupby(
            shown, key=lambda a: kit.site.article_by_id[a].published.day  # type: ignore[union-attr]
    ):
        days.append(Group(kit.date(day, lang, "full"),
                          tuple(kit.card(a, page) for a in members),
                          href=urls.relative(page.path, urls.archive_day(day, prefix)),
                          anchor=f"d{day.day:02d}"))
    return {"days": tuple(days), "total": len(ids), "previous": before,
            "next": after, "pager": kit.pager(job, folder, page),
            "year_href": urls.relative(page.path,
                                       urls.archive_year(year, prefix)),
            "year": year}, page


def day_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    lang, day = job.key
    prefix = kit.site.prefix(lang)
    page = kit.page(job.path, lang, kit.date(day, lang, "full"), kit.counterparts(job))
    at = kit.day_index[day]
    before, after = kit.neighbours(kit.days[max(0, at - 1):at + 2], day,
                                     lambda d: urls.archive_day(d, prefix),
                                     lambda d: kit.date(d, lang), page)
    return {
        "cards": tuple(kit.card(a, page) for a in kit.site.dates.on(day)),
        "previous": before, "next": after,
        "month_href": urls.relative(page.path,
                                    urls.archive_month(day.year, day.month, prefix)),
        "month_label": kit.date(day, lang, "yMMMM"),
        "year_href": urls.relative(page.path, urls.archive_year(day.year, prefix)),
        "year": day.year}, page


def undated_context(kit: Kit, job: Job, jobs: Sequence[Job]) -> Context:
    (lang,) = job.key
    page = kit.page(job.path, lang, "", kit.counterparts(job))
    kit.title_from_ui(page, "undated")
    ids = kit.site.dates.undated
    start = (job.page - 1) * kit.config.per_page
    return {
        "cards": tuple(kit.card(a, page) for a in ids[start:start + kit.config.per_page]),
        "total": len(ids),
        "pager": kit.pager(job, urls.archive_undated(kit.site.prefix(lang)), page)}, page


def calendar_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    """How many articles each day, month and year has (and the undated)."""
    return (inputs.calendar(),)


def year_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    """The year's days and their counts, and which years exist."""
    return (inputs.year(job.key[1]),)


def month_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    """Which months exist, the month's articles and the cards of this page's."""
    _, year, month = job.key
    ids = inputs.site.dates.in_month(year, month)
    per_page = inputs.config.per_page
    return (inputs.months(), repr(ids),
            *inputs.articles(ids[(job.page - 1) * per_page:job.page * per_page]))


def day_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    """The day's cards and the days before and after it."""
    day = job.key[1]
    return (repr(inputs.days_around(day)), *inputs.articles(inputs.site.dates.on(day)))


def undated_inputs(inputs: Inputs, job: Job) -> Iterable[str]:
    ids = inputs.site.dates.undated
    per_page = inputs.config.per_page
    return (repr(len(ids)),
            *inputs.articles(ids[(job.page - 1) * per_page:job.page * per_page]))


VIEWS = (View("archive", "archive.html", archive_context, calendar_inputs),
         View("year", "year.html", year_context, year_inputs),
         View("month", "month.html", month_context, month_inputs),
         View("day", "day.html", day_context, day_inputs),
         View("undated", "undated.html", undated_context, undated_inputs))

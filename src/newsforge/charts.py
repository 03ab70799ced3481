"""Numbers and geometry for the site's small pictures: articles per month.

The counts are gathered once per site in one pass over the date index (``site_counts``);
the bar geometry of one chart (``month_chart``) is a pure function of those counts and is
cheap, so pages ask for it when they are rendered. Colours and labels are not decided
here: the templates draw with the theme's colours and write the labels in the page's
language.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newsforge.site import Site

CHART_WIDTH = 600
"""Width of every chart's drawing, in SVG user units (the page scales it)."""
CHART_HEIGHT = 120
BAR_GAP = 0.15
"""The share of each month's slot left empty between bars."""
MAX_BAR_WIDTH = 48.0
"""So that a chart of one or two months shows bars, not blocks."""

Month = tuple[int, int]
"""(year, month)."""


@dataclass(frozen=True, slots=True)
class MonthCounts:
    """Articles per month, for the archive as a whole and for each entity.

    Only dated articles count; months without articles are absent (a chart fills them in
    with zero)."""

    archive: Mapping[Month, int]
    by_entity: Mapping[str, Mapping[Month, int]]


@dataclass(frozen=True, slots=True)
class Bar:
    """One month's bar: its count and its rectangle in the chart's coordinates."""

    year: int
    month: int
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class MonthChart:
    """Consecutive months, ``first`` to ``last``, each with its slot on the x axis; a bar
    for each month with articles (a month without stays an empty slot)."""

    bars: tuple[Bar, ...]
    total: int
    peak: Bar
    """The busiest month (the earliest of equals)."""
    first: Month
    last: Month
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT


def site_counts(site: Site) -> MonthCounts:
    """Count every dated article once into its month, and into the months of its entities."""
    archive: Counter[Month] = Counter()
    month_of: dict[str, Month] = {}
    for year, months in site.dates.years.items():
        for month, days in months.items():
            for ids in days.values():
                archive[(year, month)] += len(ids)
                for article_id in ids:
                    month_of[article_id] = (year, month)
    by_entity: dict[str, Counter[Month]] = {}
    for entity_id, article_ids in site.articles_of_entity.items():
        counts: Counter[Month] = Counter(
            month_of[a] for a in article_ids if a in month_of)
        if counts:
            by_entity[entity_id] = counts
    return MonthCounts(dict(sorted(archive.items())),
                       {eid: dict(sorted(c.items())) for eid, c in sorted(by_entity.items())})


def month_chart(counts: Mapping[Month, int], span: tuple[Month, Month] | None = None
                ) -> MonthChart | None:
    """The chart of the months from ``span``'s first to its last (default: the first to
    the last month in ``counts``); None when none of them has articles."""
    if span is None:
        if not counts:
            return None
        span = (min(counts), max(counts))
    first, last = span
    # A long chart's months are mostly empty: only those with articles become bars.
    counted = [(month, count) for month, count in sorted(counts.items())
               if count and first <= month <= last]
    if not counted:
        return None
    tallest = max(count for _, count in counted)
    xs, width = _slots(_ordinal(last) - _ordinal(first) + 1)
    bars = []
    for (year, month), count in counted:
        height = round(CHART_HEIGHT * count / tallest, 2)
        bars.append(Bar(year, month, count, x=xs[_ordinal((year, month)) - _ordinal(first)],
                        y=round(CHART_HEIGHT - height, 2), width=width, height=height))
    peak = next(b for b in bars if b.count == tallest)
    return MonthChart(tuple(bars), sum(count for _, count in counted), peak, first, last)


def _ordinal(month: Month) -> int:
    """Months counted from year 0: consecutive months, consecutive numbers."""
    return month[0] * 12 + month[1] - 1


@functools.lru_cache(maxsize=256)
def _slots(months: int) -> tuple[tuple[float, ...], float]:
    """Where each of ``months`` bars stands and how wide all are: alike for every chart
    of that many months (an entity's page in each language, charts spanning as long)."""
    slot = CHART_WIDTH / months
    width = min(slot * (1 - BAR_GAP), MAX_BAR_WIDTH)
    return (tuple(round(i * slot + (slot - width) / 2, 2) for i in range(months)),
            round(width, 2))


def shares(counts: Sequence[int]) -> tuple[float, ...]:
    """Each count as a percentage of the largest (for ranked bars); all 0 when none is."""
    largest = max(counts, default=0)
    return tuple(round(100 * n / largest, 2) if largest else 0.0 for n in counts)

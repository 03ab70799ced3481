"""The articles' parts of the search index: a year, each month of a big year, the
undated in parts; bounded in size and stable when the archive grows elsewhere."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sitekit import article

from newsforge.site import SEARCH_PART_SIZE, search_parts


def test_small_years_are_one_part_and_a_big_year_is_split_by_month() -> None:
    small = [article(f"s{i}", day=dt.date(2019, 1 + i % 12, 1)) for i in range(30)]
    big = [article(f"b{i}", day=dt.date(2024, 1 + i % 12, 1 + i % 28))
           for i in range(SEARCH_PART_SIZE + 1)]
    parts = search_parts([*small, *big])
    assert {parts[a.id] for a in small} == {"2019"}
    assert parts["b0"] == "2024-01" and parts["b13"] == "2024-02"
    assert len({parts[a.id] for a in big}) == 12


def test_the_undated_are_split_into_bounded_stable_parts() -> None:
    few = [article(f"u{i}") for i in range(10)]
    assert set(search_parts(few).values()) == {"undated"}
    many = [article(f"u{i}") for i in range(3 * SEARCH_PART_SIZE)]
    parts = search_parts(many)
    sizes = Counter(parts.values())
    assert set(sizes) == {"undated-1", "undated-2", "undated-3"}
    assert max(sizes.values()) < 1.2 * SEARCH_PART_SIZE
    # A dated article added elsewhere moves no undated one.
    again = search_parts([*many, article("new", day=dt.date(2020, 5, 5))])
    assert all(again[a.id] == parts[a.id] for a in many)

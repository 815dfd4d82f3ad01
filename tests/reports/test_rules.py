"""The report's rules: financial-year quarters, periods and small-number suppression."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from ig.errors import ValidationFailed
from ig.reports.chart import line_chart
from ig.reports.rules import (
    check_period,
    parse_quarter,
    previous,
    quarter_containing,
    quarters_ending,
    show_public,
    show_value,
)


@pytest.mark.parametrize(
    ("day", "label", "start", "end"),
    [
        (dt.date(2026, 4, 1), "Q1 2026-27", dt.date(2026, 4, 1), dt.date(2026, 6, 30)),
        (dt.date(2026, 9, 30), "Q2 2026-27", dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (dt.date(2026, 12, 7), "Q3 2026-27", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        (dt.date(2027, 3, 31), "Q4 2026-27", dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
    ],
)
def test_quarters_follow_the_financial_year(day, label, start, end):
    q = quarter_containing(day, 4)
    assert (q.label, q.start, q.end) == (label, start, end)
    assert parse_quarter(q.key, 4) == q


def test_eight_quarters_end_with_the_one_asked_for_across_years():
    q1 = quarter_containing(dt.date(2026, 5, 1), 4)
    assert previous(q1, 4).label == "Q4 2025-26"
    eight = quarters_ending(q1, 8, 4)
    assert [q.label for q in (eight[0], eight[-1])] == ["Q2 2024-25", "Q1 2026-27"]
    assert all(a.end + dt.timedelta(days=1) == b.start for a, b in itertools.pairwise(eight))


@pytest.mark.parametrize("key", ["", "2026-Q5", "2026-Q0", "26-Q1", "2026Q1", "x" * 500])
def test_an_unknown_quarter_is_refused(key):
    with pytest.raises(ValidationFailed):
        parse_quarter(key, 4)


def test_a_period_must_be_whole_ordered_and_past():
    today = dt.date(2026, 12, 7)
    check_period(dt.date(2026, 12, 7), today, today)
    for start, end in [(None, today), (today, None), (today, dt.date(2026, 12, 6))]:
        with pytest.raises(ValidationFailed):
            check_period(start, end, today)
    with pytest.raises(ValidationFailed, match="today or in the past"):
        check_period(today, dt.date(2026, 12, 8), today)
    with pytest.raises(ValidationFailed):
        check_period(dt.date(1800, 1, 1), today, today)


@pytest.mark.parametrize(
    ("value", "counts_people", "shown"),
    [
        (0, True, "0"),
        (1, True, "fewer than 5"),
        (4, True, "fewer than 5"),
        (5, True, "5"),
        (3, False, "3"),
        (None, True, "none"),
    ],
)
def test_the_scrutiny_panel_sees_small_counts_of_people_withheld(value, counts_people, shown):
    assert show_public(value, "count", counts_people, 5) == shown


def test_values_show_in_their_unit():
    assert show_value(95.04, "percent") == "95.0%"
    assert show_value(1234, "count") == "1,234"
    assert show_value(12.25, "hours") == "12.2"


def test_the_chart_leaves_out_what_it_has_no_figure_for():
    chart = line_chart("t", "Reported", ["Q1", "Q2", "Q3"], [4, None, 8], 6, "count")
    assert [dot.text for dot in chart.dots] == ["Q1: 4", "Q3: 8"]
    assert chart.target_y is not None
    assert chart.description == "Q1: 4; Q3: 8. Target 6."

"""Review dates and review states of privacy notices."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.notices.rules import ReviewState, add_months, flagged_review_on, review_state

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 10), 12, dt.date(2027, 1, 10)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)),
    st.integers(min_value=1, max_value=60),
)
def test_add_months_lands_in_the_right_month_never_past_the_day(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day


@pytest.mark.parametrize(
    ("next_review", "flagged", "expected"),
    [
        (TODAY - dt.timedelta(days=1), False, ReviewState.OVERDUE),
        (TODAY - dt.timedelta(days=1), True, ReviewState.OVERDUE),
        (TODAY, False, ReviewState.DUE_SOON),
        (TODAY + dt.timedelta(days=30), False, ReviewState.DUE_SOON),
        (TODAY + dt.timedelta(days=31), False, ReviewState.UP_TO_DATE),
        (TODAY + dt.timedelta(days=200), True, ReviewState.DUE_SOON),
    ],
)
def test_review_state(next_review, flagged, expected):
    assert review_state(next_review, TODAY, 30, flagged) is expected


def test_flagging_brings_the_review_forward_but_never_back():
    assert flagged_review_on(dt.date(2027, 6, 1), TODAY, 30) == TODAY + dt.timedelta(days=30)
    assert flagged_review_on(dt.date(2026, 12, 1), TODAY, 30) == dt.date(2026, 12, 1)

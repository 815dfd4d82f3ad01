"""The pure rules: validity windows, statuses and the dates imports accept."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.policies import Course
from ig.training.rules import (
    DateError,
    Status,
    add_months,
    expires_on,
    parse_date,
    percent,
    starter_due_on,
    status_on,
    window,
)

COURSE = Course("DSA", "Data security awareness", 12, 28, 30, "everyone")
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 3, 31), -1, dt.date(2024, 2, 29)),
        (dt.date(2026, 3, 31), -12, dt.date(2025, 3, 31)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


ON = dt.date(2026, 3, 31)


@pytest.mark.parametrize(
    ("last", "due", "exempt", "expected"),
    [
        (dt.date(2025, 6, 1), dt.date(2020, 1, 1), False, Status.COMPLIANT),
        (dt.date(2025, 4, 30), dt.date(2020, 1, 1), False, Status.EXPIRING_SOON),
        (dt.date(2025, 3, 31), dt.date(2020, 1, 1), False, Status.OVERDUE),
        (None, dt.date(2020, 1, 1), False, Status.OVERDUE),
        (None, ON, False, Status.NOT_YET_DUE),
        (None, ON - dt.timedelta(days=1), False, Status.OVERDUE),
        (None, dt.date(2020, 1, 1), True, Status.EXEMPT),
    ],
)
def test_status_on(last, due, exempt, expected):
    assert status_on(window(COURSE, ON), ON, last, due, is_exempt=exempt) is expected


@given(completed=dates, on=dates)
def test_a_completion_is_current_until_it_expires(completed, on):
    if completed > on:
        return
    status = status_on(window(COURSE, on), on, completed, dt.date(1990, 1, 1))
    current = status in (Status.COMPLIANT, Status.EXPIRING_SOON)
    assert current == (on < expires_on(COURSE, completed))


@given(completed=dates, on=dates)
def test_expiring_soon_is_the_last_30_days(completed, on):
    if completed > on:
        return
    status = status_on(window(COURSE, on), on, completed, dt.date(1990, 1, 1))
    left = (expires_on(COURSE, completed) - on).days
    if status is Status.EXPIRING_SOON:
        assert 0 < left <= 30
    if status is Status.COMPLIANT:
        assert left > 30


@given(started=dates, on=dates)
def test_new_starter_not_due_within_allowance(started, on):
    status = status_on(window(COURSE, on), on, None, starter_due_on(COURSE, started))
    assert (status is Status.NOT_YET_DUE) == (on <= started + dt.timedelta(days=28))


@given(day=dates)
def test_parse_date_accepts_iso_and_uk_day_first(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year}") == day
    assert parse_date(day.strftime("%d-%b-%Y")) == day
    assert parse_date(day.strftime("%-d %B %Y")) == day


@given(day=dates)
def test_parse_date_never_reads_month_first(day):
    text = day.strftime("%m/%d/%Y")
    if day.day > 12:
        with pytest.raises(DateError):
            parse_date(text)
    else:
        assert parse_date(text) == dt.date(day.year, day.day, day.month)  # always day first


@pytest.mark.parametrize(
    "text", ["", "31/02/2026", "2026/03/31", "31/03/26", "yesterday", "1 Foo 2026"]
)
def test_parse_date_refuses(text):
    with pytest.raises(DateError):
        parse_date(text)


def test_percent():
    assert percent(19, 20) == 95.0
    assert percent(0, 0) == 100.0
    assert percent(1, 3) == 33.3

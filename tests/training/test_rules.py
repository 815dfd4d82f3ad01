"""The pure rules: validity windows, statuses and the dates imports accept."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ig.training.policy import Course
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


# --- The manager's list: due dates, action and the two readings of a past date ---

END_OF_31_MARCH = dt.datetime(2026, 3, 31, 23, tzinfo=dt.UTC)  # midnight in London (BST)


def test_late_export_counts_only_as_now_known():
    from ig.training.rules import Basis, counts_on

    on = dt.date(2026, 3, 31)
    imported = dt.datetime(2026, 4, 10, 9, tzinfo=dt.UTC)
    completed = dt.date(2026, 3, 20)
    assert not counts_on(Basis.AS_RECORDED, on, END_OF_31_MARCH, completed, imported)
    assert counts_on(Basis.AS_NOW_KNOWN, on, END_OF_31_MARCH, completed, imported)
    just_in_time = END_OF_31_MARCH - dt.timedelta(seconds=1)
    assert counts_on(Basis.AS_RECORDED, on, END_OF_31_MARCH, completed, just_in_time)
    assert not counts_on(Basis.AS_RECORDED, on, END_OF_31_MARCH, completed, END_OF_31_MARCH)
    after = dt.date(2026, 4, 1)
    assert not counts_on(Basis.AS_NOW_KNOWN, on, END_OF_31_MARCH, after, just_in_time)


@given(
    completed=dates,
    recorded=st.datetimes(
        min_value=dt.datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
        max_value=dt.datetime(2090, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
        timezones=st.just(dt.UTC),
    ),
    on=dates,
)
def test_as_now_known_counts_everything_as_recorded_does(completed, recorded, on):
    from ig.training.compliance import end_of_day
    from ig.training.rules import Basis, counts_on

    end = end_of_day(on)
    then = counts_on(Basis.AS_RECORDED, on, end, completed, recorded)
    now = counts_on(Basis.AS_NOW_KNOWN, on, end, completed, recorded)
    assert not then or now  # as now known never counts less
    assert now == (completed <= on)
    assert then == (completed <= on and recorded < end)


def test_basis_labels():
    from ig.training.rules import Basis

    assert [b.label for b in Basis] == ["as recorded then", "as now known"]


@pytest.mark.parametrize(
    ("started", "last", "expected"),
    [
        (dt.date(2020, 1, 6), None, dt.date(2020, 2, 3)),  # never done: the allowance
        (dt.date(2020, 1, 6), dt.date(2025, 3, 31), dt.date(2026, 3, 30)),  # the day before expiry
        (dt.date(2026, 3, 1), dt.date(2025, 3, 10), dt.date(2026, 3, 29)),  # allowance runs later
        (dt.date(2020, 1, 6), dt.date(2024, 2, 29), dt.date(2025, 2, 28)),  # leap day
    ],
)
def test_due_on(started, last, expected):
    from ig.training.rules import due_on

    assert due_on(COURSE, started, last) == expected


@given(started=dates, last=st.one_of(st.none(), dates), on=dates)
def test_due_on_is_when_the_status_turns_overdue(started, last, on):
    """A person is overdue exactly after their due date (no exemption, no assignment)."""
    from ig.training.rules import due_on

    if last is not None and last > on:
        return  # a completion after the date is not counted on it
    due = due_on(COURSE, started, last)
    status = status_on(window(COURSE, on), on, last, starter_due_on(COURSE, started))
    assert (status is Status.OVERDUE) == (on > due)


@given(started=dates, last=st.one_of(st.none(), dates), on=dates)
def test_expiring_soon_is_always_within_the_warning_window(started, last, on):
    from ig.training.rules import days_left, due_on, needs_action

    if last is not None and last > on:
        return
    due = due_on(COURSE, started, last)
    status = status_on(window(COURSE, on), on, last, starter_due_on(COURSE, started))
    action = needs_action(COURSE, on, status, due)
    if status is Status.OVERDUE:
        assert action
    elif status is Status.EXPIRING_SOON and due == expires_on(COURSE, last) - dt.timedelta(1):
        assert action
        assert 0 <= days_left(on, due) <= COURSE.expiring_soon_days
    elif status is Status.NOT_YET_DUE:
        assert action == (days_left(on, due) <= COURSE.expiring_soon_days)


def test_needs_action_never_for_the_compliant_or_exempt():
    from ig.training.rules import needs_action

    on = dt.date(2026, 12, 6)
    for status in (Status.COMPLIANT, Status.EXEMPT):
        assert not needs_action(COURSE, on, status, on)
    assert not needs_action(COURSE, on, Status.NOT_YET_DUE, None)
    assert needs_action(COURSE, on, Status.NOT_YET_DUE, on + dt.timedelta(days=30))
    assert not needs_action(COURSE, on, Status.NOT_YET_DUE, on + dt.timedelta(days=31))


def test_days_overdue_and_left():
    from ig.training.rules import days_left, days_overdue

    on = dt.date(2026, 12, 6)
    assert days_overdue(on, dt.date(2026, 12, 1)) == 5
    assert days_overdue(on, on) == 0
    assert days_overdue(on, None) == 0
    assert days_left(on, dt.date(2026, 12, 16)) == 10
    assert days_left(on, dt.date(2026, 12, 1)) == 0
    assert days_left(on, None) == 0

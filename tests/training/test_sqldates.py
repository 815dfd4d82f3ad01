"""The SQL date arithmetic agrees with the pure rules on both databases."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Date, Integer, cast, literal, null, select

from ig.sqldates import expiry, plus_days
from ig.training.policy import Course
from ig.training.rules import expires_on

MONTH_ENDS = [
    dt.date(2024, 1, 31),
    dt.date(2024, 2, 29),
    dt.date(2025, 2, 28),
    dt.date(2025, 3, 31),
    dt.date(2025, 8, 31),
    dt.date(2025, 12, 31),
    dt.date(2026, 1, 30),
]


def _course(months: int) -> Course:
    return Course("X", "X", months, 28, 30, "everyone")


def _in_sql(db, day: dt.date, months: int, days: int) -> tuple[dt.date, dt.date]:
    value = literal(day, Date)
    row = db.execute(
        select(expiry(value, literal(months, Integer)), plus_days(value, literal(days, Integer)))
    ).one()
    return row[0], row[1]


def test_month_ends_and_leap_days(db):
    for day in MONTH_ENDS:
        for months in (1, 12, 13, 24, 36):
            got, _ = _in_sql(db, day, months, 0)
            assert got == expires_on(_course(months), day), (day, months)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2080, 12, 31)),
    months=st.integers(min_value=1, max_value=120),
    days=st.integers(min_value=-400, max_value=400),
)
def test_any_date(db, day, months, days):
    got_expiry, got_plus = _in_sql(db, day, months, days)
    assert got_expiry == expires_on(_course(months), day)
    assert got_plus == day + dt.timedelta(days=days)


def test_null_dates_stay_null(db):
    nothing = cast(null(), Date)
    row = db.execute(select(expiry(nothing, literal(12, Integer)), plus_days(nothing, 1))).one()
    assert tuple(row) == (None, None)

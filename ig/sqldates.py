"""Date arithmetic in SQL that agrees with the Python rules on SQLite and PostgreSQL
(training's expiry and due dates, notices' review dates).

The two databases add months differently (SQLite rolls 31 January + 1 month over into
March, PostgreSQL clips to 28 February), so each construct here is written out for each
dialect; tests/training/test_sqldates.py holds them to training's ``rules.expires_on`` and
tests/notices/test_review_dates.py ``add_months`` to notices' ``rules.add_months``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class plus_days(FunctionElement[Any]):  # noqa: N801 - an SQL function, named as one
    """``date + days`` (a date; ``days`` an integer expression, may be negative)."""

    type = Date()
    inherit_cache = True
    name = "plus_days"


class expiry(FunctionElement[Any]):  # noqa: N801 - an SQL function, named as one
    """``rules.expires_on``: the first day a completion ``months`` long is no longer current.

    That is the completion date ``months`` later, or, when the target month is too short
    for its day (31 January + 1 month), the first day of the month after.
    """

    type = Date()
    inherit_cache = True
    name = "expiry"


def _args(element: Any, compiler: Any, **kw: Any) -> list[str]:
    return [compiler.process(arg, **kw) for arg in element.clauses]


@compiles(plus_days, "sqlite")
def _plus_days_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    day, days = _args(element, compiler, **kw)
    return f"date({day}, CAST({days} AS TEXT) || ' days')"


@compiles(plus_days, "postgresql")
def _plus_days_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    day, days = _args(element, compiler, **kw)
    return f"(CAST({day} AS DATE) + CAST({days} AS INTEGER))"


@compiles(expiry, "sqlite")
def _expiry_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    day, months = _args(element, compiler, **kw)
    offset = f"CAST(CAST(strftime('%d', {day}) AS INTEGER) - 1 AS TEXT) || ' days'"
    same_day = f"date({day}, 'start of month', CAST({months} AS TEXT) || ' months', {offset})"
    month_after = f"date({day}, 'start of month', CAST(({months}) + 1 AS TEXT) || ' months')"
    return f"min({same_day}, {month_after})"  # NULL when the date is NULL


@compiles(expiry, "postgresql")
def _expiry_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    day, months = _args(element, compiler, **kw)
    offset = f"(CAST(EXTRACT(DAY FROM {day}) AS INTEGER) - 1)"
    first = f"(CAST({day} AS DATE) - {offset})"

    def later(count: str) -> str:
        return f"CAST({first} + make_interval(months => CAST({count} AS INTEGER)) AS DATE)"

    least = f"LEAST({later(months)} + {offset}, {later(f'({months}) + 1')})"
    return f"CASE WHEN {day} IS NULL THEN NULL ELSE {least} END"


class add_months(FunctionElement[Any]):  # noqa: N801 - an SQL function, named as one
    """``rules.add_months``: the date ``months`` calendar months later, the day clipped to
    the target month's last (31 January + 1 month is 28 February)."""

    type = Date()
    inherit_cache = True
    name = "add_months"


@compiles(add_months, "sqlite")
def _add_months_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    # SQLite rolls an overlong day into the month after: take the target month's last
    # day when it is earlier.
    day, months = _args(element, compiler, **kw)
    offset = f"CAST(CAST(strftime('%d', {day}) AS INTEGER) - 1 AS TEXT) || ' days'"
    same_day = f"date({day}, 'start of month', CAST({months} AS TEXT) || ' months', {offset})"
    last = f"date({day}, 'start of month', CAST(({months}) + 1 AS TEXT) || ' months', '-1 day')"
    return f"min({same_day}, {last})"


@compiles(add_months, "postgresql")
def _add_months_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    # PostgreSQL clips the day to the target month's last itself.
    day, months = _args(element, compiler, **kw)
    return f"CAST(CAST({day} AS DATE) + make_interval(months => CAST({months} AS INTEGER)) AS DATE)"

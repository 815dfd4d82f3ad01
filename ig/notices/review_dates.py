"""When each review of a privacy notice was due, in SQL: the IG report's figures and the
register's filters on reviews on time, late and overdue share these conditions.

A review is due one interval after the review before it, or after the notice took effect
for the first (``rules.next_review_on``): the review before is found by LAG over the
notice's reviews, which SQLite and PostgreSQL both have. ``known`` says which reviews
count (those recorded by a report's cut-off; every one, by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Date, and_, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement

from ig.notices.models import NoticeReview, PrivacyNotice

# Whether a fact stamped with an instant column counts (ReportPeriod.known's shape).
Known = Callable[[Any], Any]
# What the register's review filter picks among the reviews of a period.
TIMINGS = {"on_time": "Reviewed on time", "late": "Reviewed late"}


class add_months(FunctionElement[Any]):  # noqa: N801 - an SQL function, named as one
    """``rules.add_months``: the date ``months`` calendar months later, the day clipped to
    the target month's last (31 January + 1 month is 28 February)."""

    type = Date()
    inherit_cache = True
    name = "add_months"


def _args(element: Any, compiler: Any, **kw: Any) -> list[str]:
    return [compiler.process(arg, **kw) for arg in element.clauses]


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


def _recorded(column: Any) -> Any:
    return column.is_not(None)


def in_register_clause(day: dt.date, known: Known = _recorded) -> Any:
    """The notice was in the register (recorded, in effect, not archived) by ``day``."""
    return and_(
        PrivacyNotice.is_archived.is_(False),
        PrivacyNotice.effective_on <= day,
        known(PrivacyNotice.created_at),
    )


def reviews_due(known: Known = _recorded) -> Any:
    """A subquery of the reviews ``known`` admits: (notice_id, reviewed_on, due_on)."""
    before = func.lag(NoticeReview.reviewed_on).over(
        partition_by=NoticeReview.notice_id, order_by=(NoticeReview.reviewed_on, NoticeReview.id)
    )
    due = add_months(
        func.coalesce(before, PrivacyNotice.effective_on), PrivacyNotice.review_interval_months
    )
    return (
        select(
            NoticeReview.notice_id.label("notice_id"),
            NoticeReview.reviewed_on.label("reviewed_on"),
            due.label("due_on"),
        )
        .join(PrivacyNotice, PrivacyNotice.id == NoticeReview.notice_id)
        .where(known(NoticeReview.recorded_at))
        .subquery("reviews_due")
    )


def timing_clause(reviews: Any, timing: str, start: dt.date | None, end: dt.date | None) -> Any:
    """A row of ``reviews`` (reviews_due) done from ``start`` to ``end`` (either None:
    open) on or before its due date (``timing`` "on_time") or after it ("late")."""
    in_time = reviews.c.reviewed_on <= reviews.c.due_on
    where = [in_time if timing == "on_time" else ~in_time]
    if start is not None:
        where.append(reviews.c.reviewed_on >= start)
    if end is not None:
        where.append(reviews.c.reviewed_on <= end)
    return and_(*where)


def reviewed_clause(timing: str, start: dt.date | None, end: dt.date | None) -> Any:
    """The notice, in effect by ``end``, had a review on time (or late) from ``start`` to
    ``end``, as now known."""
    reviews = reviews_due()
    done = PrivacyNotice.id.in_(
        select(reviews.c.notice_id).where(timing_clause(reviews, timing, start, end))
    )
    return done if end is None else and_(done, PrivacyNotice.effective_on <= end)


def overdue_clause(day: dt.date, known: Known = _recorded) -> Any:
    """The notice was in the register on ``day`` and its review, due one interval after
    its last review by then (or its taking effect), was due before ``day``."""
    last = (
        select(func.max(NoticeReview.reviewed_on))
        .where(
            NoticeReview.notice_id == PrivacyNotice.id,
            NoticeReview.reviewed_on <= day,
            known(NoticeReview.recorded_at),
        )
        .scalar_subquery()
    )
    due = add_months(
        func.coalesce(last, PrivacyNotice.effective_on), PrivacyNotice.review_interval_months
    )
    return and_(in_register_clause(day, known), due < day)

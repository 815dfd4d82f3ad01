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

from sqlalchemy import and_, func, select

from ig.notices.models import NoticeReview, PrivacyNotice
from ig.sqldates import add_months

# Whether a fact stamped with an instant column counts (ReportPeriod.known's shape).
Known = Callable[[Any], Any]
# What the register's review filter picks among the reviews of a period.
TIMINGS = {"on_time": "Reviewed on time", "late": "Reviewed late"}


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

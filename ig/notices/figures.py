"""The privacy-notices section of the IG report: reviews on time, late, and overdue.

Two aggregate queries whatever the period, over the reviews recorded by
``period.recorded_by`` (all of them, for "as now known"). A review is on time when it
was done by the date due, one interval after the notice took effect or after the review
before it; a notice is overdue when that date has passed at the end of the period. The
dates are worked out in SQL (``review_dates``), which the register's filters share, so
each figure links to its notices.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, distinct, func, select
from sqlalchemy.orm import Session

from ig.feature import Figure, ReportPeriod, Section, date_boxes
from ig.notices.models import PrivacyNotice
from ig.notices.review_dates import (
    in_register_clause,
    overdue_clause,
    reviews_due,
    timing_clause,
)
from ig.policies import Policies

REGISTER = "notices.index"
READ = "notices.read"


def _reviewed(period: ReportPeriod, timing: str) -> dict[str, Any]:
    """A figure's link to the notices reviewed on time (or late) in the period."""
    args = {
        "reviewed": timing,
        "reviewed_from": date_boxes(period.start),
        "reviewed_to": date_boxes(period.end),
    }
    return {"endpoint": REGISTER, "args": args, "permission": READ}


def _count(session: Session, period: ReportPeriod) -> tuple[int, int, int, int]:
    """(notices in the register, notices reviewed on time in the period, notices reviewed
    late in it, overdue at its end). A notice reviewed twice in the period counts once
    in each figure its reviews fall in, as its list shows it once."""
    in_register = in_register_clause(period.end, period.known)
    reviews = reviews_due(period.known)

    def reviewed(timing: str) -> Any:
        done = timing_clause(reviews, timing, period.start, period.end)
        return func.count(distinct(case((done, reviews.c.notice_id))))

    on_time, late = session.execute(
        select(reviewed("on_time"), reviewed("late"))
        .join(PrivacyNotice, PrivacyNotice.id == reviews.c.notice_id)
        .where(in_register)
    ).one()
    total, overdue = session.execute(
        select(func.count(), func.count(case((overdue_clause(period.end, period.known), 1))))
        .select_from(PrivacyNotice)
        .where(in_register)
    ).one()
    return total, on_time, late, overdue


def notices_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The privacy-notices section of the IG report for ``period``."""
    total, on_time, late, overdue = _count(session, period)
    figures = (
        Figure(
            "notices.total",
            "Privacy notices in the register",
            total,
            "Privacy notices in effect at the end of the period, not archived.",
            counts_people=False,
            endpoint=REGISTER,
            args={"effective_by": date_boxes(period.end)},
            permission=READ,
        ),
        Figure(
            "notices.reviewed_on_time",
            "Reviewed on time",
            on_time,
            "Privacy notices with a review done in the period on or before the date it was due; "
            "a notice reviewed more than once is counted once.",
            counts_people=False,
            **_reviewed(period, "on_time"),
        ),
        Figure(
            "notices.reviewed_late",
            "Reviewed late",
            late,
            "Privacy notices with a review done in the period after the date it was due; a notice "
            "reviewed more than once is counted once.",
            counts_people=False,
            **_reviewed(period, "late"),
        ),
        Figure(
            "notices.overdue",
            "Overdue for review at the end of the period",
            overdue,
            "Privacy notices whose review date had passed, without a review, at the end of the "
            "period.",
            counts_people=False,
            endpoint=REGISTER,
            args={"overdue_on": date_boxes(period.end)},
            permission=READ,
        ),
    )
    return Section(
        "notices",
        "Privacy notices",
        figures,
        headline=("notices.overdue",),
    )

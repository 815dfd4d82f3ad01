"""The privacy-notices section of the IG report: reviews on time, late, and overdue.

Two queries whatever the period: the notices, and their reviews recorded by
``period.recorded_by`` (all of them, for "as now known"). A review is on time when it
was done by the date due, one interval after the notice took effect or after the review
before it (``rules.next_review_on``); a notice is overdue when that date has passed at
the end of the period. (There are a few hundred notices at most, one per service.)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.feature import Figure, ReportPeriod, Section, date_boxes
from ig.notices.models import NoticeReview, PrivacyNotice
from ig.notices.rules import next_review_on
from ig.policies import Policies


def _reviews(session: Session, period: ReportPeriod) -> dict[int, list[dt.date]]:
    found: dict[int, list[dt.date]] = defaultdict(list)
    for notice_id, reviewed_on in session.execute(
        select(NoticeReview.notice_id, NoticeReview.reviewed_on)
        .where(NoticeReview.reviewed_on <= period.end, period.known(NoticeReview.recorded_at))
        .order_by(NoticeReview.notice_id, NoticeReview.reviewed_on)
    ):
        found[notice_id].append(reviewed_on)
    return found


def _count(session: Session, period: ReportPeriod) -> tuple[int, int, int, int]:
    """(notices in the register, reviewed on time in the period, reviewed late in it,
    overdue at its end)."""
    reviews = _reviews(session, period)
    notices = session.execute(
        select(
            PrivacyNotice.id, PrivacyNotice.effective_on, PrivacyNotice.review_interval_months
        ).where(
            PrivacyNotice.is_archived.is_(False),
            PrivacyNotice.effective_on <= period.end,
            period.known(PrivacyNotice.created_at),
        )
    ).all()
    on_time = late = overdue = 0
    for notice_id, effective_on, interval in notices:
        due = next_review_on(effective_on, interval)
        for reviewed_on in reviews.get(notice_id, []):
            if reviewed_on >= period.start:
                on_time, late = (on_time + 1, late) if reviewed_on <= due else (on_time, late + 1)
            due = next_review_on(reviewed_on, interval)
        overdue += due < period.end
    return len(notices), on_time, late, overdue


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
            endpoint="notices.index",
            args={"effective_by": date_boxes(period.end)},
            permission="notices.read",
        ),
        Figure(
            "notices.reviewed_on_time",
            "Reviewed on time",
            on_time,
            "Reviews of privacy notices done in the period on or before the date they were due.",
            counts_people=False,
        ),
        Figure(
            "notices.reviewed_late",
            "Reviewed late",
            late,
            "Reviews of privacy notices done in the period after the date they were due.",
            counts_people=False,
        ),
        Figure(
            "notices.overdue",
            "Overdue for review at the end of the period",
            overdue,
            "Privacy notices whose review date had passed, without a review, at the end of the "
            "period.",
            counts_people=False,
        ),
    )
    return Section(
        "notices",
        "Privacy notices",
        figures,
        headline=("notices.overdue",),
    )

"""The privacy-notice register: filtered, sorted and paged in SQL, and the CSV rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from ig.audit.service import Page
from ig.notices.models import PrivacyNotice
from ig.notices.policy import NoticesPolicy
from ig.notices.review_dates import TIMINGS, overdue_clause, reviewed_clause
from ig.notices.rules import ReviewState

SORTS = {
    "next_review": (PrivacyNotice.next_review_on, PrivacyNotice.id),
    "title": (PrivacyNotice.title, PrivacyNotice.id),
    "service": (PrivacyNotice.service_key, PrivacyNotice.title),
}


@dataclass(frozen=True)
class NoticeFilter:
    service_key: str | None = None
    owner_user_id: int | None = None
    state: ReviewState | None = None
    effective_by: dt.date | None = None  # in effect by the end of this day
    reviewed: str | None = None  # a key of review_dates.TIMINGS: reviewed on time, or late
    reviewed_from: dt.date | None = None  # ... from / to these days
    reviewed_to: dt.date | None = None
    overdue_on: dt.date | None = None  # overdue for review at the end of this day
    sort: str = "next_review"


def _filtered(filters: NoticeFilter, today: dt.date, due_soon_days: int) -> Select:
    query = select(PrivacyNotice).where(PrivacyNotice.is_archived.is_(False))
    if filters.service_key:
        query = query.where(PrivacyNotice.service_key == filters.service_key)
    if filters.owner_user_id:
        query = query.where(PrivacyNotice.owner_user_id == filters.owner_user_id)
    if filters.effective_by:
        query = query.where(PrivacyNotice.effective_on <= filters.effective_by)
    if filters.reviewed in TIMINGS:
        timing = reviewed_clause(filters.reviewed, filters.reviewed_from, filters.reviewed_to)
        query = query.where(timing)
    if filters.overdue_on:
        query = query.where(overdue_clause(filters.overdue_on))
    soon = today + dt.timedelta(days=due_soon_days)
    flagged = PrivacyNotice.review_flagged_at.is_not(None)
    conditions = {
        ReviewState.OVERDUE: PrivacyNotice.next_review_on < today,
        ReviewState.DUE_SOON: and_(
            PrivacyNotice.next_review_on >= today,
            or_(PrivacyNotice.next_review_on <= soon, flagged),
        ),
        ReviewState.UP_TO_DATE: and_(PrivacyNotice.next_review_on > soon, ~flagged),
    }
    if filters.state:
        query = query.where(conditions[filters.state])
    return query.order_by(*SORTS.get(filters.sort, SORTS["next_review"]))


def list_notices(
    session: Session,
    policy: NoticesPolicy,
    filters: NoticeFilter,
    today: dt.date,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """Notices matching ``filters``, filtered, sorted and paged in SQL."""
    query = _filtered(filters, today, policy.due_soon_days)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(list(rows), page, per_page, total)


def export_notices(
    session: Session, policy: NoticesPolicy, filters: NoticeFilter, today: dt.date
) -> list[PrivacyNotice]:
    """Every notice matching ``filters`` (for the CSV export), owners loaded with them."""
    return list(session.scalars(_filtered(filters, today, policy.due_soon_days)).all())


def owner_ids() -> Select[Any]:
    """The ids of the users who own a notice: what the register's owner filter picks from."""
    return select(PrivacyNotice.owner_user_id).distinct()

"""The IG risk register: filtered, sorted and paged in SQL, overdue reviews and the
highest scores first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from ig.audit.service import Page
from ig.risks.models import Risk
from ig.risks.policy import RisksPolicy
from ig.risks.rules import Status

R = Risk
SORTS = {
    "score": (R.score.desc(), R.review_on, R.number),
    "review": (R.review_on, R.score.desc(), R.number),
    "reference": (R.number,),
    "title": (R.title, R.number),
}
SORT_LABELS = {
    "score": "Highest score",
    "review": "Review date",
    "reference": "Reference",
    "title": "Title",
}


@dataclass(frozen=True)
class RiskFilter:
    status: Status | None = Status.OPEN
    category: str | None = None
    owner_user_id: int | None = None
    min_score: int | None = None
    is_overdue: bool = False
    is_above_appetite: bool = False
    search: str = ""
    sort: str = "score"


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def above_appetite(policy: RisksPolicy) -> ColumnElement[bool]:
    """A risk scoring above its category's appetite (or the register's), in SQL."""
    if not policy.category_appetite:
        return R.score > policy.appetite
    limit = case(dict(policy.category_appetite), value=R.category, else_=policy.appetite)
    return R.score > limit


def _filtered(filters: RiskFilter, policy: RisksPolicy, today: dt.date) -> Select:
    query = select(R)
    if filters.is_above_appetite:
        query = query.where(above_appetite(policy))
    if filters.status:
        query = query.where(R.status == filters.status)
    if filters.category:
        query = query.where(R.category == filters.category)
    if filters.owner_user_id:
        query = query.where(R.owner_user_id == filters.owner_user_id)
    if filters.min_score:
        query = query.where(R.score >= filters.min_score)
    if filters.is_overdue:
        query = query.where(R.review_on < today, R.status == Status.OPEN)
    if filters.search.strip():
        pattern = f"%{_escape_like(filters.search.strip().lower())}%"
        query = query.where(func.lower(R.title).like(pattern, escape="\\"))
    overdue_first = case(((R.review_on < today) & (R.status == Status.OPEN), 0), else_=1)
    return query.order_by(overdue_first, *SORTS.get(filters.sort, SORTS["score"]))


def list_risks(
    session: Session,
    filters: RiskFilter,
    policy: RisksPolicy,
    today: dt.date,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """Risks matching ``filters``, overdue reviews first then by the sort, paged in SQL."""
    query = _filtered(filters, policy, today)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(list(rows), page, per_page, total)


def owner_ids() -> Select[Any]:
    """The ids of the users who own a risk: what the register's owner filter picks from."""
    return select(R.owner_user_id).distinct()

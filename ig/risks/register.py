"""The IG risk register: filtered, sorted and paged in SQL, overdue reviews and the
highest scores first; the filtered register as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, not_, select
from sqlalchemy.orm import Session, aliased

from ig.audit.service import Page, record
from ig.auth.rules import Actor
from ig.csv_cells import safe_cell
from ig.db import LONDON
from ig.errors import PermissionDenied
from ig.risks import rules
from ig.risks.models import Risk, RiskReview
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
    # Open at the end of this past day, scored, and due for review, as last reviewed by
    # then (the IG report's figures); ``status`` then picks by the status today.
    on: dt.date | None = None


# Whether a fact stamped with an instant column counts (ReportPeriod.known's shape).
Known = Callable[[Any], ColumnElement[bool]]
SEEN = aliased(RiskReview, name="seen")


def _recorded(column: Any) -> ColumnElement[bool]:
    return column.is_not(None)  # type: ignore[no-any-return]


def open_on(day: dt.date, known: Known = _recorded) -> list[ColumnElement[bool]]:
    """Risks recorded by the end of ``day`` and not closed by then, as ``known`` admits."""
    following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), LONDON)
    closed = and_(R.closed_on.is_not(None), R.closed_on <= day, known(R.closed_at))
    return [R.created_at < following.astimezone(dt.UTC), known(R.created_at), not_(closed)]


def latest_review(day: dt.date) -> Any:
    """The id of the risk's latest review dated by ``day`` (a correlated scalar subquery)."""
    return (
        select(RiskReview.id)
        .where(RiskReview.risk_id == R.id, RiskReview.reviewed_on <= day)
        .order_by(RiskReview.reviewed_on.desc(), RiskReview.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def above_appetite(policy: RisksPolicy, score: Any = R.score) -> ColumnElement[bool]:
    """A risk scoring above its category's appetite (or the register's), in SQL."""
    if not policy.category_appetite:
        return score > policy.appetite  # type: ignore[no-any-return]
    limit = case(dict(policy.category_appetite), value=R.category, else_=policy.appetite)
    return score > limit  # type: ignore[no-any-return]


def _as_reviewed(query: Select, filters: RiskFilter, policy: RisksPolicy, today: dt.date) -> Select:
    """The appetite and overdue filters: on today's scores, or as reviewed by ``on``."""
    if filters.on is None:
        if filters.is_above_appetite:
            query = query.where(above_appetite(policy))
        if filters.is_overdue:
            query = query.where(R.review_on < today, R.status == Status.OPEN)
        return query
    query = query.where(*open_on(filters.on))
    if filters.is_above_appetite or filters.is_overdue:
        query = query.join(SEEN, SEEN.id == latest_review(filters.on))
    if filters.is_above_appetite:
        query = query.where(above_appetite(policy, SEEN.score))
    if filters.is_overdue:
        query = query.where(SEEN.next_review_on < filters.on)
    return query


def _filtered(filters: RiskFilter, policy: RisksPolicy, today: dt.date) -> Select:
    query = _as_reviewed(select(R), filters, policy, today)
    if filters.status:
        query = query.where(R.status == filters.status)
    if filters.category:
        query = query.where(R.category == filters.category)
    if filters.owner_user_id:
        query = query.where(R.owner_user_id == filters.owner_user_id)
    if filters.min_score:
        query = query.where(R.score >= filters.min_score)
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


CSV_HEADER = (
    "reference", "title", "category", "owner", "status", "likelihood", "impact", "score",
    "rating", "above appetite", "target score", "next review", "closed on",
)  # fmt: skip


def export_csv(
    session: Session,
    actor: Actor,
    filters: RiskFilter,
    policy: RisksPolicy,
    today: dt.date,
    now: dt.datetime,
) -> str:
    """The risks matching ``filters`` as CSV (no encrypted field), in the register's
    order; the export is audited. Raises PermissionDenied without risks.read."""
    if not actor.can("risks.read"):
        raise PermissionDenied("You may not export the risk register")
    record(session, actor, "risk.register_exported", "risk", None, {}, at=now)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for risk in session.scalars(_filtered(filters, policy, today)).unique():
        values = (
            risk.reference, risk.title, policy.categories.get(risk.category, risk.category),
            risk.owner.name, risk.status.value, risk.likelihood, risk.impact, risk.score,
            rules.rating(policy, risk.score).label,
            "yes" if rules.is_above_appetite(policy, risk.category, risk.score) else "no",
            risk.target_likelihood * risk.target_impact, risk.review_on.isoformat(),
            risk.closed_on.isoformat() if risk.closed_on else "",
        )  # fmt: skip
        writer.writerow([safe_cell(value) for value in values])
    return out.getvalue()

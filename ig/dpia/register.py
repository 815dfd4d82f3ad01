"""The DPIA register: filtered, sorted and paged in SQL, and its CSV.

Its "open on", "review overdue on", "signed off from / to" and "ICO consulted from / to"
filters are the IG report's own conditions (ig.dpia.figures), each fact counting from
when the audit trail recorded it, so each figure links to exactly its DPIAs.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select, true
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.audit.recorded import (
    day_end,
    day_start,
    detail_date_between,
    earliest,
    latest_detail,
    was_recorded,
)
from ig.audit.service import Page
from ig.dpia.models import Dpia, IcoDecision, Status
from ig.dpia.policy import DpiaPolicy
from ig.dpia.rules import RiskLevel, add_months, is_review_overdue, risk_level

RECORD = "dpia"


class Shown(enum.StrEnum):
    """The status the register shows: the stored one, with "review due" once it is."""

    DRAFT = "draft"
    SCREENED = "screened"
    IN_ASSESSMENT = "in_assessment"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    SIGNED_OFF = "signed_off"
    REVIEW_DUE = "review_due"

    @property
    def label(self) -> str:
        return SHOWN_LABELS[self]


SHOWN_LABELS = {
    Shown.DRAFT: "Draft",
    Shown.SCREENED: "Screening done",
    Shown.IN_ASSESSMENT: "In assessment",
    Shown.AWAITING_SIGN_OFF: "Awaiting sign-off",
    Shown.SIGNED_OFF: "Signed off",
    Shown.REVIEW_DUE: "Review due",
}
NO_RISKS = "none"  # the residual-risk filter's value for DPIAs with no risk assessed yet


def shown_status(dpia: Dpia, today: dt.date) -> Shown:
    if dpia.status is Status.SIGNED_OFF and is_review_overdue(dpia.review_on, today):
        return Shown.REVIEW_DUE
    return Shown(dpia.status.value)


def residual_level(dpia: Dpia, policy: DpiaPolicy) -> RiskLevel | None:
    score = dpia.max_residual_score
    return None if score is None else risk_level(score, policy)


@dataclass(frozen=True)
class DpiaFilter:
    status: Shown | None = None
    residual: str | None = None  # a RiskLevel value or NO_RISKS
    is_overdue: bool = False
    sort: str = "attention"
    open_on: dt.date | None = None
    overdue_on: dt.date | None = None
    signed_from: dt.date | None = None
    signed_to: dt.date | None = None
    signed_high: bool = False  # signed off with a high residual risk (with the dates)
    consulted_from: dt.date | None = None
    consulted_to: dt.date | None = None


def _recorded(action: str, cutoff: dt.datetime | None, *where: Any) -> ColumnElement[bool]:
    return was_recorded(RECORD, Dpia.id, [f"dpia.{action}"], cutoff, *where)


def open_on(day: dt.date, cutoff: dt.datetime | None = None) -> ColumnElement[bool]:
    """DPIAs started and not signed off on ``day``, as recorded by ``cutoff``, leaving out
    those whose screening found no DPIA was needed (screened, not open work)."""
    by = earliest(cutoff, day_end(day))
    required = latest_detail(RECORD, Dpia.id, ["dpia.screened"], "required", by, as_type="boolean")
    return (
        _recorded("created", by)
        & ~_recorded("signed_off", by)
        & or_(required.is_(None), required == true())
    )


def first_review_still_ahead(end: dt.date, months: int) -> dt.date:
    """The earliest sign-off date whose first review (``months`` later) is not before
    ``end``: a DPIA signed off before it, and never reviewed, is overdue on ``end``."""
    day = add_months(end, -months) - dt.timedelta(days=4)
    while add_months(day, months) < end:
        day += dt.timedelta(days=1)
    return day


def review_overdue_on(
    day: dt.date, months: int, cutoff: dt.datetime | None = None
) -> ColumnElement[bool]:
    """Signed-off DPIAs whose review (every ``months``) was overdue on ``day``, as recorded
    by ``cutoff``: past the next review the latest review dated by then set, or, never
    reviewed, signed off more than one interval before."""
    by = earliest(cutoff, day_end(day))
    # Reviews dated by ``day`` are those setting a next review no later than one interval
    # after it; recorded by the cut-off (any time, as now known).
    horizon = add_months(day, months)
    next_review = latest_detail(
        RECORD,
        Dpia.id,
        ["dpia.reviewed"],
        "next_review",
        cutoff,
        detail_date_between("next_review", None, horizon),
    )
    # Sign-off dates are UTC dates (sign_off_dpia takes now.date()).
    ahead = first_review_still_ahead(day, months)
    long_ago = dt.datetime.combine(ahead, dt.time(), dt.UTC) - dt.timedelta(microseconds=1)
    late = case(
        (next_review.is_not(None), next_review < day.isoformat()),
        else_=_recorded("signed_off", long_ago),
    )
    return _recorded("created", by) & _recorded("signed_off", by) & late


def signed_off_between(
    start: dt.date | None,
    end: dt.date | None,
    cutoff: dt.datetime | None = None,
    high_from: int | None = None,
) -> ColumnElement[bool]:
    """DPIAs signed off from ``start`` to ``end`` (UK days, inclusive; None: open), as
    recorded by ``cutoff``; with ``high_from``, only a sign-off whose residual risk (as
    signed) scored at least that."""
    where = [AuditEntry.at >= day_start(start)] if start else []
    if high_from is not None:
        where.append(AuditEntry.detail["residual"].as_integer() >= high_from)
    return _recorded("signed_off", earliest(cutoff, day_end(end) if end else None), *where)


def consulted_between(
    start: dt.date | None, end: dt.date | None, cutoff: dt.datetime | None = None
) -> ColumnElement[bool]:
    """DPIAs on which the ICO was consulted (UK GDPR Art. 36), the consultation dated from
    ``start`` to ``end`` (None: open) and recorded by ``cutoff``."""
    dated = [Dpia.ico_consulted_on >= start] if start else []
    dated += [Dpia.ico_consulted_on <= end] if end else []
    consulted = Dpia.ico_decision == IcoDecision.CONSULTED
    return and_(consulted, *dated, _recorded("ico_consultation", cutoff))


SORTS = {
    "updated": (Dpia.updated_at.desc(), Dpia.id.desc()),
    "title": (Dpia.title, Dpia.id),
    "review": (Dpia.review_on, Dpia.id),
    "residual": (Dpia.max_residual_score.desc(), Dpia.id),
}


def _residual(level: str, policy: DpiaPolicy) -> ColumnElement[bool]:
    score = Dpia.max_residual_score
    return {
        NO_RISKS: score.is_(None),
        RiskLevel.LOW.value: score < policy.medium_from,
        RiskLevel.MEDIUM.value: and_(score >= policy.medium_from, score < policy.high_from),
        RiskLevel.HIGH.value: score >= policy.high_from,
    }[level]


def _filtered(filters: DpiaFilter, policy: DpiaPolicy, today: dt.date) -> Select:
    query = select(Dpia)
    overdue = and_(Dpia.status == Status.SIGNED_OFF, Dpia.review_on < today)
    if filters.status is Shown.REVIEW_DUE:
        query = query.where(overdue)
    elif filters.status is Shown.SIGNED_OFF:
        query = query.where(Dpia.status == Status.SIGNED_OFF, Dpia.review_on >= today)
    elif filters.status is not None:
        query = query.where(Dpia.status == Status(filters.status.value))
    if filters.residual:
        query = query.where(_residual(filters.residual, policy))
    if filters.is_overdue:
        query = query.where(overdue)
    query = query.where(*_as_recorded(filters, policy))
    if filters.sort not in SORTS:  # "attention", the default: what needs someone first
        waiting = Dpia.status == Status.AWAITING_SIGN_OFF
        first = case((overdue, 0), (waiting, 1), else_=2)
        score = Dpia.max_residual_score.desc().nulls_last()
        return query.order_by(first, score, Dpia.updated_at.desc(), Dpia.id.desc())
    return query.order_by(*SORTS[filters.sort])


def _as_recorded(filters: DpiaFilter, policy: DpiaPolicy) -> list[ColumnElement[bool]]:
    where = []
    if filters.open_on:
        where.append(open_on(filters.open_on))
    if filters.overdue_on:
        where.append(review_overdue_on(filters.overdue_on, policy.review_interval_months))
    if filters.signed_from or filters.signed_to or filters.signed_high:
        high = policy.high_from if filters.signed_high else None
        where.append(signed_off_between(filters.signed_from, filters.signed_to, high_from=high))
    if filters.consulted_from or filters.consulted_to:
        where.append(consulted_between(filters.consulted_from, filters.consulted_to))
    return where


def list_dpias(
    session: Session,
    policy: DpiaPolicy,
    filters: DpiaFilter,
    today: dt.date,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """DPIAs matching ``filters``, paged; owners are joined, detail is never decrypted."""
    query = _filtered(filters, policy, today)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(list(rows), page, per_page, total)


def export_dpias(
    session: Session, policy: DpiaPolicy, filters: DpiaFilter, today: dt.date
) -> list[Dpia]:
    return list(session.scalars(_filtered(filters, policy, today)).unique().all())


HEADER = [
    "id",
    "title",
    "owner",
    "status",
    "DPIA required",
    "criteria met",
    "highest residual score",
    "highest residual risk",
    "ICO consulted on",
    "ICO reference",
    "signed off",
    "review due",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def dpias_csv(dpias: Iterable[Dpia], policy: DpiaPolicy, today: dt.date) -> str:
    """One row per DPIA, safe to open in a spreadsheet (no encrypted field)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for d in dpias:
        level = residual_level(d, policy)
        required = {True: "yes", False: "no", None: "not screened"}[d.is_dpia_required]
        writer.writerow(
            [
                _cell(value)
                for value in (
                    d.id,
                    d.title,
                    d.owner.name,
                    shown_status(d, today).label,
                    required,
                    "; ".join(d.screening_criteria),
                    d.max_residual_score,
                    level.label if level else "",
                    d.ico_consulted_on.isoformat() if d.ico_consulted_on else "",
                    d.ico_reference,
                    d.signed_off_at.date().isoformat() if d.signed_off_at else "",
                    d.review_on.isoformat() if d.review_on else "",
                )
            ]
        )
    return out.getvalue()

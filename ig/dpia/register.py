"""The DPIA register: filtered, sorted and paged in SQL, and its CSV."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session

from ig.audit.service import Page
from ig.dpia.models import Dpia, Status
from ig.dpia.policy import DpiaPolicy
from ig.dpia.rules import RiskLevel, is_review_overdue, risk_level


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
    if filters.sort not in SORTS:  # "attention", the default: what needs someone first
        waiting = Dpia.status == Status.AWAITING_SIGN_OFF
        first = case((overdue, 0), (waiting, 1), else_=2)
        score = Dpia.max_residual_score.desc().nulls_last()
        return query.order_by(first, score, Dpia.updated_at.desc(), Dpia.id.desc())
    return query.order_by(*SORTS[filters.sort])


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

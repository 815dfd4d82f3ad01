"""A risk's life after it is recorded: its reviews, and its closing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig import bounds
from ig.audit.service import record
from ig.auth.rules import Actor
from ig.db import check_version, london_today
from ig.errors import PermissionDenied, ValidationFailed
from ig.risks.models import Risk, RiskReview
from ig.risks.policy import RisksPolicy
from ig.risks.rules import Status
from ig.risks.scoring import ReviewInput, add_review, check_review
from ig.risks.service import can_review, get_risk, require_manage, require_open


def review_risk(
    session: Session,
    actor: Actor,
    policy: RisksPolicy,
    risk_id: int,
    review: ReviewInput,
    expected_version: int | None,
    now: dt.datetime,
) -> RiskReview:
    """Record a review: the score found on its date, and when the next is due.

    Raises NotFound, PermissionDenied (not the IG team nor the owner), InvalidTransition
    (closed), EditConflict, ValidationFailed.
    """
    risk = get_risk(session, risk_id)
    if not can_review(actor, risk):
        raise PermissionDenied("Only the IG team and the risk's owner can review it")
    require_open(risk)
    check_version(risk, expected_version)
    last_on = session.scalar(
        select(func.max(RiskReview.reviewed_on)).where(RiskReview.risk_id == risk.id)
    )
    due = check_review(policy, review, london_today(now), last_on)
    row = add_review(session, actor, policy, risk, review, due, now)
    risk.updated_at = now
    session.flush()
    detail = {
        "score": row.score,
        "reviewed_on": row.reviewed_on.isoformat(),
        "next_review_on": due.isoformat(),
        "policy_version": policy.version,
    }
    record(session, actor, "risk.reviewed", "risk", risk.id, detail, at=now)
    return row


def close_risk(
    session: Session,
    actor: Actor,
    risk_id: int,
    reason: str,
    closed_on: dt.date,
    expected_version: int | None,
    now: dt.datetime,
) -> Risk:
    """Close a risk that no longer applies or has been brought within appetite, saying why.

    Raises NotFound, PermissionDenied, InvalidTransition, EditConflict, ValidationFailed.
    """
    require_manage(actor)
    risk = get_risk(session, risk_id)
    require_open(risk)
    check_version(risk, expected_version)
    if not reason.strip():
        raise ValidationFailed("reason", "Enter why the risk is closed")
    problem = bounds.text_problem(reason, bounds.SHORT_TEXT)
    if problem:
        raise ValidationFailed("reason", problem)
    problem = bounds.date_problem(closed_on)
    if problem:
        raise ValidationFailed("closed_on", problem)
    if closed_on > london_today(now) or closed_on < london_today(risk.created_at):
        raise ValidationFailed("closed_on", "Enter a date from when the risk was recorded to today")
    risk.status, risk.closed_on, risk.closed_at = Status.CLOSED, closed_on, now
    risk.closed_reason = reason.strip()
    risk.updated_at = now
    session.flush()
    detail = {"closed_on": closed_on.isoformat()}
    record(session, actor, "risk.closed", "risk", risk.id, detail, at=now)
    return risk

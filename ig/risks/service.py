"""The IG risk register's use cases: record a risk, change it, review its score, close it.

Each takes the session first, checks the rules, writes the audit entry, flushes and
never commits; bad input raises ValidationFailed and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload, undefer_group

from ig import bounds
from ig.audit.service import record
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.db import check_version, london_today
from ig.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ig.risks import rules
from ig.risks.models import REFERENCE_PREFIX, Risk
from ig.risks.policy import RisksPolicy
from ig.risks.rules import Status
from ig.risks.scoring import ReviewInput, add_review, check_level, check_review

# (field, what to enter, longest) for each required text field.
REQUIRED_TEXT = (
    ("title", "the risk's title", bounds.NAME),
    ("cause", "what could bring the risk about", bounds.SHORT_TEXT),
    ("effect", "what would follow if it happened", bounds.SHORT_TEXT),
)


@dataclass(frozen=True)
class RiskInput:
    """What is recorded about a risk when it is added and when it is changed."""

    title: str
    category: str
    owner_user_id: int
    cause: str
    effect: str
    controls: str
    target_likelihood: int
    target_impact: int


def require_manage(actor: Actor) -> None:
    if not actor.can("risks.manage"):
        raise PermissionDenied("Only the IG team can change the risk register")


def require_open(risk: Risk) -> None:
    if risk.status is not Status.OPEN:
        raise InvalidTransition(f"{risk.reference} is closed: it can no longer be changed")


def can_view(actor: Actor, risk: Risk) -> bool:
    """Those who read the register, and the risk's owner."""
    return actor.can("risks.read") or (
        actor.user_id is not None and actor.user_id == risk.owner_user_id
    )


def can_review(actor: Actor, risk: Risk) -> bool:
    """The IG team, and the risk's owner (they answer for it)."""
    return actor.can("risks.manage") or (
        actor.user_id is not None and actor.user_id == risk.owner_user_id
    )


def _check_text(name: str, value: str, longest: int) -> None:
    problem = bounds.text_problem(value, longest)
    if problem is not None:
        raise ValidationFailed(name, problem)


def _check_input(session: Session, policy: RisksPolicy, data: RiskInput) -> None:
    for name, what, longest in REQUIRED_TEXT:
        value = getattr(data, name)
        if not value.strip():
            raise ValidationFailed(name, f"Enter {what}")
        _check_text(name, value, longest)
    _check_text("controls", data.controls, bounds.SHORT_TEXT)
    if data.category not in policy.categories:
        raise ValidationFailed("category", "Select the risk's category from the list")
    owner = session.get(User, data.owner_user_id)
    if owner is None or not owner.is_active:
        raise ValidationFailed("owner_user_id", "Select the risk's owner")
    check_level("target_likelihood", data.target_likelihood, "target likelihood")
    check_level("target_impact", data.target_impact, "target impact")


def _apply(risk: Risk, data: RiskInput) -> None:
    risk.title, risk.category = data.title.strip(), data.category
    risk.owner_user_id = data.owner_user_id
    risk.cause, risk.effect = data.cause.strip(), data.effect.strip()
    risk.controls = data.controls.strip()
    risk.target_likelihood, risk.target_impact = data.target_likelihood, data.target_impact


def create_risk(
    session: Session,
    actor: Actor,
    policy: RisksPolicy,
    data: RiskInput,
    first: ReviewInput,
    now: dt.datetime,
) -> Risk:
    """Record a risk with its first scoring (its first review).

    Raises PermissionDenied without risks.manage, ValidationFailed on a bad field.
    """
    require_manage(actor)
    _check_input(session, policy, data)
    due = check_review(policy, first, london_today(now), None)
    number = (session.scalar(select(func.max(Risk.number))) or 0) + 1
    risk = Risk(number=number, status=Status.OPEN, created_at=now, updated_at=now)
    _apply(risk, data)
    risk.likelihood, risk.impact = first.likelihood, first.impact
    risk.score, risk.review_on = rules.score(first.likelihood, first.impact), due
    session.add(risk)
    session.flush()
    add_review(session, actor, policy, risk, first, due, now)
    session.flush()
    detail = {"score": risk.score, **named(risk), "policy_version": policy.version}
    record(session, actor, "risk.created", "risk", risk.id, detail, at=now)
    return risk


# The entries whose detail carries the risk's title and category, so that the IG report
# names and judges a risk as it stood then. The title is the register's plain heading
# (not encrypted: the free text that may name people is in cause, effect and controls).
NAMED_EVENTS = ("risk.created", "risk.updated")


def named(risk: Risk) -> dict[str, str]:
    """The audit detail that records the risk's title and category code."""
    return {"title": risk.title, "category": risk.category}


def update_risk(
    session: Session,
    actor: Actor,
    policy: RisksPolicy,
    risk_id: int,
    data: RiskInput,
    expected_version: int | None,
    now: dt.datetime,
) -> Risk:
    """Change a risk's description, owner and target (its score changes by a review).

    Raises NotFound, PermissionDenied, InvalidTransition, EditConflict, ValidationFailed.
    """
    require_manage(actor)
    risk = get_risk(session, risk_id)
    require_open(risk)
    check_version(risk, expected_version)
    _check_input(session, policy, data)
    names = ["title", "category", "owner_user_id", "cause", "effect", "controls"]
    names += ["target_likelihood", "target_impact"]
    before = {name: getattr(risk, name) for name in names}
    _apply(risk, data)
    changed = sorted(name for name in names if getattr(risk, name) != before[name])
    risk.updated_at = now
    session.flush()
    detail = {"changed": changed, **named(risk)}
    record(session, actor, "risk.updated", "risk", risk.id, detail, at=now)
    return risk


def number_of(reference: str) -> int:
    """The risk number in a reference like IGR-004 (or 4); 0 when it is not one."""
    return bounds.record_number(reference.strip().upper().removeprefix(REFERENCE_PREFIX))


def find_risk(session: Session, risk_id: int) -> Risk | None:
    """The risk with its detail, reviews and actions, or None."""
    return session.scalar(
        select(Risk)
        .where(Risk.id == risk_id)
        .options(
            undefer_group("detail"),
            selectinload(Risk.reviews).undefer_group("detail"),
            selectinload(Risk.actions).undefer_group("detail"),
        )
        # Fresh from the database: a review or action added earlier in the same session
        # is in the risk's history even though its collections were already loaded.
        .execution_options(populate_existing=True)
    )


def get_risk(session: Session, risk_id: int) -> Risk:
    """The risk with its detail, reviews and actions; NotFound if there is none."""
    risk = find_risk(session, risk_id)
    if risk is None:
        raise NotFound("There is no such risk")
    return risk


def review_due_query() -> Select:
    """Every open risk with its review date and owner (the reminder rule's source)."""
    return select(Risk.id, Risk.number, Risk.title, Risk.review_on, Risk.owner_user_id).where(
        Risk.status == Status.OPEN
    )

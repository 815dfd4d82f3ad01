"""A risk's actions: add one with its owner and due date, and mark it done."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ig import bounds
from ig.audit.service import record
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.db import london_today
from ig.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ig.risks.models import Risk, RiskAction
from ig.risks.service import get_risk, require_manage, require_open


def add_action(
    session: Session,
    actor: Actor,
    risk_id: int,
    description: str,
    owner_user_id: int,
    due_on: dt.date,
    now: dt.datetime,
) -> RiskAction:
    """Add an action to an open risk.

    Raises NotFound, PermissionDenied without risks.manage, InvalidTransition (closed),
    ValidationFailed on a bad field.
    """
    require_manage(actor)
    risk = get_risk(session, risk_id)
    require_open(risk)
    if not description.strip():
        raise ValidationFailed("description", "Enter what is to be done")
    problem = bounds.text_problem(description, bounds.SHORT_TEXT)
    if problem:
        raise ValidationFailed("description", problem)
    owner = session.get(User, owner_user_id)
    if owner is None or not owner.is_active:
        raise ValidationFailed("owner_user_id", "Select who will do it")
    problem = bounds.date_problem(due_on)
    if problem:
        raise ValidationFailed("due_on", problem)
    if due_on < london_today(now):
        raise ValidationFailed("due_on", "The due date cannot be in the past")
    action = RiskAction(
        risk_id=risk.id,
        description=description.strip(),
        owner_user_id=owner.id,
        due_on=due_on,
        created_at=now,
    )
    session.add(action)
    session.flush()
    detail = {"action_id": action.id, "owner_user_id": owner.id, "due_on": due_on.isoformat()}
    record(session, actor, "risk.action_added", "risk", risk.id, detail, at=now)
    return action


def can_complete(actor: Actor, risk: Risk, action: RiskAction) -> bool:
    """The IG team, the action's owner and the risk's owner."""
    return actor.can("risks.manage") or (
        actor.user_id is not None and actor.user_id in (action.owner_user_id, risk.owner_user_id)
    )


def complete_action(
    session: Session,
    actor: Actor,
    risk_id: int,
    action_id: int,
    done_on: dt.date,
    now: dt.datetime,
) -> RiskAction:
    """Mark an action done on ``done_on``.

    Raises NotFound, PermissionDenied, InvalidTransition (already done), ValidationFailed.
    """
    risk = get_risk(session, risk_id)
    action = next((a for a in risk.actions if a.id == action_id), None)
    if action is None:
        raise NotFound("This risk has no such action")
    if not can_complete(actor, risk, action):
        raise PermissionDenied("Only the IG team and the action's or risk's owner can do this")
    if action.done_on is not None:
        raise InvalidTransition("This action is already done")
    problem = bounds.date_problem(done_on)
    if problem:
        raise ValidationFailed("done_on", problem)
    if done_on > london_today(now) or done_on < london_today(action.created_at):
        raise ValidationFailed("done_on", "Enter a date from when the action was added to today")
    action.done_on = done_on
    session.flush()
    detail = {"action_id": action.id, "done_on": done_on.isoformat()}
    record(session, actor, "risk.action_done", "risk", risk.id, detail, at=now)
    return action

"""Withdrawal of consent (UK GDPR Art. 7(3)): the person is marked against each
processing activity relying on consent that they withdrew from, and the owners of the
information assets those activities use are asked to remove their data (Art. 17(1)(b)).

Activities are read through ig.processing's register and service functions only
(pyproject.toml's import contract says so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig import bounds
from ig.auth.rules import Actor
from ig.errors import InvalidTransition, ValidationFailed
from ig.processing.lookup import activity_names
from ig.processing.register import ActivityFilter, list_activities
from ig.processing.service import asset_ids
from ig.rights import fanout
from ig.rights.models import ConsentWithdrawal, RightsTask
from ig.rights.service import audit, check_text

CONSENT = "consent_withdrawal"
MOST = 100  # activities relying on consent offered at once; a council has a handful


@dataclass(frozen=True)
class Activity:
    """A processing activity relying on consent, as the request's page shows it."""

    id: int
    name: str


def list_consent_activities(session: Session) -> list[Activity]:
    """The activities the council controls that rely on consent, by name."""
    page = list_activities(session, ActivityFilter(relies_on_consent=True), 1, MOST)
    return [Activity(row.id, row.name) for row in page.rows]


def list_withdrawn(session: Session, request_id: int) -> list[Activity]:
    """The activities the request records consent withdrawn from, by name."""
    ids = list(
        session.scalars(
            select(ConsentWithdrawal.activity_id).where(ConsentWithdrawal.request_id == request_id)
        )
    )
    names = activity_names(session, ids)
    return sorted((Activity(i, names[i]) for i in ids if i in names), key=lambda a: a.name)


def _new_activities(session: Session, request_id: int, chosen: Sequence[int]) -> list[int]:
    offered = {activity.id for activity in list_consent_activities(session)}
    if not chosen or any(activity_id not in offered for activity_id in chosen):
        raise ValidationFailed(
            "activities", "Choose the processing activities relying on consent they withdrew from"
        )
    marked = {activity.id for activity in list_withdrawn(session, request_id)}
    new = sorted(set(chosen) - marked)
    if not new:
        raise ValidationFailed("activities", "Their consent to these is already recorded")
    return new


def withdraw_consent(
    session: Session,
    actor: Actor,
    request_id: int,
    activity_ids: Sequence[int],
    note: str,
    now: dt.datetime,
) -> list[RightsTask]:
    """Mark the person against each activity chosen, and ask the owner of every asset
    those activities use (not yet asked) to remove their data; ``note`` is the search's
    reasoning. Returns the new tasks.

    Raises PermissionDenied, NotFound, InvalidTransition (closed, or not a withdrawal of
    consent) and ValidationFailed (activities: none, not relying on consent, or already
    recorded; note).
    """
    item = fanout.open_request(session, actor, request_id)
    if item.type_key != CONSENT:
        raise InvalidTransition("Only a withdrawal of consent names the activities it withdraws")
    new = _new_activities(session, item.id, activity_ids)
    why = check_text("note", note, bounds.LONG_TEXT, fanout.NOTE_NEEDED)
    session.add_all(
        ConsentWithdrawal(
            request_id=item.id, activity_id=key, recorded_at=now, recorded_by_user_id=actor.user_id
        )
        for key in new
    )
    session.flush()
    audit(session, actor, "consent_withdrawn", item, now, activities=new)
    asked = set(
        session.scalars(select(RightsTask.asset_id).where(RightsTask.request_id == item.id))
    )
    used = {asset for activity_id in new for asset in asset_ids(session, activity_id)}
    wanted = sorted(used - asked)
    if not wanted:
        return []
    return fanout.add_tasks(session, actor, item.id, [str(a) for a in wanted], why, now)

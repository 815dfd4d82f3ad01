"""Recertification: each cycle a line manager keeps or removes, person by person, the
access their staff hold; access a leaver still holds, or that the manager asked to
remove, is a removal task for the asset's owner or administrator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, exists, or_
from sqlalchemy.orm import Session

from ig.access import rules
from ig.access.models import AccessRequest
from ig.access.policy import AccessPolicy
from ig.access.register import awaiting_keeper, staff_of
from ig.access.rules import AccessStatus
from ig.access.service import decision_refused, get_request
from ig.audit.service import record
from ig.auth.rules import Actor
from ig.db import london_today
from ig.errors import InvalidTransition, PermissionDenied
from ig.people.models import Staff


def to_recertify(session: Session, user_id: int | None, today: dt.date) -> ColumnElement[bool]:
    """Granted access of the user's staff (never their own) due for recertification."""
    del session  # a condition to embed, not a read
    return recertifications_for(user_id if user_id is not None else -1, today)


def recertifications_for(
    user_id: int | ColumnElement[Any], today: dt.date | ColumnElement[Any]
) -> ColumnElement[bool]:
    """``to_recertify`` for values or parameters bound when the statement runs."""
    return (
        (AccessRequest.status == AccessStatus.GRANTED)
        & AccessRequest.removal_asked_on.is_(None)
        & (AccessRequest.recertify_by <= today)
        & AccessRequest.staff_id.in_(staff_of(user_id))
    )


def to_remove(
    kept: Sequence[int] | ColumnElement[Any], today: dt.date | ColumnElement[Any]
) -> ColumnElement[bool]:
    """Granted access on the assets ``kept`` that a leaver holds or a manager asked to remove."""
    has_left = exists().where(Staff.id == AccessRequest.staff_id, Staff.left_on <= today)
    return awaiting_keeper(kept, AccessStatus.GRANTED) & or_(
        AccessRequest.removal_asked_on.is_not(None), has_left
    )


def recertify_access(
    session: Session,
    actor: Actor,
    policy: AccessPolicy,
    request_id: int,
    keep: bool,
    now: dt.datetime,
) -> AccessRequest:
    """The line manager keeps the access (recertified for one more cycle) or asks the
    asset's keeper to remove it.

    Raises NotFound, PermissionDenied (own access; not their staff), InvalidTransition
    (not held, or its removal already asked for).
    """
    item = get_request(session, request_id)
    refused = decision_refused(session, actor, item)
    if refused:
        raise PermissionDenied(
            "Only the member of staff's line manager recertifies their access, never their own"
        )
    if item.status is not AccessStatus.GRANTED or item.removal_asked_on is not None:
        raise InvalidTransition(
            "Only access held, and not already asked to be removed, is recertified"
        )
    today = london_today(now)
    if keep:
        item.recertified_on, item.recertified_by_user_id = today, actor.user_id
        item.recertify_by = rules.recertify_by(today, policy.recertify_every_months)
        detail = {"recertify_by": item.recertify_by.isoformat(), "policy_version": policy.version}
        action = "access.recertified"
    else:
        item.removal_asked_on = today
        detail = {}
        action = "access.removal_asked"
    session.flush()
    record(session, actor, action, "access_request", item.id, detail, at=now)
    return item

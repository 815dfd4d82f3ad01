"""Access due for recertification as a reminder source: the line managers are told."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, Select, String, cast, literal, null, select
from sqlalchemy.orm import Session

from ig.access.models import AccessRequest
from ig.access.rules import AccessStatus
from ig.people.models import Staff
from ig.reminders.policy import Rule


def recertification_due(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Access held and not asked to be removed, by its recertification date; the
    managers of the staff member's team (and above) are reminded, then escalated."""
    return (
        select(
            literal("access_request").label("record_type"),
            cast(AccessRequest.id, String).label("record_id"),
            AccessRequest.recertify_by.label("due"),
            cast(AccessRequest.recertify_by, String).label("due_key"),
            ("Access held by " + Staff.name).label("title"),
            literal("/access/recertify").label("link"),
            cast(null(), Integer).label("owner_user_id"),
            cast(null(), String).label("owner_email"),
            Staff.team_id.label("team_id"),
        )
        .join(Staff, Staff.id == AccessRequest.staff_id)
        .where(
            AccessRequest.status == AccessStatus.GRANTED,
            AccessRequest.removal_asked_on.is_(None),
            AccessRequest.recertify_by.is_not(None),
        )
    )

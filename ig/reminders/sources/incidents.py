"""Incident deadlines as rule sources: the 72-hour clock and overdue actions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, Select, String, cast, literal, null, select
from sqlalchemy.orm import Session

from ig.incidents.service import notification_clock_query, open_actions_query
from ig.reminders.policy import Rule
from ig.reminders.sources.items import DueItem, select_items


def notification_deadline(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Breaches whose 72-hour clock runs, due from awareness (UK GDPR Art. 33(1)).

    The awareness instant is the due key, written here in ISO form so that it reads the
    same on every database; moving the awareness time re-times the reminders.
    """
    rows = session.execute(notification_clock_query()).all()
    items = [
        DueItem(
            record_type="incident",
            record_id=str(row.id),
            due_key=row.aware_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
            title=f"Incident {row.reference}: decide on notifying the ICO within 72 hours",
            link=f"/incidents/{row.reference}",
            due_at=row.aware_at,
            owner_user_id=row.owner_id,
            team_id=row.team_id,
        )
        for row in rows
    ]
    return select_items(session, items, instant=True)


def actions_overdue(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Open incident actions, due on their due date; the action's owner is reminded."""
    actions = open_actions_query().subquery("actions")
    return select(
        literal("incident_action").label("record_type"),
        cast(actions.c.id, String).label("record_id"),
        actions.c.due_on.label("due"),
        cast(actions.c.due_on, String).label("due_key"),
        (literal("Action on incident ") + actions.c.reference).label("title"),
        (literal("/incidents/") + actions.c.reference).label("link"),
        actions.c.owner_id.label("owner_user_id"),
        cast(null(), String).label("owner_email"),
        cast(null(), Integer).label("team_id"),
    )

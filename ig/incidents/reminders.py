"""Incident deadlines as rule sources: the 72-hour clocks (ICO, DHSC) and overdue actions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, Select, String, cast, literal, null, select
from sqlalchemy.orm import Session

from ig.incidents.notification_models import Regulator
from ig.incidents.register import list_running_clocks
from ig.incidents.service import open_actions_query
from ig.reminders.policy import Rule
from ig.reminders.sources.items import DueItem, select_items

WHO = {Regulator.ICO: "the ICO", Regulator.DHSC: "DHSC / NHS England"}


def _clock(session: Session, regulator: Regulator, now: dt.datetime) -> Select:
    """Breaches whose clock to ``regulator`` still waits on something, due from awareness.

    The awareness instant is the due key, written in ISO form so that it reads the same on
    every database; moving the awareness time re-times the reminders. The title says where
    the clock stands now ("deadline passed, not yet graded"), from the incidents' rule.
    """
    items = [
        DueItem(
            record_type="incident" if regulator is Regulator.ICO else "incident_dhsc",
            record_id=str(incident.id),
            due_key=incident.aware_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
            title=f"Incident {incident.reference}, notifying {WHO[regulator]}: {status.text}",
            link=f"/incidents/{incident.reference}",
            due_at=incident.aware_at,
            owner_user_id=incident.owner_id,
            team_id=incident.team_id,
        )
        for incident, status in list_running_clocks(session, regulator, now)
        if incident.aware_at is not None
    ]
    return select_items(session, items, instant=True)


def notification_deadline(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """The ICO's 72-hour clock (UK GDPR Art. 33(1)), whatever the grading."""
    return _clock(session, Regulator.ICO, now)


def dhsc_deadline(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """The DHSC / NHS England notification, where the grading requires it."""
    return _clock(session, Regulator.DHSC, now)


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

"""The ICO follow-ups as a rule source: answers the ICO was told are not yet known are
chased by the date given for them (UK GDPR Art. 33(4): "without undue further delay")."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, String, cast, literal, null, select
from sqlalchemy.orm import Session

from ig.incidents.ico_answers import follow_up_query
from ig.reminders.policy import Rule


def ico_follow_up(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Incidents with a follow-up to the ICO due, on its date; a new date re-times it."""
    due = follow_up_query().subquery("follow_ups")
    return select(
        literal("incident_follow_up").label("record_type"),
        cast(due.c.id, String).label("record_id"),
        due.c.ico_follow_up_on.label("due"),
        cast(due.c.ico_follow_up_on, String).label("due_key"),
        (
            literal("Incident ") + due.c.reference + literal(": send the ICO the answers to follow")
        ).label("title"),
        (literal("/incidents/") + due.c.reference + literal("/ico-report")).label("link"),
        due.c.owner_id.label("owner_user_id"),
        cast(null(), String).label("owner_email"),
        due.c.team_id.label("team_id"),
    )

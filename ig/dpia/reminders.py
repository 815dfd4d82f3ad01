"""DPIA review dates as a reminder source."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, Select, String, cast, literal, null, select
from sqlalchemy.orm import Session

from ig.dpia.service import review_due_query
from ig.reminders.policy import Rule


def review_due(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Every signed-off DPIA with its review date; its owner is reminded."""
    dpias = review_due_query().subquery()
    return select(
        literal("dpia").label("record_type"),
        cast(dpias.c.id, String).label("record_id"),
        dpias.c.review_on.label("due"),
        cast(dpias.c.review_on, String).label("due_key"),
        dpias.c.title.label("title"),
        (literal("/dpias/") + cast(dpias.c.id, String)).label("link"),
        dpias.c.owner_user_id.label("owner_user_id"),
        cast(null(), String).label("owner_email"),
        cast(null(), Integer).label("team_id"),
    )

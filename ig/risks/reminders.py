"""Risk reviews as a reminder source."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, Select, String, cast, literal, null, select
from sqlalchemy.orm import Session

from ig.reminders.policy import Rule
from ig.risks.service import review_due_query


def review_due(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Every open risk with its next review date; its owner is reminded."""
    risks = review_due_query().subquery()
    return select(
        literal("risk").label("record_type"),
        cast(risks.c.id, String).label("record_id"),
        risks.c.review_on.label("due"),
        cast(risks.c.review_on, String).label("due_key"),
        risks.c.title.label("title"),
        (literal("/risks/") + cast(risks.c.id, String)).label("link"),
        risks.c.owner_user_id.label("owner_user_id"),
        cast(null(), String).label("owner_email"),
        cast(null(), Integer).label("team_id"),
    )

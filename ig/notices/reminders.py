"""Privacy-notice review dates as a rule source."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, Select, String, cast, literal, null, select
from sqlalchemy.orm import Session

from ig.notices.service import review_due_query
from ig.reminders.policy import Rule


def review_due(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Every live notice with its next review date; its owner is reminded."""
    notices = review_due_query().subquery()
    return select(
        literal("privacy_notice").label("record_type"),
        cast(notices.c.id, String).label("record_id"),
        notices.c.next_review_on.label("due"),
        cast(notices.c.next_review_on, String).label("due_key"),
        notices.c.title.label("title"),
        (literal("/notices/") + cast(notices.c.id, String)).label("link"),
        notices.c.owner_user_id.label("owner_user_id"),
        cast(null(), String).label("owner_email"),
        cast(null(), Integer).label("team_id"),
    )

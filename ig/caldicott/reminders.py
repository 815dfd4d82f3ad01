"""Caldicott decision review dates, through the decision log's service."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, Select, String, cast, literal, null, select
from sqlalchemy.orm import Session

from ig.caldicott.service import review_due_query
from ig.reminders.policy import Rule


def decision_review(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Decided requests by review date; amending the decision with a new date re-times it."""
    decisions = review_due_query().subquery("decisions")
    return select(
        literal("caldicott_request").label("record_type"),
        cast(decisions.c.id, String).label("record_id"),
        decisions.c.review_on.label("due"),
        cast(decisions.c.review_on, String).label("due_key"),
        (literal("Caldicott decision ") + decisions.c.reference).label("title"),
        (literal("/caldicott/requests/") + decisions.c.reference).label("link"),
        cast(null(), Integer).label("owner_user_id"),
        cast(null(), String).label("owner_email"),
        cast(null(), Integer).label("team_id"),
    )

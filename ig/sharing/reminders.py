"""Data-sharing agreement reviews and end dates, through the sharing register's service."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select
from sqlalchemy.orm import Session

from ig.db import london_today
from ig.reminders.policy import Rule
from ig.reminders.sources.items import DueItem, select_items
from ig.sharing.service import list_agreement_deadlines

# The earliest date asked for: an overdue review stays due however long ago it fell.
SINCE = dt.date(2000, 1, 1)


def _deadlines(session: Session, rule: Rule, now: dt.datetime, kind: str) -> Select:
    horizon = london_today(now) + dt.timedelta(days=max(rule.before_days, default=0))
    items = [
        DueItem(
            record_type="agreement",
            record_id=str(deadline.agreement_id),
            due_key=deadline.due_on.isoformat(),
            title=f"{deadline.reference} {deadline.title}"[:300],
            link=f"/agreements/{deadline.agreement_id}",
            due_on=deadline.due_on,
        )
        for deadline in list_agreement_deadlines(session, SINCE, horizon, kinds=(kind,))
    ]
    return select_items(session, items)


def agreement_review(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Live agreements by review date (a renewal or a new review date ends the item)."""
    return _deadlines(session, rule, now, "review")


def agreement_end(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Live agreements by end date (renewed or terminated ones drop out)."""
    return _deadlines(session, rule, now, "end")

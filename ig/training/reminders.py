"""Training that is due, expiring soon or overdue, through the training register's service."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ig.db import london_today
from ig.people.models import Staff
from ig.reminders.policy import Rule
from ig.reminders.sources.items import DueItem, select_items
from ig.training.policy import current_policy
from ig.training.rules import expires_on, starter_due_on
from ig.training.service import due_training_query


def training_due(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Each course a person in post must take and has not kept current, due on its expiry
    (or, never done, a starter's due date).

    The training register answers for the whole organisation in one statement; only items
    within the rule's longest lead time are kept. A new completion moves the expiry, so
    the due key changes and a pending reminder about the old one is cancelled.
    """
    today = london_today(now)
    horizon = today + dt.timedelta(days=max(rule.before_days, default=0))
    courses = current_policy().courses
    due = due_training_query(session, today).subquery("due")
    rows = session.execute(
        select(
            due, Staff.name, Staff.user_id, Staff.work_email, Staff.team_id, Staff.started_on
        ).join(Staff, Staff.id == due.c.staff_id)
    ).all()
    items = []
    for row in rows:
        course = courses[row.course_code]
        last = row.last_completed_on
        day = expires_on(course, last) if last else starter_due_on(course, row.started_on)
        if day > horizon:
            continue
        items.append(
            DueItem(
                record_type="training",
                record_id=f"{row.staff_id}:{row.course_code}"[:40],
                due_key=day.isoformat(),
                title=f"{course.title} ({row.name})"[:300],
                link=f"/training/due/{row.staff_id}",
                due_on=day,
                owner_user_id=row.user_id,
                owner_email=row.work_email or None,
                team_id=row.team_id,
            )
        )
    return select_items(session, items)

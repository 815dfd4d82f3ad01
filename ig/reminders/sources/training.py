"""Training that expires soon or is overdue, through the training register's service."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ig.people.models import Staff
from ig.people.service import staff_in_post
from ig.reminders.policy import Rule
from ig.reminders.rules import london_today
from ig.reminders.sources.items import DueItem, select_items
from ig.training.rules import Status
from ig.training.service import get_training_status_on


def training_due(session: Session, rule: Rule, now: dt.datetime) -> Select:
    """Each required course per person in post, due on its expiry (or a starter's due date).

    Only items within the rule's longest lead time are loaded: the rest cannot be due.
    A new completion moves the expiry, so the due key changes and a pending reminder
    about the old one is cancelled.
    """
    today = london_today(now)
    horizon = today + dt.timedelta(days=max(rule.before_days, default=0))
    staff = {
        row.id: row
        for row in session.execute(
            select(Staff.id, Staff.name, Staff.user_id, Staff.work_email, Staff.team_id).where(
                *staff_in_post(today)
            )
        )
    }
    statuses = get_training_status_on(session, list(staff), today)
    items = []
    for staff_id, rows in statuses.items():
        person = staff[staff_id]
        for row in rows:
            due = row.expires_on or row.due_on
            if row.status is Status.EXEMPT or due is None or due > horizon:
                continue
            items.append(
                DueItem(
                    record_type="training",
                    record_id=f"{staff_id}:{row.course_code}"[:40],
                    due_key=due.isoformat(),
                    title=f"{row.course_title} ({person.name})"[:300],
                    link=f"/training/staff/{staff_id}",
                    due_on=due,
                    owner_user_id=person.user_id,
                    owner_email=person.work_email or None,
                    team_id=person.team_id,
                )
            )
    return select_items(session, items)

"""Training tasks on the home page: a manager's overdue staff, a person's own courses.

Both counts are kept in the shared cache while the training data is unchanged: their
statements cost far more to build and run than the one stamp query that checks them.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import london_today
from ig.feature import Task
from ig.people.service import find_staff_for_user, managed_team_ids
from ig.training.cache import cached
from ig.training.compliance import status_rows
from ig.training.policy import TrainingPolicy
from ig.training.rules import Status


def _overdue_staff(session: Session, policy: TrainingPolicy, actor: Actor, today: dt.date) -> int:
    def count() -> int:
        rows = status_rows(
            session, policy, today, team_ids=managed_team_ids(session, actor.user_id)
        )
        query = select(func.count(func.distinct(rows.c.staff_id))).where(
            rows.c.status == Status.OVERDUE.value
        )
        return session.scalar(query) or 0

    return cached(session, ("overdue-staff", policy.fingerprint, actor.user_id, today), count)


def _own_overdue(session: Session, policy: TrainingPolicy, staff_id: int, today: dt.date) -> int:
    def count() -> int:
        rows = status_rows(session, policy, today, staff_ids=[staff_id])
        query = select(func.count()).where(rows.c.status == Status.OVERDUE.value)
        return session.scalar(query) or 0

    return cached(session, ("own-overdue", policy.fingerprint, staff_id, today), count)


def training_tasks(session: Session, actor: Actor) -> list[Task]:
    """Managers: how many of their staff are overdue. Everyone: their own overdue courses."""
    policy = current_app.extensions["ig.policies"].training
    today = london_today()
    tasks = []
    if actor.can("training.view_team") and not actor.can("training.view_all"):
        overdue = _overdue_staff(session, policy, actor, today)
        if overdue:
            tasks.append(
                Task(
                    "Staff with overdue training",
                    "training.team",
                    {"status": "overdue"},
                    "In the teams you manage",
                    overdue,
                )
            )
    if actor.can("training.view_own"):
        staff = find_staff_for_user(session, actor.user_id)
        mine = _own_overdue(session, policy, staff.id, today) if staff is not None else 0
        if mine:
            tasks.append(
                Task(
                    "Complete your overdue training",
                    "training.mine",
                    {},
                    "Courses you must complete now",
                    mine,
                )
            )
    return tasks

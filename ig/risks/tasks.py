"""Home-page tasks: a risk owner's reviews due, and the IG team's overdue reviews."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import london_today
from ig.feature import Task
from ig.risks.models import Risk
from ig.risks.rules import Status


def review_tasks(session: Session, actor: Actor) -> list[Task]:
    """The actor's own open risks whose review is overdue or falls due soon; and, for
    those who manage the register, how many open risks are overdue (one statement)."""
    manages = actor.can("risks.manage")
    if actor.user_id is None and not manages:
        return []
    policy = current_app.extensions["ig.policies"].risks
    today = london_today()
    soon = today + dt.timedelta(days=policy.due_soon_days)
    mine = Risk.owner_user_id == actor.user_id
    due = Risk.review_on
    overdue, upcoming, everyone_overdue = session.execute(
        select(
            func.count().filter(mine, due < today),
            func.count().filter(mine, due >= today, due <= soon),
            func.count().filter(due < today),
        ).where(Risk.status == Status.OPEN, true() if manages else mine)
    ).one()
    tasks = []
    if overdue:
        tasks.append(
            Task(
                "Review your overdue risks",
                "risks.mine",
                {},
                "Their review date has passed",
                overdue,
                is_overdue=True,
            )
        )
    if upcoming:
        tasks.append(
            Task(
                "Review your risks",
                "risks.mine",
                {},
                f"Due for review within {policy.due_soon_days} days",
                upcoming,
            )
        )
    if manages and everyone_overdue:
        tasks.append(
            Task(
                "Chase overdue risk reviews",
                "risks.index",
                {"overdue": "y"},
                "Open risks in the register whose review date has passed",
                everyone_overdue,
                is_overdue=True,
            )
        )
    return tasks

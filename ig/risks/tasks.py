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


def _counts(session: Session, actor: Actor, manages: bool, soon_days: int) -> tuple[int, ...]:
    """The actor's overdue and upcoming reviews, and everyone's overdue (one statement;
    only the actor's own risks are read for those who do not manage the register)."""
    today = london_today()
    soon = today + dt.timedelta(days=soon_days)
    mine = Risk.owner_user_id == actor.user_id
    due = Risk.review_on
    row = session.execute(
        select(
            func.count().filter(mine, due < today),
            func.count().filter(mine, due >= today, due <= soon),
            func.count().filter(due < today),
        ).where(Risk.status == Status.OPEN, true() if manages else mine)
    ).one()
    return tuple(row)


def review_tasks(session: Session, actor: Actor) -> list[Task]:
    """The actor's own open risks whose review is overdue or falls due soon; and, for
    those who manage the register, how many open risks are overdue."""
    manages = actor.can("risks.manage")
    if actor.user_id is None and not manages:
        return []
    days = current_app.extensions["ig.policies"].risks.due_soon_days
    overdue, upcoming, everyone_overdue = _counts(session, actor, manages, days)
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
        detail = f"Due for review within {days} days"
        tasks.append(Task("Review your risks", "risks.mine", {}, detail, upcoming))
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

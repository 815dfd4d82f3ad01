"""Home-page task: an Information Asset Owner's assets due for confirmation."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.assets.models import InformationAsset
from ig.auth.rules import Actor
from ig.db import london_today
from ig.feature import Task


def confirmation_tasks(session: Session, actor: Actor) -> list[Task]:
    """The actor's own assets whose confirmation is overdue or falls due soon."""
    if actor.user_id is None:
        return []
    policy = current_app.extensions["ig.policies"].assets
    today = london_today()
    soon = today + dt.timedelta(days=policy.due_soon_days)
    due = InformationAsset.next_confirmation_on
    overdue, upcoming = session.execute(
        select(
            func.count().filter(due < today),
            func.count().filter(due >= today),
        ).where(InformationAsset.owner_user_id == actor.user_id, due <= soon)
    ).one()
    tasks = []
    if overdue:
        tasks.append(
            Task(
                "Confirm your overdue information assets",
                "assets.mine",
                {},
                "Their confirmation is overdue",
                overdue,
                is_overdue=True,
            )
        )
    if upcoming:
        tasks.append(
            Task(
                "Confirm your information assets",
                "assets.mine",
                {},
                f"Due for confirmation within {policy.due_soon_days} days",
                upcoming,
            )
        )
    return tasks

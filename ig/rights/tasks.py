"""Home-page tasks for the information rights team: requests overdue, and those within
their type's reminder days of the deadline (policies/rights.toml); and for information
asset owners, the searches asked of them."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import london_today
from ig.feature import Task
from ig.rights.models import RequestStatus, RightsRequest, RightsTask, TaskStatus
from ig.rights.policy import RightsPolicy


def _counts(session: Session, policy: RightsPolicy, today: dt.date) -> tuple[int, int]:
    running = RightsRequest.status == RequestStatus.OPEN
    soon = or_(
        *(
            and_(
                RightsRequest.type_key == key,
                RightsRequest.due_on <= today + dt.timedelta(days=kind.reminder_days),
            )
            for key, kind in policy.types.items()
        )
    )
    overdue = func.count().filter(RightsRequest.due_on < today)
    due_soon = func.count().filter(RightsRequest.due_on >= today, soon)
    row = session.execute(select(overdue, due_soon).where(running)).one()
    return row[0] or 0, row[1] or 0


def rights_tasks(session: Session, actor: Actor) -> list[Task]:
    """For the team (rights.manage): the overdue requests, then those due soon."""
    if not actor.can("rights.manage"):
        return []
    policy: RightsPolicy = current_app.extensions["ig.policies"].rights
    overdue, due_soon = _counts(session, policy, london_today())
    tasks = []
    if overdue:
        detail = "Past their legal deadline: answer them, or record a pause or extension"
        args = {"state": "overdue"}
        tasks.append(Task("Overdue information rights requests", "rights.index", args, detail,
                          overdue, is_overdue=True))  # fmt: skip
    if due_soon:
        detail = "Within their reminder days of the legal deadline"
        tasks.append(Task("Information rights requests due soon", "rights.index",
                          {"state": "open"}, detail, due_soon))  # fmt: skip
    return tasks


def search_tasks(session: Session, actor: Actor) -> list[Task]:
    """For an information asset owner: the searches asked of them, overdue if any
    request's deadline has passed."""
    if actor.user_id is None:
        return []
    overdue = func.count().filter(RightsRequest.due_on < london_today())
    row = session.execute(
        select(func.count(), overdue)
        .select_from(RightsTask)
        .join(RightsRequest, RightsRequest.id == RightsTask.request_id)
        .where(RightsTask.owner_user_id == actor.user_id, RightsTask.status == TaskStatus.OPEN)
    ).one()
    if not row[0]:
        return []
    detail = "Search your information assets for a person's data and record what you found"
    return [Task("Search your systems for information rights requests", "rights.my_tasks", {},
                 detail, row[0], is_overdue=bool(row[1]))]  # fmt: skip

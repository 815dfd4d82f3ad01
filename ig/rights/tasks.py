"""Home-page tasks for the information rights team: requests overdue, and those within
their type's reminder days of the deadline (policies/rights.toml); and for information
asset owners, the searches asked of them."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import Date, Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import london_today
from ig.feature import Task
from ig.rights.models import RequestStatus, RightsRequest, RightsTask, TaskStatus
from ig.rights.policy import RightsPolicy

# The counts' statement for each policy's request types, built once (building it per
# request cost more than running it); the days are bound when it runs.
_COUNTS: dict[tuple[str, ...], Select[int, int]] = {}


def _counts_statement(keys: tuple[str, ...]) -> Select[int, int]:
    if keys not in _COUNTS:
        today = bindparam("today", type_=Date())
        soon = or_(
            *(
                and_(RightsRequest.type_key == key, RightsRequest.due_on <= bindparam(f"soon_{i}"))
                for i, key in enumerate(keys)
            )
        )
        overdue = func.count().filter(RightsRequest.due_on < today)
        due_soon = func.count().filter(RightsRequest.due_on >= today, soon)
        _COUNTS[keys] = select(overdue, due_soon).where(RightsRequest.status == RequestStatus.OPEN)
    return _COUNTS[keys]


def _counts(session: Session, policy: RightsPolicy, today: dt.date) -> tuple[int, int]:
    keys = tuple(policy.types)
    params: dict[str, dt.date] = {"today": today}
    for i, kind in enumerate(policy.types.values()):
        params[f"soon_{i}"] = today + dt.timedelta(days=kind.reminder_days)
    row = session.execute(_counts_statement(keys), params).one()
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


_SEARCHES = (
    select(
        func.count(), func.count().filter(RightsRequest.due_on < bindparam("today", type_=Date()))
    )
    .select_from(RightsTask)
    .join(RightsRequest, RightsRequest.id == RightsTask.request_id)
    .where(RightsTask.owner_user_id == bindparam("user_id"), RightsTask.status == TaskStatus.OPEN)
)


def search_tasks(session: Session, actor: Actor) -> list[Task]:
    """For an information asset owner: the searches asked of them, overdue if any
    request's deadline has passed."""
    if actor.user_id is None:
        return []
    params = {"user_id": actor.user_id, "today": london_today()}
    row = session.execute(_SEARCHES, params).one()
    if not row[0]:
        return []
    detail = "Search your information assets for a person's data and record what you found"
    return [Task("Search your systems for information rights requests", "rights.my_tasks", {},
                 detail, row[0], is_overdue=bool(row[1]))]  # fmt: skip

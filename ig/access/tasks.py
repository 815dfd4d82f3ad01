"""Home-page tasks: requests awaiting a line manager's decision and their staff's access
due for recertification; approved access to grant, and access to remove, for the asset's
owner or administrator."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Date, Select, bindparam, func, select
from sqlalchemy.orm import Session

from ig.access.models import AccessRequest
from ig.access.recertification import recertifications_for, to_remove
from ig.access.register import approvals_for, awaiting_keeper
from ig.access.rules import AccessStatus
from ig.assets.lookup import kept_asset_ids
from ig.auth.rules import Actor
from ig.db import london_today
from ig.feature import Task

# Each task's count is one statement built once, the person, the day and the assets they
# keep bound when it runs. One count each: each condition has its own index (combined
# with OR into one statement, PostgreSQL scanned every request instead).
_USER: BindParameter[int] = bindparam("user_id")
_TODAY: BindParameter[Any] = bindparam("today", type_=Date())
_KEPT: BindParameter[list[int]] = bindparam("kept", expanding=True)


def _count(where: ColumnElement[bool]) -> Select[Any]:
    return select(func.count(AccessRequest.id)).where(where)


_MANAGER = (
    (
        _count(approvals_for(_USER)),
        ("Approve or decline requests for access", "access.approvals"),
        "Your staff are waiting for access to information systems",
        False,
    ),
    (
        _count(recertifications_for(_USER, _TODAY)),
        ("Recertify your staff's access to systems", "access.recertify_list"),
        "Keep or remove each person's access: its recertification is due",
        True,
    ),
)
_KEEPER = (
    (
        _count(awaiting_keeper(_KEPT, AccessStatus.APPROVED)),
        ("Grant approved access to your systems", "access.keeper"),
        "Approved by a line manager, not yet recorded as granted",
        False,
    ),
    (
        _count(to_remove(_KEPT, _TODAY)),
        ("Remove access from your systems", "access.keeper"),
        "Held by leavers, or their line manager asked for it to be removed",
        True,
    ),
)


def access_tasks(session: Session, actor: Actor) -> list[Task]:
    """The actor's access decisions, recertifications, grants and removals to make."""
    if actor.user_id is None:
        return []
    params: dict[str, Any] = {"user_id": actor.user_id, "today": london_today()}
    wanted = list(_MANAGER)
    kept = kept_asset_ids(session, actor.user_id)
    if kept:  # the keeper's tasks, for those who own or administer an asset
        params["kept"] = list(kept)
        wanted += _KEEPER
    tasks = []
    for statement, (title, endpoint), detail, overdue in wanted:
        found = session.scalar(statement, params) or 0
        if found:
            tasks.append(Task(title, endpoint, {}, detail, found, is_overdue=overdue))
    return tasks

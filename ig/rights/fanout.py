"""The search for a person's data: the rights team asks the owner of each information
asset that may hold it, and each owner records what was found and, for erasure or
withdrawal of consent, what was done with it. Each change writes its audit entry;
bad input raises before any write.

Assets are found through ig.assets.lookup only (pyproject.toml's import contract).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager

from ig import bounds
from ig.assets.lookup import resolve_asset
from ig.audit.service import Page
from ig.auth.rules import Actor
from ig.db import london_today
from ig.errors import EditConflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ig.rights.models import (
    Removal,
    RequestStatus,
    RightsRequest,
    RightsSearch,
    RightsTask,
    TaskStatus,
)
from ig.rights.policy import RightsPolicy
from ig.rights.records import get_request
from ig.rights.service import audit, check_text
from ig.rights.task_rules import REMOVAL_TYPES, TaskResult, check_result

NOTE_NEEDED = "Enter why this search is reasonable and proportionate"


def open_request(session: Session, actor: Actor, request_id: int) -> RightsRequest:
    """The request, for the team to ask for a search; PermissionDenied, NotFound,
    InvalidTransition (closed)."""
    if not actor.can("rights.manage") or actor.user_id is None:
        raise PermissionDenied("Only the information rights team can ask for a search")
    item = get_request(session, request_id)
    if item.status is RequestStatus.CLOSED:
        raise InvalidTransition("This request is closed: no more searches can be asked for")
    return item


def find_search(session: Session, request_id: int) -> RightsSearch | None:
    """The request's search note, or None before any asset was asked to search."""
    return session.get(RightsSearch, request_id)


def _record_search(
    session: Session, actor: Actor, item: RightsRequest, note: str, now: dt.datetime
) -> bool:
    """Keep ``note`` as the request's search note; True if it changed."""
    search = find_search(session, item.id)
    if search is None:
        search = RightsSearch(request_id=item.id, note="")
        session.add(search)
    changed = search.note != note
    search.note = note
    search.recorded_at = now
    search.recorded_by_user_id = actor.user_id  # type: ignore[assignment]
    return changed


def _task_for(
    session: Session,
    actor: Actor,
    item: RightsRequest,
    asset_id: int,
    owner_id: int,
    now: dt.datetime,
) -> RightsTask:
    task = RightsTask(
        request_id=item.id,
        asset_id=asset_id,
        owner_user_id=owner_id,
        status=TaskStatus.OPEN,
        asked_at=now,
        asked_by_user_id=actor.user_id,
        findings="",
        kept_reason="",
    )
    session.add(task)
    session.flush()
    audit(session, actor, "task_added", item, now, task=task.id, asset=asset_id, owner=owner_id)
    return task


def add_tasks(
    session: Session,
    actor: Actor,
    request_id: int,
    assets: Iterable[str],
    note: str,
    now: dt.datetime,
) -> list[RightsTask]:
    """Ask the owner of each asset (its number or full name) to search it, and keep
    ``note`` as the search's reasoning. Assets already asked are passed over.

    Raises PermissionDenied (no rights.manage), NotFound, InvalidTransition (closed) and
    ValidationFailed (note; asset: none named, no such asset, or every one already asked).
    """
    item = open_request(session, actor, request_id)
    why = check_text("note", note, bounds.LONG_TEXT, NOTE_NEEDED)
    asked = set(
        session.scalars(select(RightsTask.asset_id).where(RightsTask.request_id == item.id))
    )
    wanted = {}
    for text in assets:
        if bounds.text_problem(text, bounds.NAME) or not text.strip():
            raise ValidationFailed("asset", "Enter the information asset's number or name")
        asset = resolve_asset(session, text, "asset")
        if asset.id not in asked:
            wanted[asset.id] = asset.owner_user_id
    if not wanted:
        raise ValidationFailed("asset", "That asset's owner has already been asked to search")
    if _record_search(session, actor, item, why, now):
        audit(session, actor, "search_noted", item, now)
    return [_task_for(session, actor, item, key, owner, now) for key, owner in wanted.items()]


def get_task(session: Session, task_id: int) -> RightsTask:
    """The task; NotFound if there is none with that id."""
    task = session.get(RightsTask, task_id)
    if task is None:
        raise NotFound("There is no such information rights task")
    return task


def can_view_task(actor: Actor, task: RightsTask) -> bool:
    """Its owner, and whoever reads the rights register."""
    return actor.user_id == task.owner_user_id or actor.can("rights.read")


def record_task(
    session: Session,
    actor: Actor,
    policy: RightsPolicy,
    task_id: int,
    result: TaskResult,
    now: dt.datetime,
    version: int | None = None,
) -> RightsTask:
    """The owner's answer to the task, which closes it.

    Raises NotFound, PermissionDenied (not the asset's owner asked), EditConflict,
    InvalidTransition (already answered, or the request is closed) and ValidationFailed
    as task_rules.check_result says.
    """
    task = get_task(session, task_id)
    if actor.user_id is None or actor.user_id != task.owner_user_id:
        raise PermissionDenied("Only the information asset owner asked can record this search")
    if version is not None and version != task.version:
        raise EditConflict()
    if task.status is TaskStatus.DONE or task.request.status is RequestStatus.CLOSED:
        raise InvalidTransition("This search has already been recorded, or its request closed")
    asks_removal = task.request.type_key in REMOVAL_TYPES
    check_result(
        result, asks_removal, task.request.received_on, london_today(now), policy.exemptions
    )
    findings = check_text("findings", result.findings, bounds.LONG_TEXT)
    kept = check_text("kept_reason", result.kept_reason, bounds.SHORT_TEXT)
    removal = result.removal if asks_removal and result.is_found else None
    task.is_found = result.is_found
    task.findings = findings
    task.removal = removal
    kept_by_exemption = removal is Removal.KEPT
    task.removed_on = result.removed_on if removal and not kept_by_exemption else None
    task.exemption_key = result.exemption_key if kept_by_exemption else None
    task.kept_reason = kept if task.exemption_key else ""
    task.status = TaskStatus.DONE
    task.done_at = now
    task.done_by_user_id = actor.user_id
    session.flush()
    audit(session, actor, "task_done", task.request, now, task=task.id, asset=task.asset_id,
          found=task.is_found, removal=removal.value if removal else None,
          exemption=task.exemption_key)  # fmt: skip
    return task


def note_task_viewed(session: Session, actor: Actor, task: RightsTask, now: dt.datetime) -> None:
    """Audit that the actor read who the request is about, on the task's page."""
    audit(session, actor, "task_viewed", task.request, now, task=task.id)


def list_tasks(session: Session, request_id: int) -> list[RightsTask]:
    """The request's tasks, in the order they were asked."""
    query = select(RightsTask).where(RightsTask.request_id == request_id).order_by(RightsTask.id)
    return list(session.scalars(query).unique())


def count_open_tasks(session: Session, request_id: int) -> int:
    query = select(func.count(RightsTask.id)).where(
        RightsTask.request_id == request_id, RightsTask.status == TaskStatus.OPEN
    )
    return session.scalar(query) or 0


def list_owner_tasks(session: Session, user_id: int, page: int = 1, per_page: int = 25) -> Page:
    """The open tasks asked of ``user_id``, the nearest deadline first, paged in SQL."""
    mine = (RightsTask.owner_user_id == user_id) & (RightsTask.status == TaskStatus.OPEN)
    total = session.scalar(select(func.count(RightsTask.id)).where(mine)) or 0
    query = (
        select(RightsTask)
        .join(RightsRequest, RightsRequest.id == RightsTask.request_id)
        .where(mine)
        .options(contains_eager(RightsTask.request))
        .order_by(RightsRequest.due_on, RightsTask.id)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    return Page(list(session.scalars(query).unique()), page, per_page, total)

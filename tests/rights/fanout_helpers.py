"""Set-up for the search tests: assets with owners, and a request asked of them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.rights import fanout, service
from ig.rights.models import RightsTask
from ig.rights.task_rules import TaskResult
from tests.factories import make_asset, make_user
from tests.rights.helpers import NOW, actor, request_input


def owned_asset(db: Session, name: str | None = None) -> tuple[Any, Actor]:
    """An asset with its own owner, and the owner as an actor (home.view only)."""
    user = make_user(db, roles=("manager",))
    asset = make_asset(db, owner=user, name=name or f"Case records {uuid.uuid4().hex[:6]}")
    return asset, Actor(user.id, user.email, frozenset({"manager"}), frozenset({"home.view"}))


def asked(db: Session, policies: Any, *assets: Any, **fields: Any) -> Any:
    """A request logged by the team, whose owners of ``assets`` are asked to search."""
    team = actor(db)
    item = service.log_request(db, team, policies.rights, request_input(**fields), NOW)
    if assets:
        names = [str(asset.id) for asset in assets]
        fanout.add_tasks(db, team, item.id, names, "Case systems the person was known to", NOW)
    return item


def deleted(day: dt.date = dt.date(2026, 11, 10)) -> TaskResult:
    from ig.rights.models import Removal

    return TaskResult(True, "Two recordings and a transcript", Removal.DELETED, day)


def task_count(db: Session) -> int:
    return db.scalar(select(func.count(RightsTask.id))) or 0

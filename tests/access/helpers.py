"""A small organisation for the access tests: a line manager of a directorate, a
member of staff in a team below it, and an asset with its owner and administrator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.access.policy import load_access
from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.people.models import TeamManager
from ig.settings import PROJECT_ROOT
from tests.factories import make_asset, make_staff, make_team, make_user

NOW = dt.datetime(2026, 11, 22, 10, 0, tzinfo=dt.UTC)
POLICY = load_access(PROJECT_ROOT / "policies")


def as_actor(user: Any, *permissions: str) -> Actor:
    return Actor(user.id, user.email, user.role_names, frozenset(permissions or {"access.request"}))


@dataclass
class World:
    manager: Any
    staff_user: Any
    staff: Any
    owner: Any
    administrator: Any
    asset: Any
    team: Any
    directorate: Any


def make_world(db: Session) -> World:
    directorate = make_team(db, kind="directorate")
    team = make_team(db, parent=directorate)
    manager = make_user(db, roles=("manager",))
    db.add(TeamManager(team_id=directorate.id, user_id=manager.id))
    staff_user = make_user(db)
    staff = make_staff(db, team, user_id=staff_user.id, name="Priya Shah")
    owner, administrator = make_user(db, roles=("manager",)), make_user(db)
    asset = make_asset(db, owner, administrator_user_id=administrator.id)
    db.flush()
    return World(manager, staff_user, staff, owner, administrator, asset, team, directorate)


def audit_actions(db: Session, request_id: int) -> list[str]:
    return list(
        db.scalars(
            select(AuditEntry.action)
            .where(AuditEntry.record_type == "access_request")
            .where(AuditEntry.record_id == str(request_id))
            .order_by(AuditEntry.seq)
        )
    )


def sign_in(client: Any, db: Session, user: Any) -> None:
    """Sign the test client in as ``user`` (two-factor already passed)."""
    from ig.auth import service
    from ig.db import utcnow

    new = service.start_session(db, user, "pytest", utcnow())
    new.row.is_two_factor_done = True
    db.flush()
    with client.session_transaction() as session:
        session["_user_id"] = new.token
        session["_fresh"] = True

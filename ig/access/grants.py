"""Access to information systems as reporting tools read it: every request from asking to
removal, filtered by asset, team (with the teams below), state and the date it was held,
paged in SQL (the API's list; the pages use register.py and report.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from ig.access.models import AccessRequest
from ig.access.report import held_on
from ig.access.rules import AccessStatus
from ig.assets.lookup import asset_names
from ig.audit.service import Page
from ig.people.models import Staff, Team


@dataclass(frozen=True)
class GrantFilter:
    """Which requests: on one asset, in one team or below, in one state, held on a date."""

    asset_id: int | None = None
    team_id: int | None = None
    status: AccessStatus | None = None
    held_on: dt.date | None = None


@dataclass(frozen=True)
class Grant:
    """An access request with its asset's name."""

    item: AccessRequest
    asset_name: str


def _query(session: Session, filters: GrantFilter) -> Select[Any]:
    query = select(AccessRequest)
    if filters.asset_id is not None:
        query = query.where(AccessRequest.asset_id == filters.asset_id)
    if filters.team_id is not None:
        team = session.get(Team, filters.team_id)
        path = team.path if team is not None else "/none/"  # an unknown team: nothing
        below = select(Staff.id).join(Team, Team.id == Staff.team_id)
        below = below.where(Team.path.startswith(path, autoescape=False))
        query = query.where(AccessRequest.staff_id.in_(below))
    if filters.status is not None:
        query = query.where(AccessRequest.status == filters.status)
    if filters.held_on is not None:
        query = query.where(held_on(filters.held_on))
    return query


def list_grants(session: Session, filters: GrantFilter, page: int = 1, per_page: int = 100) -> Page:
    """One page of requests, oldest first, with their staff, teams and assets' names
    (four queries for any page)."""
    query = _query(session, filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = list(
        session.scalars(
            query.options(selectinload(AccessRequest.staff).selectinload(Staff.team))
            .order_by(AccessRequest.requested_at, AccessRequest.id)
            .limit(per_page)
            .offset((max(page, 1) - 1) * per_page)
        ).unique()
    )
    names = asset_names(session, [i.asset_id for i in items])
    return Page([Grant(i, names.get(i.asset_id, "")) for i in items], max(page, 1), per_page, total)


def find_grant(session: Session, grant_id: int) -> Grant | None:
    """One request with its asset's name, or None (no encrypted field is read)."""
    item = session.get(AccessRequest, grant_id)
    if item is None:
        return None
    return Grant(item, asset_names(session, [item.asset_id]).get(item.asset_id, ""))

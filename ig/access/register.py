"""The lists of access requests: awaiting a line manager, and awaiting an asset's keeper.

Each is filtered and paged in SQL; the assets' names come in one further query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, select
from sqlalchemy.orm import Session

from ig.access.models import AccessRequest
from ig.access.rules import AccessStatus
from ig.assets.lookup import asset_names
from ig.audit.service import Page
from ig.people.models import Staff
from ig.people.service import teams_managed_by

PER_PAGE = 50


@dataclass(frozen=True)
class Row:
    """An access request with the names to show beside it."""

    item: AccessRequest
    asset_name: str


def awaiting_approval(session: Session, user_id: int | None) -> ColumnElement[bool]:
    """Requests the user may approve: their staff's (teams below theirs too), never their own."""
    del session  # a condition to embed, not a read
    return approvals_for(user_id if user_id is not None else -1)


def staff_of(user_id: int | ColumnElement[Any]) -> Select[Any]:
    """The ids of the staff in the teams ``user_id`` manages (and below), never the user
    themselves; ``user_id`` may be a parameter bound when the statement runs."""
    return select(Staff.id).where(
        Staff.team_id.in_(teams_managed_by(user_id)), Staff.user_id.is_distinct_from(user_id)
    )


def approvals_for(user_id: int | ColumnElement[Any]) -> ColumnElement[bool]:
    """``awaiting_approval`` for a user id or a bound parameter."""
    return (AccessRequest.status == AccessStatus.REQUESTED) & AccessRequest.staff_id.in_(
        staff_of(user_id)
    )


def awaiting_keeper(
    kept: Sequence[int] | ColumnElement[Any], *statuses: AccessStatus
) -> ColumnElement[bool]:
    """Requests in one of ``statuses`` on the assets ``kept`` (``kept_asset_ids``: the ids
    of those the user owns or administers; a list, so PostgreSQL probes the requests'
    (asset, status) index for each rather than scanning every request; or an expanding
    parameter bound when the statement runs)."""
    if isinstance(kept, Sequence) and not kept:
        return false()
    return AccessRequest.status.in_(statuses) & AccessRequest.asset_id.in_(kept)


def count(session: Session, where: ColumnElement[bool]) -> int:
    return session.scalar(select(func.count(AccessRequest.id)).where(where)) or 0


def list_requests(session: Session, where: ColumnElement[bool], page: int = 1) -> Page:
    """One page of requests matching ``where``, oldest first, with their assets' names."""
    query: Select[Any] = select(AccessRequest).where(where)
    total = count(session, where)
    items = list(
        session.scalars(
            # Approved before granted (alphabetical), then oldest first.
            query.order_by(AccessRequest.status, AccessRequest.requested_at, AccessRequest.id)
            .limit(PER_PAGE)
            .offset((max(page, 1) - 1) * PER_PAGE)
        )
    )
    names = asset_names(session, [i.asset_id for i in items]) if items else {}
    rows = [Row(i, names.get(i.asset_id, "")) for i in items]
    return Page(rows, max(page, 1), PER_PAGE, total)

"""The information asset register: filtered, sorted and paged in SQL, overdue first.

Its "as at" and "confirmed from / to" filters are the IG report's own conditions
(ig.assets.figures), read from the audit trail, so each figure links to its assets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session, selectinload

from ig.assets.models import InformationAsset
from ig.assets.rules import Criticality
from ig.audit.models import AuditEntry
from ig.audit.recorded import (
    day_end,
    day_start,
    earliest,
    latest_detail,
    was_recorded,
)
from ig.audit.service import Page

A = InformationAsset
RECORD = "information_asset"
TICK = dt.timedelta(microseconds=1)
CRITICALITY_ORDER = case(
    {c.value: rank for rank, c in enumerate(reversed(list(Criticality)))},
    value=A.criticality,
    else_=len(Criticality),
)
SORTS = {
    "name": (A.name, A.id),
    "confirmation": (A.next_confirmation_on, A.name, A.id),
    "criticality": (CRITICALITY_ORDER, A.name, A.id),
}


@dataclass(frozen=True)
class AssetFilter:
    owner_user_id: int | None = None
    criticality: Criticality | None = None
    is_overdue: bool = False
    search: str = ""
    sort: str = "name"
    on: dt.date | None = None  # on the register that day; "overdue" then means overdue that day
    confirmed_from: dt.date | None = None
    confirmed_to: dt.date | None = None


def on_register(day: dt.date, cutoff: dt.datetime | None = None) -> ColumnElement[bool]:
    """Assets added by the end of ``day``, as recorded by ``cutoff`` (None: ever)."""
    added_by = earliest(cutoff, day_end(day))
    return was_recorded(RECORD, A.id, ["asset.created"], added_by)


def overdue_on(day: dt.date, cutoff: dt.datetime | None = None) -> ColumnElement[bool]:
    """Assets whose owner's confirmation was overdue on ``day``, as recorded by ``cutoff``:
    past the due date the latest confirmation by then set, or, never confirmed, added
    before that day (the first confirmation falls due the day an asset is added)."""
    recorded_by = earliest(cutoff, day_end(day))
    due = latest_detail(RECORD, A.id, ["asset.confirmed"], "next_confirmation_on", recorded_by)
    # The asset's audit entry dates its addition, as the services record their time.
    added_before = was_recorded(RECORD, A.id, ["asset.created"], day_start(day) - TICK)
    # Where no confirmation dates it, the comparison is NULL and the addition decides:
    # one look-up for the due date, not two.
    return func.coalesce(due < day.isoformat(), added_before)


def confirmed_between(
    start: dt.date | None, end: dt.date | None, cutoff: dt.datetime | None = None
) -> ColumnElement[bool]:
    """Assets whose owner confirmed them from ``start`` to ``end`` (UK days, inclusive;
    None: open), as recorded by ``cutoff``."""
    since = [AuditEntry.at >= day_start(start)] if start else []
    last = earliest(cutoff, day_end(end) if end else None)
    return was_recorded(RECORD, A.id, ["asset.confirmed"], last, *since)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(filters: AssetFilter, today: dt.date) -> Select:
    query = select(A)
    if filters.owner_user_id:
        query = query.where(A.owner_user_id == filters.owner_user_id)
    if filters.criticality:
        query = query.where(A.criticality == filters.criticality)
    if filters.on:
        query = query.where(on_register(filters.on))
    if filters.is_overdue:
        late = overdue_on(filters.on) if filters.on else A.next_confirmation_on < today
        query = query.where(late)
    if filters.confirmed_from or filters.confirmed_to:
        query = query.where(confirmed_between(filters.confirmed_from, filters.confirmed_to))
    if filters.search.strip():
        pattern = f"%{_escape_like(filters.search.strip().lower())}%"
        query = query.where(func.lower(A.name).like(pattern, escape="\\"))
    overdue_first = case((A.next_confirmation_on < today, 0), else_=1)
    return query.order_by(overdue_first, *SORTS.get(filters.sort, SORTS["name"]))


def list_assets(
    session: Session, filters: AssetFilter, today: dt.date, page: int = 1, per_page: int = 25
) -> Page:
    """Assets matching ``filters``, overdue confirmations first, paged in SQL."""
    query = _filtered(filters, today)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(list(rows), page, per_page, total)


def export_assets(session: Session, filters: AssetFilter, today: dt.date) -> list[InformationAsset]:
    """Every asset matching ``filters`` (for the CSV), with categories and suppliers."""
    query = _filtered(filters, today).options(selectinload(A.categories), selectinload(A.suppliers))
    return list(session.scalars(query).unique().all())


def owner_ids() -> Select[Any]:
    """The ids of the users who own an asset: what the register's owner filter picks from."""
    return select(A.owner_user_id).distinct()

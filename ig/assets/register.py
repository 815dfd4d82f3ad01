"""The information asset register: filtered, sorted and paged in SQL, overdue first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, selectinload

from ig.assets.models import InformationAsset
from ig.assets.rules import Criticality
from ig.audit.service import Page

A = InformationAsset
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


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(filters: AssetFilter, today: dt.date) -> Select:
    query = select(A)
    if filters.owner_user_id:
        query = query.where(A.owner_user_id == filters.owner_user_id)
    if filters.criticality:
        query = query.where(A.criticality == filters.criticality)
    if filters.is_overdue:
        query = query.where(A.next_confirmation_on < today)
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

"""The processor contract register: filtered, sorted and paged in SQL, most urgent first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, selectinload

from ig.audit.service import Page
from ig.contracts.models import ProcessorContract

C = ProcessorContract
FLAGS = ("missing_terms", "ending_soon", "ended")


@dataclass(frozen=True)
class ContractFilter:
    processor_id: int | None = None
    flag: str = ""  # one of FLAGS, or "" for every contract
    search: str = ""
    owner_user_id: int | None = None  # a person's own contracts (their task's page)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(filters: ContractFilter, today: dt.date, soon: dt.date) -> Select:
    query = select(C)
    if filters.processor_id:
        query = query.where(C.processor_id == filters.processor_id)
    if filters.owner_user_id:
        query = query.where(C.owner_user_id == filters.owner_user_id)
    if filters.flag == "missing_terms":
        query = query.where(C.missing_terms > 0)
    elif filters.flag == "ending_soon":
        query = query.where(C.end_on >= today, C.end_on <= soon)
    elif filters.flag == "ended":
        query = query.where(C.end_on < today)
    if filters.search.strip():
        pattern = f"%{_escape_like(filters.search.strip().lower())}%"
        query = query.where(
            func.lower(C.title).like(pattern, escape="\\")
            | func.lower(C.reference).like(pattern, escape="\\")
        )
    # Most urgent first: missing terms while running, then ending soonest, then ended.
    urgency = case(
        (C.end_on < today, 3),
        (C.missing_terms > 0, 0),
        (C.end_on <= soon, 1),
        else_=2,
    )
    return query.order_by(urgency, C.end_on, C.id)


def list_contracts(
    session: Session,
    filters: ContractFilter,
    today: dt.date,
    soon: dt.date,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """Contracts matching ``filters``, most urgent first, paged in SQL, with their terms."""
    query = _filtered(filters, today, soon)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    paged = query.options(selectinload(C.terms)).limit(per_page).offset((page - 1) * per_page)
    return Page(list(session.scalars(paged).unique().all()), page, per_page, total)


def export_contracts(
    session: Session, filters: ContractFilter, today: dt.date, soon: dt.date
) -> list[ProcessorContract]:
    """Every contract matching ``filters`` (for the CSV), with terms and sub-processors."""
    query = _filtered(filters, today, soon).options(
        selectinload(C.terms), selectinload(C.subprocessors)
    )
    return list(session.scalars(query).unique().all())


def processor_ids() -> Select:
    """The ids of the organisations that are processors: what the processor filter picks from."""
    return select(C.processor_id).distinct()

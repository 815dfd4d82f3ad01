"""The processor contract register: filtered, sorted and paged in SQL, most urgent first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, case, cast, func, select
from sqlalchemy.orm import Session, selectinload

from ig.audit.recorded import latest_detail, was_recorded
from ig.audit.service import Page
from ig.contracts.models import ProcessorContract

C = ProcessorContract
FLAGS = ("missing_terms", "ending_soon", "ended")
RECORD = "processor_contract"
SAVED = ("contract.created", "contract.updated")
# How the trail holds "no term missing": the JSON text of an empty list.
NONE_MISSING = "[]"


def _dates(cutoff: dt.datetime | None) -> tuple[Any, Any]:
    """The contract's (start, end) as its latest save by ``cutoff`` recorded them, as ISO
    text (the current dates where no entry carries them: contracts saved before the trail
    did); the current date columns when ``cutoff`` is None."""
    if cutoff is None:
        return C.start_on, C.end_on
    start, end = (
        func.coalesce(latest_detail(RECORD, C.id, SAVED, key, cutoff), cast(column, String))
        for key, column in (("start_on", C.start_on), ("end_on", C.end_on))
    )
    return start, end


def _day(day: dt.date, cutoff: dt.datetime | None) -> object:
    return day if cutoff is None else day.isoformat()


def in_force_on(day: dt.date, cutoff: dt.datetime | None = None) -> ColumnElement[bool]:
    """Contracts in force on ``day``, as recorded by ``cutoff`` (None: as now known, every
    contract on the register): the register's "in force on" filter and the IG report's."""
    start, end = _dates(cutoff)
    in_force = (start <= _day(day, cutoff)) & (end >= _day(day, cutoff))
    if cutoff is None:
        return in_force
    return in_force & was_recorded(RECORD, C.id, ["contract.created"], cutoff)


def ends_by(day: dt.date, cutoff: dt.datetime | None = None) -> ColumnElement[bool]:
    """Contracts whose end date (as recorded by ``cutoff``) is on or before ``day``."""
    return _dates(cutoff)[1] <= _day(day, cutoff)


def lacks_terms(cutoff: dt.datetime | None = None) -> ColumnElement[bool]:
    """Contracts lacking an Art. 28(3) term, as their latest save by ``cutoff`` listed them
    (the current count where no entry lists them); as now known when ``cutoff`` is None."""
    if cutoff is None:
        return C.missing_terms > 0
    missing = latest_detail(RECORD, C.id, SAVED, "missing_terms", cutoff)
    # Where no entry lists them the comparison is NULL and the count now decides: one
    # look-up for the entry, not two.
    return func.coalesce(missing != NONE_MISSING, C.missing_terms > 0)


@dataclass(frozen=True)
class ContractFilter:
    processor_id: int | None = None
    flag: str = ""  # one of FLAGS, or "" for every contract
    search: str = ""
    owner_user_id: int | None = None  # a person's own contracts (their task's page)
    in_force_on: dt.date | None = None


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(filters: ContractFilter, today: dt.date, soon: dt.date) -> Select:
    query = select(C)
    if filters.processor_id:
        query = query.where(C.processor_id == filters.processor_id)
    if filters.owner_user_id:
        query = query.where(C.owner_user_id == filters.owner_user_id)
    if filters.in_force_on:
        query = query.where(in_force_on(filters.in_force_on))
    if filters.flag == "missing_terms":
        query = query.where(lacks_terms())
    elif filters.flag == "ending_soon":
        query = query.where(C.end_on >= today, ends_by(soon))
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

"""The agreement register: filtered, sorted, paged lists, partner views, CSV, calendar."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from ig.audit.service import Page
from ig.csv_cells import safe_cell
from ig.sharing.models import Agreement, AgreementCategory, AgreementParty
from ig.sharing.rules import IN_FORCE, AgreementState
from ig.sharing.states import (
    BOUND_STATE,
    LATER,
    standing_on,
    state_on_sql,
    state_params,
    state_sql,
)


@dataclass(frozen=True)
class RegisterFilter:
    """What the register is narrowed to; every field optional."""

    organisation_id: int | None = None
    state: AgreementState | None = None
    lawful_basis: str | None = None
    review_from: dt.date | None = None
    review_to: dt.date | None = None
    end_from: dt.date | None = None
    end_to: dt.date | None = None
    search: str | None = None
    # Only agreements something is still due on: not terminated, not replaced by a renewal.
    open_only: bool = False
    # The state (and ``in_force``) on this past day, among the agreements standing then.
    on: dt.date | None = None
    in_force: bool = False  # active or due for review


SORTS: dict[str, Any] = {
    "reference": (Agreement.reference, Agreement.revision),
    "title": (Agreement.title, Agreement.id),
    "starts_on": (Agreement.starts_on, Agreement.id),
    "review_on": (Agreement.review_on, Agreement.id),
    "ends_on": (Agreement.ends_on, Agreement.id),
}


@dataclass(frozen=True)
class RegisterRow:
    agreement: Agreement
    state: AgreementState


def _party_to(organisation_id: int) -> Select[Any]:
    """The agreements an organisation is party to, read from the parties index."""
    return select(AgreementParty.agreement_id).where(
        AgreementParty.organisation_id == organisation_id
    )


def _state(filters: RegisterFilter, today: dt.date, notice_days: int) -> ColumnElement[str]:
    """The state the register shows and filters on: today's, or on the day asked for."""
    if filters.on is not None:
        return state_on_sql(filters.on, notice_days)
    return state_sql(today, notice_days)


def _conditions(filters: RegisterFilter, today: dt.date, notice_days: int) -> list[Any]:
    conditions: list[Any] = []
    if filters.organisation_id is not None:
        conditions.append(Agreement.id.in_(_party_to(filters.organisation_id)))
    if filters.on is not None:
        conditions.extend(standing_on(filters.on))
    if filters.state is not None:
        conditions.append(_state(filters, today, notice_days) == filters.state.value)
    if filters.in_force:
        conditions.append(_state(filters, today, notice_days).in_([s.value for s in IN_FORCE]))
    if filters.lawful_basis:
        conditions.append(Agreement.lawful_basis == filters.lawful_basis)
    for column, low, high in (
        (Agreement.review_on, filters.review_from, filters.review_to),
        (Agreement.ends_on, filters.end_from, filters.end_to),
    ):
        if low is not None:
            conditions.append(column >= low)
        if high is not None:
            conditions.append(column <= high)
    if filters.open_only:
        conditions.extend(_open())
    if filters.search:
        text = filters.search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(
            Agreement.reference.ilike(f"%{text}%", escape="\\")
            | Agreement.title.ilike(f"%{text}%", escape="\\")
        )
    return conditions


def _query(filters: RegisterFilter, today: dt.date, notice_days: int) -> Select[Any]:
    state = _state(filters, today, notice_days).label("state")
    query: Any = select(Agreement, state).where(*_conditions(filters, today, notice_days))
    return query  # type: ignore[no-any-return]


def list_agreements(
    session: Session,
    filters: RegisterFilter,
    today: dt.date,
    notice_days: int,
    *,
    sort: str = "reference",
    descending: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """One page of RegisterRow, its state computed in SQL; unknown sorts use reference."""
    query = _query(filters, today, notice_days)
    # Counted on the bare table: the state and the columns are only needed for the page.
    count = select(func.count(Agreement.id)).where(*_conditions(filters, today, notice_days))
    total = session.scalar(count) or 0
    columns = SORTS.get(sort, SORTS["reference"])
    order = [c.desc() for c in columns] if descending else list(columns)
    page = max(page, 1)
    rows = session.execute(
        query.order_by(*order).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page([RegisterRow(a, AgreementState(s)) for a, s in rows], page, per_page, total)


EXPORT_COLUMNS = (
    "reference",
    "version",
    "title",
    "lead organisation",
    "parties",
    "state",
    "lawful basis",
    "special category",
    "start",
    "review",
    "end",
    "terminated",
)


def export_csv(
    session: Session, filters: RegisterFilter, today: dt.date, notice_days: int
) -> Iterator[str]:
    """The filtered register as CSV lines, streamed in batches, parties eager-loaded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    query = (
        _query(filters, today, notice_days)
        .order_by(Agreement.reference, Agreement.revision)
        .options(selectinload(Agreement.parties))
        .execution_options(yield_per=500)
    )
    for agreement, state in session.execute(query):
        writer.writerow(
            [
                safe_cell(v)
                for v in (
                    agreement.reference,
                    agreement.revision,
                    agreement.title,
                    agreement.owner.name,
                    "; ".join(p.organisation.name for p in agreement.parties),
                    AgreementState(state).label,
                    agreement.lawful_basis,
                    "yes" if agreement.is_special_category else "no",
                    agreement.starts_on,
                    agreement.review_on,
                    agreement.ends_on,
                    agreement.terminated_on,
                )
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


_STATE_COUNTS = select(BOUND_STATE, func.count()).select_from(Agreement).group_by(BOUND_STATE)


def state_counts(
    session: Session, organisation_id: int | None, today: dt.date, notice_days: int
) -> dict[AgreementState, int]:
    """How many agreements are in each state (for one partner, or all)."""
    query = _STATE_COUNTS
    if organisation_id is not None:
        query = query.where(Agreement.id.in_(_party_to(organisation_id)))
    counts = dict.fromkeys(AgreementState, 0)
    for key, count in session.execute(query, state_params(today, notice_days)).all():
        counts[AgreementState(key)] = count
    return counts


def _open() -> list[Any]:
    return [
        Agreement.terminated_on.is_(None),
        ~select(LATER.id).where(LATER.supersedes_id == Agreement.id).exists(),
    ]


@dataclass(frozen=True)
class CalendarMonth:
    first_day: dt.date
    last_day: dt.date
    reviews: int
    endings: int


def _between(per_day: Any, start: dt.date, stop: dt.date) -> int:
    return sum(count for day, count in per_day if start <= day < stop)


def calendar(session: Session, today: dt.date, months: int = 12) -> list[CalendarMonth]:
    """How many open agreements fall due for review, and end, in each of the coming
    months (from today): counted per day in SQL over the date indexes, summed per month."""
    firsts = [today]
    year, month = today.year, today.month
    for _ in range(months):
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        firsts.append(dt.date(year, month, 1))
    last = firsts[-1] - dt.timedelta(days=1)
    totals = []
    for column in (Agreement.review_on, Agreement.ends_on):
        per_day = session.execute(
            select(column, func.count())
            .where(*_open(), column.between(today, last))
            .group_by(column)
        ).all()
        totals.append([_between(per_day, firsts[i], firsts[i + 1]) for i in range(months)])
    return [
        CalendarMonth(firsts[i], firsts[i + 1] - dt.timedelta(days=1), totals[0][i], totals[1][i])
        for i in range(months)
    ]


def categories_in_force(
    session: Session, organisation_id: int, today: dt.date, notice_days: int
) -> list[str]:
    """The kinds of data the partner may receive today under agreements in force."""
    state = state_sql(today, notice_days)
    query = (
        select(AgreementCategory.category)
        .join(Agreement, Agreement.id == AgreementCategory.agreement_id)
        .join(AgreementParty, AgreementParty.agreement_id == Agreement.id)
        .where(AgreementParty.organisation_id == organisation_id)
        .where(state.in_([s.value for s in IN_FORCE]))
        .distinct()
        .order_by(AgreementCategory.category)
    )
    return list(session.scalars(query))

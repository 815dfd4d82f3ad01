"""The agreement register: filtered, sorted, paged lists, partner views, CSV, calendar."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, exists, func, literal, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from ig.audit.service import Page
from ig.sharing.models import Agreement, AgreementCategory, AgreementParty
from ig.sharing.rules import IN_FORCE, AgreementState, review_threshold
from ig.sharing.service import Deadline, list_agreement_deadlines


def state_sql(today: dt.date, notice_days: int) -> ColumnElement[str]:
    """rules.agreement_state as one SQL expression, so the register filters on it."""
    a = Agreement
    return case(
        (a.terminated_on.is_not(None), literal(AgreementState.TERMINATED.value)),
        (a.ends_on < today, literal(AgreementState.EXPIRED.value)),
        (a.signed_count == 0, literal(AgreementState.DRAFT.value)),
        (a.signed_count < a.party_count, literal(AgreementState.AWAITING_SIGNATURES.value)),
        (a.starts_on > today, literal(AgreementState.SIGNED_NOT_STARTED.value)),
        (
            a.review_on <= review_threshold(today, notice_days),
            literal(AgreementState.REVIEW_DUE.value),
        ),
        else_=literal(AgreementState.ACTIVE.value),
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


def _query(filters: RegisterFilter, today: dt.date, notice_days: int) -> Select[Any]:
    state = state_sql(today, notice_days)
    query: Any = select(Agreement, state.label("state"))
    if filters.organisation_id is not None:
        query = query.where(
            exists().where(
                AgreementParty.agreement_id == Agreement.id,
                AgreementParty.organisation_id == filters.organisation_id,
            )
        )
    if filters.state is not None:
        query = query.where(state == filters.state.value)
    if filters.lawful_basis:
        query = query.where(Agreement.lawful_basis == filters.lawful_basis)
    for column, low, high in (
        (Agreement.review_on, filters.review_from, filters.review_to),
        (Agreement.ends_on, filters.end_from, filters.end_to),
    ):
        if low is not None:
            query = query.where(column >= low)
        if high is not None:
            query = query.where(column <= high)
    if filters.search:
        text = filters.search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(
            Agreement.reference.ilike(f"%{text}%", escape="\\")
            | Agreement.title.ilike(f"%{text}%", escape="\\")
        )
    return query


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
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
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


def _safe(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


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
                _safe(v)
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


def state_counts(
    session: Session, organisation_id: int | None, today: dt.date, notice_days: int
) -> dict[AgreementState, int]:
    """How many agreements are in each state (for one partner, or all)."""
    state = state_sql(today, notice_days)
    query = select(state, func.count()).select_from(Agreement).group_by(state)
    if organisation_id is not None:
        query = query.where(
            exists().where(
                AgreementParty.agreement_id == Agreement.id,
                AgreementParty.organisation_id == organisation_id,
            )
        )
    counts = dict.fromkeys(AgreementState, 0)
    for key, count in session.execute(query).all():
        counts[AgreementState(key)] = count
    return counts


@dataclass(frozen=True)
class CalendarMonth:
    first_day: dt.date
    deadlines: list[Deadline]


def calendar(session: Session, today: dt.date, months: int = 12) -> list[CalendarMonth]:
    """Reviews and ends from today for ``months`` months, grouped by month (empty ones too)."""
    year, month = today.year, today.month
    firsts = []
    for _ in range(months + 1):
        firsts.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    deadlines = list_agreement_deadlines(session, today, firsts[-1] - dt.timedelta(days=1))
    result = [CalendarMonth(first, []) for first in firsts[:-1]]
    for deadline in deadlines:
        index = (deadline.due_on.year - today.year) * 12 + deadline.due_on.month - today.month
        result[index].deadlines.append(deadline)
    return result


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

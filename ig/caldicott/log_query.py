"""The SQL of the decision log's lists: what a list asks for (LogFilter), the metadata-only
load, its filters and sort orders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.orm import defer

from ig.auth.rules import Actor
from ig.bounds import FIRST_DATE, LAST_DATE
from ig.caldicott import rules
from ig.caldicott.models import CaldicottDecision, CaldicottRequest, RequestStatus
from ig.caldicott.policy import CaldicottPolicy
from ig.feature import ReportPeriod


@dataclass(frozen=True)
class LogFilter:
    """What the log was asked to show; every field optional."""

    status: str | None = None
    request_type: str | None = None
    outcome: str | None = None
    organisation_id: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    decided_from: dt.date | None = None  # first decided (signed) from / to
    decided_to: dt.date | None = None
    awaiting_on: dt.date | None = None  # received by then, with no decision signed by then
    first_outcome: str | None = None  # the outcome of the first signed decision
    on_time: bool = False  # first decided by the date the requester needed it
    sort: str = "received"
    descending: bool = True


SORTS = {
    "received": (CaldicottRequest.received_on,),
    "needed_by": (CaldicottRequest.needed_by,),
    "reference": (CaldicottRequest.year, CaldicottRequest.serial),
    "decided": (CaldicottRequest.decided_at,),
    "review": (CaldicottRequest.review_on,),
}
NULLABLE_SORTS = ("decided", "review")
# The encrypted columns, never read by a list: their values are not needed and each
# would cost a decryption per row.
METADATA_ONLY = [
    defer(CaldicottRequest.purpose, raiseload=True),
    defer(CaldicottRequest.information, raiseload=True),
    defer(CaldicottRequest.case_details, raiseload=True),
]


def dates(start: dt.date | None, end: dt.date | None) -> ReportPeriod:
    """The log's from / to filter as a period as now known (either end open)."""
    return ReportPeriod(start or FIRST_DATE, end or LAST_DATE, None)


def received_in(period: ReportPeriod) -> list[Any]:
    """Requests received in ``period``, logged by its cut-off."""
    return [
        CaldicottRequest.received_on >= period.start,
        CaldicottRequest.received_on <= period.end,
        period.known(CaldicottRequest.created_at),
    ]


def first_decided_in(period: ReportPeriod) -> list[Any]:
    """A request's first decision (its version 1), signed in ``period`` and known by its
    cut-off: a condition on CaldicottDecision rows."""
    return [
        CaldicottDecision.number == 1,
        CaldicottDecision.signed_at >= period.start_at,
        CaldicottDecision.signed_at < period.end_at,
        period.known(CaldicottDecision.signed_at),
    ]


def first_outcome(outcome: str) -> list[Any]:
    """A request's first decision, with ``outcome``: a condition on CaldicottDecision rows."""
    return [CaldicottDecision.number == 1, CaldicottDecision.outcome == outcome]


def decided_by_needed() -> ColumnElement[bool]:
    """Requests first decided on or before the date the requester needed the decision."""
    return CaldicottRequest.first_decided_on <= CaldicottRequest.needed_by


def awaiting_at_end(period: ReportPeriod) -> ColumnElement[bool]:
    """Requests received by the end of ``period`` with no decision signed by then, each
    fact known by its cut-off."""
    signed_by_end = exists().where(
        CaldicottDecision.request_id == CaldicottRequest.id,
        CaldicottDecision.signed_at < period.end_at,
        period.known(CaldicottDecision.signed_at),
    )
    return and_(
        CaldicottRequest.received_on <= period.end,
        period.known(CaldicottRequest.created_at),
        ~signed_by_end,
    )


def _dated(filters: LogFilter) -> list[Any]:
    where: list[Any] = []
    if filters.received_from or filters.received_to:
        where += received_in(dates(filters.received_from, filters.received_to))
    decided = []
    if filters.decided_from or filters.decided_to:
        decided += first_decided_in(dates(filters.decided_from, filters.decided_to))
    if filters.first_outcome:
        decided += first_outcome(filters.first_outcome)
    if decided:
        where.append(exists().where(CaldicottDecision.request_id == CaldicottRequest.id, *decided))
    if filters.on_time:
        where.append(decided_by_needed())
    if filters.awaiting_on:
        where.append(awaiting_at_end(dates(filters.awaiting_on, filters.awaiting_on)))
    return where


def review_cutoff(policy: CaldicottPolicy, today: dt.date) -> dt.date:
    """Decided requests whose review falls on or before this date are due for review."""
    return today + dt.timedelta(days=policy.review_lead_days)


def _where_status(query: Select[Any], status: str, cutoff: dt.date) -> Select[Any]:
    due = and_(
        CaldicottRequest.status == RequestStatus.DECIDED, CaldicottRequest.review_on <= cutoff
    )
    if status == rules.DUE_FOR_REVIEW:
        return query.where(due)
    if status == RequestStatus.DECIDED:
        return query.where(
            CaldicottRequest.status == RequestStatus.DECIDED,
            or_(CaldicottRequest.review_on.is_(None), CaldicottRequest.review_on > cutoff),
        )
    return query.where(CaldicottRequest.status == status)


def filtered(
    actor: Actor, policy: CaldicottPolicy, filters: LogFilter, today: dt.date
) -> Select[Any]:
    """The requests ``filters`` asks for (only one's own without caldicott.read)."""
    query = select(CaldicottRequest).options(*METADATA_ONLY)
    if not actor.can("caldicott.read"):
        query = query.where(CaldicottRequest.raised_by_id == actor.user_id)
    if filters.status:
        query = _where_status(query, filters.status, review_cutoff(policy, today))
    if filters.request_type:
        query = query.where(CaldicottRequest.request_type == filters.request_type)
    if filters.outcome:
        query = query.where(CaldicottRequest.outcome == filters.outcome)
    if filters.organisation_id:
        query = query.where(CaldicottRequest.organisation_id == filters.organisation_id)
    return query.where(*_dated(filters))


def ordered(query: Select[Any], filters: LogFilter) -> Select[Any]:
    """``query`` in the order ``filters`` asks for, with the id as the tie-break."""
    columns = SORTS.get(filters.sort, SORTS["received"])
    order = [c.desc() if filters.descending else c.asc() for c in columns]
    if filters.sort in NULLABLE_SORTS:
        # Undecided requests last either way, on SQLite and PostgreSQL alike.
        order = [term.nulls_last() for term in order]
    tiebreak = CaldicottRequest.id.desc() if filters.descending else CaldicottRequest.id.asc()
    return query.order_by(*order, tiebreak)

"""The SQL of the decision log's lists: what a list asks for (LogFilter), the metadata-only
load, its filters and sort orders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import defer

from ig.auth.rules import Actor
from ig.caldicott import rules
from ig.caldicott.models import CaldicottRequest, RequestStatus
from ig.caldicott.policy import CaldicottPolicy


@dataclass(frozen=True)
class LogFilter:
    """What the log was asked to show; every field optional."""

    status: str | None = None
    request_type: str | None = None
    outcome: str | None = None
    organisation_id: int | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
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
    if filters.received_from:
        query = query.where(CaldicottRequest.received_on >= filters.received_from)
    if filters.received_to:
        query = query.where(CaldicottRequest.received_on <= filters.received_to)
    return query


def ordered(query: Select[Any], filters: LogFilter) -> Select[Any]:
    """``query`` in the order ``filters`` asks for, with the id as the tie-break."""
    columns = SORTS.get(filters.sort, SORTS["received"])
    order = [c.desc() if filters.descending else c.asc() for c in columns]
    if filters.sort in NULLABLE_SORTS:
        # Undecided requests last either way, on SQLite and PostgreSQL alike.
        order = [term.nulls_last() for term in order]
    tiebreak = CaldicottRequest.id.desc() if filters.descending else CaldicottRequest.id.asc()
    return query.order_by(*order, tiebreak)

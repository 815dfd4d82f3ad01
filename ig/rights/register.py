"""The information rights register: filtered and paged in SQL, the most urgent first."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.orm import Session

from ig.audit.recorded import detail_date_between, was_recorded
from ig.audit.service import Page
from ig.rights.models import Outcome, RequestStatus, RightsRequest
from ig.rights.policy import Family, RightsPolicy

PER_PAGE = 25


class State(enum.StrEnum):
    """What the register's state filter picks."""

    OPEN = "open"  # open or paused
    OVERDUE = "overdue"
    PAUSED = "paused"
    CLOSED = "closed"
    ANSWERED = "answered"  # closed with a response, not withdrawn


STATE_LABELS = {
    State.OPEN: "Open (including paused)",
    State.OVERDUE: "Overdue",
    State.PAUSED: "Paused",
    State.CLOSED: "Closed",
    State.ANSWERED: "Answered (closed, not withdrawn)",
}
# The regimes the IG report's on-time percentages gather kinds of request into.
REGIMES = {
    "rights": ("Data protection rights", (Family.DATA_PROTECTION,)),
    "foi_eir": ("FOI and EIR", (Family.FOI, Family.EIR)),
}
# A change to the clock, as its audit entry records it: the action and its date's key.
CLOCK_CHANGES = {
    "paused": ("rights.paused", "started_on"),
    "extended": ("rights.extended", "told_on"),
}


@dataclass(frozen=True)
class RequestFilter:
    type_key: str | None = None
    state: State | None = None
    handler_user_id: int | None = None  # the "mine" filter: requests this user handles
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    sent_from: dt.date | None = None  # the response sent (or the request withdrawn)
    sent_to: dt.date | None = None
    type_keys: tuple[str, ...] | None = None  # one of these kinds (a regime's)
    paused_from: dt.date | None = None  # the clock stopped from / to these days
    paused_to: dt.date | None = None
    extended_from: dt.date | None = None  # the requester told of an extension from / to
    extended_to: dt.date | None = None


def regime_keys(policy: RightsPolicy, regime: str) -> list[str]:
    """The kinds of request of the regime ``regime`` (a key of REGIMES)."""
    families = REGIMES[regime][1]
    return [key for key, kind in policy.types.items() if kind.family in families]


def answered_clause() -> ColumnElement[bool]:
    """A closed request answered rather than withdrawn."""
    return RightsRequest.outcome != Outcome.WITHDRAWN


def clock_changed(
    change: str, start: dt.date | None, end: dt.date | None, cutoff: dt.datetime | None = None
) -> ColumnElement[bool]:
    """The request's clock was paused (``change`` "paused": stopped) or its deadline
    extended (the requester told) from ``start`` to ``end`` (either None: open), as its
    audit trail records at or before ``cutoff`` (None: ever)."""
    action, day = CLOCK_CHANGES[change]
    dated = detail_date_between(day, start, end)
    return was_recorded("rights_request", RightsRequest.id, [action], cutoff, dated)


def _state(state: State, today: dt.date) -> ColumnElement[bool]:
    conditions = {
        State.OPEN: RightsRequest.status != RequestStatus.CLOSED,
        # A paused clock is not running out: not overdue while it stands still.
        State.OVERDUE: (RightsRequest.status == RequestStatus.OPEN)
        & (RightsRequest.due_on < today),
        State.PAUSED: RightsRequest.status == RequestStatus.PAUSED,
        State.CLOSED: RightsRequest.status == RequestStatus.CLOSED,
        State.ANSWERED: (RightsRequest.status == RequestStatus.CLOSED) & answered_clause(),
    }
    return conditions[state]


def _filtered(filters: RequestFilter, today: dt.date) -> Select[Any]:
    query = select(RightsRequest)
    if filters.type_key:
        query = query.where(RightsRequest.type_key == filters.type_key)
    if filters.state:
        query = query.where(_state(filters.state, today))
    if filters.type_keys is not None:
        query = query.where(RightsRequest.type_key.in_(filters.type_keys))
    if filters.handler_user_id is not None:
        query = query.where(RightsRequest.handler_user_id == filters.handler_user_id)
    for change, low, high in (
        ("paused", filters.paused_from, filters.paused_to),
        ("extended", filters.extended_from, filters.extended_to),
    ):
        if low is not None or high is not None:
            query = query.where(clock_changed(change, low, high))
    for column, low, high in (
        (RightsRequest.received_on, filters.received_from, filters.received_to),
        (RightsRequest.response_sent_on, filters.sent_from, filters.sent_to),
    ):
        if low is not None:
            query = query.where(column >= low)
        if high is not None:
            query = query.where(column <= high)
    return query


def _most_urgent_first(query: Select[Any]) -> Select[Any]:
    """Open ones first, the soonest deadline (so the most overdue) first; then closed
    ones, the latest sent first."""
    is_closed = case((RightsRequest.status == RequestStatus.CLOSED, 1), else_=0)
    closed_order = case(
        (RightsRequest.status == RequestStatus.CLOSED, RightsRequest.response_sent_on)
    )
    return query.order_by(is_closed, closed_order.desc(), RightsRequest.due_on, RightsRequest.id)


def list_requests(
    session: Session,
    filters: RequestFilter,
    today: dt.date,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """One page of the requests matching ``filters``, the most urgent first."""
    query = _filtered(filters, today)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(page, 1)
    ordered = _most_urgent_first(query).limit(per_page).offset((page - 1) * per_page)
    return Page(list(session.scalars(ordered)), page, per_page, total)


def export_requests(
    session: Session, filters: RequestFilter, today: dt.date
) -> list[RightsRequest]:
    """Every request matching ``filters``, the most urgent first (for the CSV export)."""
    return list(session.scalars(_most_urgent_first(_filtered(filters, today))))

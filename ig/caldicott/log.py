"""The decision log's reads: its pages, export, the Guardian's queue and the annual-report
figures. Metadata only (log_query.METADATA_ONLY): no encrypted column is ever loaded here."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ig.audit.service import Page
from ig.auth.rules import Actor
from ig.caldicott import rules
from ig.caldicott.log_query import METADATA_ONLY, LogFilter, filtered, ordered, review_cutoff
from ig.caldicott.models import CaldicottRequest, RequestStatus
from ig.caldicott.policy import CaldicottPolicy


def list_log(
    session: Session,
    actor: Actor,
    policy: CaldicottPolicy,
    filters: LogFilter,
    today: dt.date,
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """One page of the log (only one's own requests without caldicott.read)."""
    query = filtered(actor, policy, filters, today)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, min(page, -(-total // per_page) or 1))
    rows = session.scalars(
        ordered(query, filters).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return Page(list(rows), page, per_page, total)


def iter_log(
    session: Session, actor: Actor, policy: CaldicottPolicy, filters: LogFilter, today: dt.date
) -> Iterator[CaldicottRequest]:
    """Every request matching ``filters``, in the log's order, fetched in batches."""
    query = ordered(filtered(actor, policy, filters, today), filters)
    yield from session.scalars(query.execution_options(yield_per=1000))


CSV_HEADER = [
    "Reference",
    "Received",
    "Requester",
    "Requester role",
    "Organisation",
    "Type",
    "Channel",
    "Urgency",
    "Needed by",
    "Status",
    "Outcome",
    "Decided",
    "Review date",
    "Signed versions",
    "Days to decision",
]


def safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_lines(
    requests: Iterable[CaldicottRequest], policy: CaldicottPolicy, today: dt.date
) -> Iterator[str]:
    """The log as CSV text, a line at a time (header first)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def emit(row: list[object]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(cell) for cell in row])
        return buffer.getvalue()

    yield emit(list(CSV_HEADER))
    for r in requests:
        status = rules.display_status(r.status, r.review_on, today, policy.review_lead_days)
        yield emit(
            [
                r.reference,
                r.received_on,
                r.requester_name,
                r.requester_role,
                r.organisation_name,
                policy.label("request_types", r.request_type),
                policy.label("channels", r.channel),
                policy.label("urgency", r.urgency),
                r.needed_by,
                rules.STATUS_LABELS[status],
                rules.OUTCOME_LABELS.get(r.outcome or "", ""),
                r.decided_at.date() if r.decided_at else "",
                r.review_on or "",
                r.signed_number,
                "" if r.days_to_decision is None else r.days_to_decision,
            ]
        )


@dataclass(frozen=True)
class Queue:
    """The Guardian's page: what awaits a decision, and reviews coming due."""

    awaiting_decision: list[CaldicottRequest]
    awaiting_decision_total: int
    awaiting_assessment_total: int
    reviews_due: list[CaldicottRequest]


def guardian_queue(
    session: Session, policy: CaldicottPolicy, today: dt.date, limit: int = 100
) -> Queue:
    """Requests awaiting decision, oldest first, and decided ones whose review is near."""
    waiting = (
        select(CaldicottRequest)
        .options(*METADATA_ONLY)
        .where(CaldicottRequest.status == RequestStatus.AWAITING_DECISION)
    )
    reviews = (
        select(CaldicottRequest)
        .options(*METADATA_ONLY)
        .where(
            CaldicottRequest.status == RequestStatus.DECIDED,
            CaldicottRequest.review_on <= review_cutoff(policy, today),
        )
    )
    counts = dict(
        session.execute(
            select(CaldicottRequest.status, func.count())
            .where(
                CaldicottRequest.status.in_(
                    [RequestStatus.AWAITING_ASSESSMENT, RequestStatus.AWAITING_DECISION]
                )
            )
            .group_by(CaldicottRequest.status)
        ).all()
    )
    return Queue(
        awaiting_decision=list(
            session.scalars(
                waiting.order_by(CaldicottRequest.received_on, CaldicottRequest.id).limit(limit)
            )
        ),
        awaiting_decision_total=counts.get(RequestStatus.AWAITING_DECISION, 0),
        awaiting_assessment_total=counts.get(RequestStatus.AWAITING_ASSESSMENT, 0),
        reviews_due=list(
            session.scalars(
                reviews.order_by(CaldicottRequest.review_on, CaldicottRequest.id).limit(limit)
            )
        ),
    )


@dataclass(frozen=True)
class Figures:
    """Annual-report figures for one financial year (April to March)."""

    starts: dt.date
    ends: dt.date
    by_type_and_outcome: list[tuple[str, str, int]]
    by_outcome: list[tuple[str, int]]
    timing_by_type: list[tuple[str, int, float, int, int]]
    total: int


def financial_year(today: dt.date) -> int:
    """The starting year of the financial year ``today`` falls in."""
    return today.year if today.month >= 4 else today.year - 1


def annual_figures(session: Session, year: int) -> Figures:
    """Decisions first made in the financial year starting April ``year``.

    Counted once each, with their current outcome; timing is days from receipt to the
    first signed decision, and how many were decided by the date they were needed.
    """
    starts, ends = dt.date(year, 4, 1), dt.date(year + 1, 4, 1)
    decided = (
        CaldicottRequest.first_decided_on >= starts,
        CaldicottRequest.first_decided_on < ends,
    )
    grid = session.execute(
        select(CaldicottRequest.request_type, CaldicottRequest.outcome, func.count())
        .where(*decided)
        .group_by(CaldicottRequest.request_type, CaldicottRequest.outcome)
        .order_by(CaldicottRequest.request_type, CaldicottRequest.outcome)
    ).all()
    on_time = func.sum(
        case((CaldicottRequest.first_decided_on <= CaldicottRequest.needed_by, 1), else_=0)
    )
    timing = session.execute(
        select(
            CaldicottRequest.request_type,
            func.count(),
            func.avg(CaldicottRequest.days_to_decision),
            func.max(CaldicottRequest.days_to_decision),
            on_time,
        )
        .where(*decided)
        .group_by(CaldicottRequest.request_type)
        .order_by(CaldicottRequest.request_type)
    ).all()
    outcomes: dict[str, int] = {}
    for _type, outcome, count in grid:
        outcomes[str(outcome)] = outcomes.get(str(outcome), 0) + count
    return Figures(
        starts=starts,
        ends=ends,
        by_type_and_outcome=[(t, str(o), n) for t, o, n in grid],
        by_outcome=sorted(outcomes.items()),
        timing_by_type=[
            (t, n, float(a or 0), int(m or 0), int(s or 0)) for t, n, a, m, s in timing
        ],
        total=sum(n for _t, _o, n in grid),
    )


def api_row(request: CaldicottRequest, policy: CaldicottPolicy, today: dt.date) -> dict[str, Any]:
    """A request's metadata for reporting: never its encrypted detail."""
    return {
        "reference": request.reference,
        "received_on": request.received_on.isoformat(),
        "type": request.request_type,
        "channel": request.channel,
        "urgency": request.urgency,
        "organisation": {"id": request.organisation_id, "name": request.organisation_name},
        "data_categories": request.category_keys,
        "people_count": request.people_count,
        "includes_deceased": request.includes_deceased,
        "needed_by": request.needed_by.isoformat(),
        "status": rules.display_status(
            request.status, request.review_on, today, policy.review_lead_days
        ),
        "outcome": request.outcome.value if request.outcome else None,
        "decided_at": request.decided_at.isoformat() if request.decided_at else None,
        "review_on": request.review_on.isoformat() if request.review_on else None,
        "signed_versions": request.signed_number,
        "days_to_decision": request.days_to_decision,
    }

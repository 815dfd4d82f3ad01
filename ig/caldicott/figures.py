"""The Caldicott section of the IG report: requests, decisions, outcomes and timing.

A request counts from when it was logged, a decision from when it was signed: each only
if recorded by ``period.recorded_by`` (any time, for "as now known"). A decision's
outcome is that of its first signed version, which is never edited.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ig.caldicott.log_query import (
    awaiting_at_end,
    decided_by_needed,
    first_decided_in,
    received_in,
)
from ig.caldicott.models import CaldicottDecision, CaldicottRequest
from ig.caldicott.rules import OUTCOME_LABELS
from ig.feature import Figure, ReportPeriod, Section, date_boxes
from ig.policies import Policies

READ = "caldicott.read"


def _dates(period: ReportPeriod, name: str) -> dict[str, Any]:
    """The log's ``name`` from / to filter for the period (its three date boxes)."""
    return {f"{name}_from": date_boxes(period.start), f"{name}_to": date_boxes(period.end)}


def _awaiting(period: ReportPeriod) -> dict[str, Any]:
    """The log's "awaiting a decision on" filter for the period's last day."""
    return {"awaiting_on": date_boxes(period.end)}


def _first_decided(session: Session, period: ReportPeriod) -> list[Any]:
    """Per outcome of the first decisions signed in the period: (outcome, how many, their
    days to decision summed, how many by the date needed)."""
    on_time = func.count(case((decided_by_needed(), 1)))
    return list(
        session.execute(
            select(
                CaldicottDecision.outcome,
                func.count(),
                func.sum(CaldicottRequest.days_to_decision),
                on_time,
            )
            .join(CaldicottRequest, CaldicottRequest.id == CaldicottDecision.request_id)
            .where(*first_decided_in(period))
            .group_by(CaldicottDecision.outcome)
        ).all()
    )


def _decisions(session: Session, period: ReportPeriod) -> tuple[list[Figure], Figure, Figure]:
    rows = _first_decided(session, period)
    found = {str(outcome): n for outcome, n, _days, _on_time in rows}
    decided = sum(n for _o, n, _d, _t in rows)
    days = sum(int(d or 0) for _o, _n, d, _t in rows)
    by_outcome = [
        Figure(
            f"caldicott.outcome.{key}",
            label,
            found.get(key, 0),
            f"Caldicott requests first decided in the period with the outcome “{label}”.",
            group="Decisions by outcome",
            endpoint="caldicott.index",
            args={**_dates(period, "decided"), "first_outcome": key},
            permission=READ,
        )
        for key, label in OUTCOME_LABELS.items()
    ]
    average = Figure(
        "caldicott.days_to_decision",
        "Average days from receipt to decision",
        round(days / decided, 1) if decided else None,
        "The mean number of days from a request's receipt to its first signed decision, over "
        "the requests first decided in the period.",
        unit="days",
        counts_people=False,
        endpoint="caldicott.index",
        args=_dates(period, "decided"),
        permission=READ,
    )
    by_needed = Figure(
        "caldicott.decided_by_needed",
        "Decided by the date needed",
        sum(int(t or 0) for _o, _n, _d, t in rows),
        "Requests first decided in the period whose decision was signed on or before the date "
        "the requester needed it.",
        endpoint="caldicott.index",
        args={**_dates(period, "decided"), "on_time": "y"},
        permission=READ,
    )
    return by_outcome, average, by_needed


def _requests(session: Session, period: ReportPeriod) -> tuple[int, int]:
    """(requests received in the period, requests awaiting a decision at its end)."""
    received = session.scalar(
        select(func.count()).select_from(CaldicottRequest).where(*received_in(period))
    )
    awaiting = session.scalar(
        select(func.count()).select_from(CaldicottRequest).where(awaiting_at_end(period))
    )
    return received or 0, awaiting or 0


def caldicott_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The Caldicott section of the IG report for ``period``."""
    received, awaiting = _requests(session, period)
    by_outcome, average, by_needed = _decisions(session, period)
    decided = sum(int(f.value or 0) for f in by_outcome)
    figures = (
        Figure(
            "caldicott.received",
            "Requests received",
            received,
            "Requests to use or disclose confidential information received in the period.",
            endpoint="caldicott.index",
            args=_dates(period, "received"),
            permission=READ,
        ),
        Figure(
            "caldicott.decided",
            "Requests decided",
            decided,
            "Requests whose first decision the Caldicott Guardian (or deputy) signed in the "
            "period.",
            endpoint="caldicott.index",
            args=_dates(period, "decided"),
            permission=READ,
        ),
        *by_outcome,
        average,
        by_needed,
        Figure(
            "caldicott.awaiting",
            "Awaiting a decision at the end of the period",
            awaiting,
            "Requests received by the end of the period with no signed decision by then.",
            endpoint="caldicott.index",
            args=_awaiting(period),
            permission=READ,
        ),
    )
    return Section(
        "caldicott",
        "Caldicott decisions",
        figures,
        headline=("caldicott.received", "caldicott.days_to_decision"),
    )

"""The access section of the IG report: access recertified by line managers in the period,
and leavers' access removed in it or still held at its end.

Grants, removals and recertifications count from when the audit trail recorded them,
so a removal recorded after the report's ``recorded_by`` (even one dated back into the
period) leaves that access outstanding as recorded then, and removed as now known.
Leaving dates are those the HR import had recorded by then (ig.people.leavers). The
access removed and still held link to the access report's own filters for them, the
recertifications to their entries in the audit trail.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.access.models import AccessRequest
from ig.access.report import held_by_leaver, held_on, removed_between
from ig.audit.models import AuditEntry
from ig.audit.recorded import count_entries, day_end, day_start, entry_at_between
from ig.feature import Figure, ReportPeriod, Section, date_boxes
from ig.policies import Policies

RECORD = "access_request"


def _leavers(session: Session, period: ReportPeriod) -> tuple[int, int]:
    """(leavers' access removed in the period, leavers' access still held at its end)."""
    cutoff = period.recorded_by
    removed_in_period = removed_between(period.start, period.end, cutoff)
    query = (
        select(
            func.count().filter(removed_in_period),
            func.count().filter(held_on(period.end, cutoff)),
        )
        .select_from(AccessRequest)
        .where(held_by_leaver(period.end, cutoff), AccessRequest.granted_on.is_not(None))
    )
    removed, outstanding = session.execute(query).one()
    return removed, outstanding


def _held_on_end(period: ReportPeriod) -> dict[str, Any]:
    """The access report's filter: leavers' access held on the period's last day."""
    return {"on": date_boxes(period.end), "leavers": "y"}


def _removed_in(period: ReportPeriod) -> dict[str, Any]:
    """The access report's filter: leavers' access removed in the period."""
    return {
        "removed_from": date_boxes(period.start),
        "removed_to": date_boxes(period.end),
        "leavers": "y",
    }


def _recertifications(period: ReportPeriod) -> dict[str, Any]:
    """The audit trail's filter: the recertification entries written in the period."""
    return {
        "record_type": RECORD,
        "action": "access.recertified",
        "date_from": date_boxes(period.start),
        "date_to": date_boxes(period.end),
    }


def _recertified(session: Session, period: ReportPeriod) -> int:
    during = entry_at_between(day_start(period.start), day_end(period.end))
    query = count_entries("access.recertified", period.recorded_by, during, distinct_records=False)
    return session.scalar(query.where(AuditEntry.record_type == RECORD)) or 0


def access_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The access section for ``period`` (two queries)."""
    removed, outstanding = _leavers(session, period)
    figures = (
        Figure(
            "access.recertified",
            "Access recertified",
            _recertified(session, period),
            "Grants of access to a system that a line manager confirmed, in the period, "
            "were still needed (each recertification counted once).",
            counts_people=False,
            endpoint="audit.index",
            args=_recertifications(period),
            permission="audit.read",
        ),
        Figure(
            "access.leavers_removed",
            "Leavers' access removed",
            removed,
            "Grants of access held by staff who had left, recorded as removed with a "
            "removal date in the period.",
            group="Leavers",
            endpoint="access.report",
            args=_removed_in(period),
            permission="access.report",
        ),
        Figure(
            "access.leavers_outstanding",
            "Leavers' access still held at the period's end",
            outstanding,
            "Grants of access still held on the last day of the period by staff who had "
            "left by then.",
            group="Leavers",
            target=0,
            endpoint="access.report",
            args=_held_on_end(period),
            permission="access.report",
        ),
    )
    return Section(
        "access",
        "Access to systems",
        figures,
        headline=("access.recertified", "access.leavers_outstanding"),
    )

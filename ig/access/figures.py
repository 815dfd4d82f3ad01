"""The access section of the IG report: access recertified by line managers in the period,
and leavers' access removed in it or still held at its end.

Grants, removals and recertifications count from when the audit trail recorded them,
so a removal recorded after the report's ``recorded_by`` (even one dated back into the
period) leaves that access outstanding as recorded then, and removed as now known.
Leaving dates come from the HR staff register, which keeps no time of recording: a
leaver recorded late changes the figures as recorded then too.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ig.access.models import AccessRequest
from ig.audit.models import AuditEntry
from ig.audit.recorded import count_entries, day_end, day_start, entry_at_between, was_recorded
from ig.feature import Figure, ReportPeriod, Section
from ig.people.models import Staff
from ig.policies import Policies

RECORD = "access_request"


def _removed_by(period: ReportPeriod) -> ColumnElement[bool]:
    """Removal dated on or before the period's last day, and recorded by the cut-off."""
    recorded = was_recorded(RECORD, AccessRequest.id, ["access.removed"], period.recorded_by)
    return (AccessRequest.removed_on <= period.end) & recorded


def _leavers(session: Session, period: ReportPeriod) -> tuple[int, int]:
    """(leavers' access removed in the period, leavers' access still held at its end)."""
    granted = was_recorded(RECORD, AccessRequest.id, ["access.granted"], period.recorded_by)
    removed_in_period = (AccessRequest.removed_on >= period.start) & _removed_by(period)
    still_held = (AccessRequest.granted_on <= period.end) & granted & ~_removed_by(period)
    query = (
        select(
            func.count().filter(removed_in_period),
            func.count().filter(still_held),
        )
        .select_from(AccessRequest)
        .join(Staff, Staff.id == AccessRequest.staff_id)
        .where(Staff.left_on <= period.end, AccessRequest.granted_on.is_not(None))
    )
    removed, outstanding = session.execute(query).one()
    return removed, outstanding


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
        ),
        Figure(
            "access.leavers_removed",
            "Leavers' access removed",
            removed,
            "Grants of access held by staff who had left, recorded as removed with a "
            "removal date in the period.",
            group="Leavers",
        ),
        Figure(
            "access.leavers_outstanding",
            "Leavers' access still held at the period's end",
            outstanding,
            "Grants of access still held on the last day of the period by staff who had "
            "left by then.",
            group="Leavers",
            target=0,
        ),
    )
    return Section(
        "access",
        "Access to systems",
        figures,
        headline=("access.recertified", "access.leavers_outstanding"),
    )

"""The IG report's figure for incident actions overdue at the end of a period, and its
condition, which the list of actions filters by."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.feature import Figure, ReportPeriod, date_boxes
from ig.incidents.action_models import ActionStatus, IncidentAction
from ig.incidents.models import Incident

ACCEPTED = "incident.action_accepted"


def _accepted(period: ReportPeriod) -> Any:
    """The action had been accepted as it stands (not to be done), as recorded then: an
    entry accepting it by then; or, where no entry ever did (actions from before the
    trail recorded it), its status now (value_then's rule)."""
    accepted = IncidentAction.status == ActionStatus.ACCEPTED
    if period.recorded_by is None:
        return accepted

    def recorded(*where: Any) -> Any:
        # The (incident, action) pairs the trail records as accepted: one set, looked up
        # by hash, rather than a look-up in the trail per action.
        pairs = (
            select(Incident.id, AuditEntry.detail["action_id"].as_integer())
            .join(Incident, Incident.reference == AuditEntry.record_id)
            .where(
                AuditEntry.record_type == "incident",
                AuditEntry.action == ACCEPTED,
                AuditEntry.detail["action_id"].as_string().is_not(None),
                *where,
            )
            .correlate(None)  # the action list joins the incidents too: not those
        )
        return tuple_(IncidentAction.incident_id, IncidentAction.id).in_(pairs)

    return recorded(AuditEntry.at <= period.recorded_by) | (accepted & ~recorded())


def overdue_at_end(period: ReportPeriod) -> list[Any]:
    """Actions past their due date and neither done nor accepted at the period's end: the
    figure's condition, and the action list's "overdue at the end of" a day (a period of
    that one day, as now known)."""
    # Actions carry no time of recording: they count once their incident had been reported.
    reported = select(Incident.id).where(Incident.reported_at < period.counted_until)
    return [
        IncidentAction.due_on <= period.end,
        or_(IncidentAction.completed_on.is_(None), IncidentAction.completed_on > period.end),
        ~_accepted(period),
        IncidentAction.incident_id.in_(reported),
    ]


def actions_overdue(session: Session, period: ReportPeriod) -> Figure:
    """Actions past their due date and not done at the period's end (one query)."""
    count = session.scalar(
        select(func.count()).select_from(IncidentAction).where(*overdue_at_end(period))
    )
    return Figure(
        "incidents.actions_overdue",
        "Actions overdue",
        count or 0,
        "Actions on incidents past their due date and not completed at the end of the period.",
        group="Actions",
        endpoint="incidents.actions",
        args={"overdue_on": date_boxes(period.end)},
        permission="incidents.read",
    )

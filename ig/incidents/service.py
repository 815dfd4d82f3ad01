"""Reporting, reading, triage and the record of an incident; its timeline entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.db import LONDON
from ig.errors import EditConflict, InvalidTransition, NotFound, ValidationFailed
from ig.incidents import ico_form, rules
from ig.incidents.access import can_see, require_manage
from ig.incidents.action_models import ActionStatus, IncidentAction
from ig.incidents.models import Answer, Impact, Incident, Kind, Likelihood, Recovery, Status
from ig.incidents.policy import IncidentsPolicy
from ig.incidents.timeline import log_event, status_detail
from ig.people.service import get_team


@dataclass(frozen=True)
class Report:
    """What a member of staff tells us on the short report form."""

    narrative: str
    occurred_at: dt.datetime
    found_at: dt.datetime
    team_id: int
    is_ongoing: bool


def _next_reference(session: Session, policy: IncidentsPolicy, year: int) -> tuple[int, str]:
    last = session.scalar(select(func.max(Incident.sequence)).where(Incident.year == year))
    sequence = (last or 0) + 1
    return sequence, f"{policy.reference_prefix}-{year}-{sequence:04d}"


def _check_report(session: Session, report: Report, now: dt.datetime) -> None:
    if not report.narrative.strip():
        raise ValidationFailed("narrative", "Describe what happened")
    if report.occurred_at > now:
        raise ValidationFailed("occurred_at", "When it happened must be in the past")
    if report.found_at > now:
        raise ValidationFailed("found_at", "When you found out must be in the past")
    if report.found_at < report.occurred_at:
        raise ValidationFailed("found_at", "When you found out must be after it happened")
    try:
        get_team(session, report.team_id)
    except NotFound:
        raise ValidationFailed("team_id", "Choose the team involved") from None


def report_incident(
    session: Session, actor: Actor, policy: IncidentsPolicy, report: Report, now: dt.datetime
) -> Incident:
    """Record a suspected incident reported by any member of staff.

    Raises ValidationFailed for an empty account, times in the future or out of order,
    or an unknown team.
    """
    _check_report(session, report, now)
    local = now.astimezone(LONDON)
    sequence, reference = _next_reference(session, policy, local.year)
    incident = Incident(
        reference=reference,
        year=local.year,
        sequence=sequence,
        month=local.strftime("%Y-%m"),
        status=Status.REPORTED,
        narrative=report.narrative.strip(),
        occurred_at=report.occurred_at,
        found_at=report.found_at,
        reported_at=now,
        team_id=report.team_id,
        is_ongoing=report.is_ongoing,
        # The clock runs before triage too: until triage confirms when the organisation
        # became aware, it runs from when the reporter found out (UK GDPR Art. 33(1);
        # a member of staff knowing is the organisation knowing).
        deadline_at=rules.notification_deadline(policy, report.found_at),
        reporter_id=actor.user_id,
        data_categories=[],
        people_categories=[],
    )
    session.add(incident)
    session.flush()
    log_event(
        session,
        actor,
        incident,
        "reported",
        "Reported by a member of staff",
        now,
        status_detail(incident),
    )
    return incident


def find_incident(session: Session, reference: str) -> Incident | None:
    """The incident with ``reference`` (case-insensitive), or None; no access check."""
    return session.scalar(select(Incident).where(Incident.reference == reference.strip().upper()))


def list_references(session: Session, references: Sequence[str]) -> set[str]:
    """Those of ``references`` (exactly as stored) that are incidents, in one query."""
    if not references:
        return set()
    query = select(Incident.reference).where(Incident.reference.in_(references))
    return set(session.scalars(query))


def get_incident(session: Session, actor: Actor, reference: str, full: bool = False) -> Incident:
    """The incident the actor may see; NotFound otherwise (no hint that it exists).

    ``full`` loads its staff, people, notifications, actions and timeline in a few
    queries rather than one per row.
    """
    query = select(Incident).where(Incident.reference == reference.strip().upper())
    if full:
        query = query.options(
            selectinload(Incident.staff_links),
            selectinload(Incident.affected),
            selectinload(Incident.notifications),
            selectinload(Incident.actions),
            selectinload(Incident.timeline),
        )
    incident = session.scalar(query)
    if incident is None or not can_see(actor, incident):
        raise NotFound(f"There is no incident {reference} that you can see")
    return incident


def note_detail_viewed(
    session: Session, actor: Actor, incident: Incident, purpose: str, now: dt.datetime
) -> None:
    """Audit that the actor read the incident's decrypted detail (the design requires it)."""
    record(
        session,
        actor,
        "incident.detail_viewed",
        "incident",
        incident.reference,
        {"purpose": purpose},
        at=now,
    )


def check_version(incident: Incident, version: int | None) -> None:
    """EditConflict if the form was loaded from an older version of the incident."""
    if version is not None and version != incident.version:
        raise EditConflict()


def triage_incident(
    session: Session,
    actor: Actor,
    policy: IncidentsPolicy,
    incident: Incident,
    kind: Kind,
    aware_at: dt.datetime,
    now: dt.datetime,
) -> None:
    """Confirm what the report is and when the organisation became aware; take ownership.

    Awareness starts the 72-hour clock (UK GDPR Art. 33(1)). "Not an incident" withdraws
    the report. Raises InvalidTransition unless the incident is newly reported.
    """
    require_manage(actor)
    if incident.status is not Status.REPORTED:
        raise InvalidTransition("Only a newly reported incident can be triaged")
    if aware_at > now:
        raise ValidationFailed("aware_at", "When the organisation became aware must be in the past")
    if aware_at < incident.occurred_at:
        raise ValidationFailed("aware_at", "Awareness cannot be before the incident happened")
    incident.kind = kind
    incident.aware_at = aware_at
    incident.owner_id = actor.user_id
    if kind is Kind.NOT_INCIDENT:
        incident.status = Status.WITHDRAWN
        incident.status_reason = "Not an incident (triage)"
    else:
        incident.status = Status.TRIAGED
        incident.deadline_at = rules.notification_deadline(policy, aware_at)
    session.flush()
    summary = f"Triaged as {kind.value.replace('_', ' ')}"
    log_event(session, actor, incident, "triaged", summary, now, status_detail(incident))


@dataclass(frozen=True)
class Details:
    """The IG team's record of the incident (the ICO breach report form's questions)."""

    incident_type: str
    is_confidentiality: bool
    is_integrity: bool
    is_availability: bool
    is_cyber: bool
    is_vulnerable: bool
    is_ongoing: bool
    data_categories: Sequence[str]
    people_categories: Sequence[str]
    people_count: int | None
    records_count: int | None
    others_told: str
    discovery: str
    containment: str
    consequences: str
    investigation_notes: str
    significant_likelihood: Likelihood | None = None
    org_impact: Impact | None = None
    impact_detail: str = ""
    recovery_time: Recovery | None = None
    preventative_measures: str = ""
    staff_guidance: Answer | None = None
    reported_before: Answer | None = None
    reported_before_detail: str = ""


def update_details(
    session: Session,
    actor: Actor,
    policy: IncidentsPolicy,
    incident: Incident,
    details: Details,
    version: int | None,
    now: dt.datetime,
) -> None:
    """Record or correct the incident's details; the timeline says which fields changed."""
    require_manage(actor)
    check_version(incident, version)
    if details.incident_type not in policy.types:
        raise ValidationFailed("incident_type", "Choose the type of incident")
    if not (details.is_confidentiality or details.is_integrity or details.is_availability):
        raise ValidationFailed(
            "cia", "Say whether confidentiality, integrity or availability was affected"
        )
    for field in ("data_categories", "people_categories"):
        known = getattr(policy, field)
        if any(code not in known for code in getattr(details, field)):
            raise ValidationFailed(field, "Choose from the categories listed")
    for field in ("people_count", "records_count"):
        if (getattr(details, field) or 0) < 0:
            raise ValidationFailed(field, "Enter a number of 0 or more")
    ico_form.check_cyber(
        policy.cyber_types,
        policy.types,
        details.incident_type,
        details.is_cyber,
        {field: getattr(details, field) for field in ico_form.CYBER_ANSWERS},
    )
    changed = []
    for field, value in vars(details).items():
        new = list(value) if field.endswith("categories") else value
        if getattr(incident, field) != new:
            setattr(incident, field, new)
            changed.append(field)
    if changed:
        session.flush()
        log_event(
            session,
            actor,
            incident,
            "details_updated",
            "Updated: " + ", ".join(changed),
            now,
            # The type is a code of the policy's: the report reads it as it stood then.
            {"fields": changed, "incident_type": incident.incident_type},
        )


# For the reminder engine (ig/incidents/reminders.py); these only build queries.


def open_actions_query() -> Any:
    """Open actions of incidents: id, incident reference, due_on, owner_id."""
    return (
        select(
            IncidentAction.id,
            Incident.reference,
            IncidentAction.due_on,
            IncidentAction.owner_id,
        )
        .join(Incident, Incident.id == IncidentAction.incident_id)
        .where(IncidentAction.status == ActionStatus.OPEN)
    )

"""The incident register and its actions as read-only feeds: facts, dates and counts only.

Narratives, the people affected and every other encrypted field stay out. The audit
trail records an incident's changes, its actions' included, against its reference.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ig.feature import Feed, FeedChanges, FeedColumn
from ig.incidents.action_models import IncidentAction
from ig.incidents.models import Incident
from ig.people.models import Team
from ig.policies import Policies

C = FeedColumn
# Reading detail, looking a person up and exporting change no incident.
VIEWS = ("incident.detail_viewed", "incident.person_looked_up", "incident.register_exported")


def _incidents(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    i = Incident
    return select(
        i.id,
        i.reference,
        i.status,
        i.kind,
        i.incident_type,
        i.is_confidentiality,
        i.is_integrity,
        i.is_availability,
        i.is_cyber,
        i.occurred_at,
        i.found_at,
        i.reported_at,
        i.aware_at,
        i.deadline_at,
        i.first_notified_at,
        i.hours_to_notify,
        i.closed_at,
        i.likelihood,
        i.severity,
        i.is_ico_notifiable,
        i.is_dhsc_notifiable,
        i.decided_not_to_notify,
        i.people_count,
        i.records_count,
        i.team_id,
        Team.name.label("team"),
    ).join(Team, Team.id == i.team_id)


INCIDENTS = Feed(
    "incidents",
    "Incidents and near misses",
    "incidents.read",
    (
        C("id", "integer", "the incident's number in ig"),
        C("reference", "string", "the incident's reference, such as INC-2026-0042"),
        C("status", "string", "reported, triaged, investigating, notified, closed, ..."),
        C("kind", "string", "breach, near_miss or not_incident (empty until triaged)"),
        C("incident_type", "string", "the type from policies/incidents.toml"),
        C("is_confidentiality", "boolean", "a confidentiality breach"),
        C("is_integrity", "boolean", "an integrity breach"),
        C("is_availability", "boolean", "an availability breach"),
        C("is_cyber", "boolean", "a cyber incident"),
        C("occurred_at", "datetime", "when it happened"),
        C("found_at", "datetime", "when it was found"),
        C("reported_at", "datetime", "when it was reported in ig"),
        C("aware_at", "datetime", "when the organisation became aware (the 72-hour clock)"),
        C("deadline_at", "datetime", "the ICO deadline, 72 hours after awareness"),
        C("first_notified_at", "datetime", "when the ICO was first notified"),
        C("hours_to_notify", "integer", "hours from awareness to notification"),
        C("closed_at", "datetime", "when it was closed"),
        C("likelihood", "integer", "graded likelihood (1 to 5)"),
        C("severity", "integer", "graded severity (1 to 5)"),
        C("is_ico_notifiable", "boolean", "reportable to the ICO"),
        C("is_dhsc_notifiable", "boolean", "reportable to DHSC"),
        C("decided_not_to_notify", "boolean", "decided not to notify the ICO"),
        C("people_count", "integer", "how many people's data"),
        C("records_count", "integer", "how many records"),
        C("team_id", "integer", "the team it happened in"),
        C("team", "string", "that team's name"),
    ),
    _incidents,
    FeedChanges(record_type="incident", key="reference", ignored=VIEWS),
)


def _actions(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    a = IncidentAction
    return select(
        a.id,
        a.incident_id,
        Incident.reference.label("incident_reference"),
        a.status,
        a.due_on,
        a.completed_on,
        a.owner_id,
        a.course_code,
    ).join(Incident, Incident.id == a.incident_id)


ACTIONS = Feed(
    "incident_actions",
    "Incident actions",
    "incidents.read",
    (
        C("id", "integer", "the action's number in ig"),
        C("incident_id", "integer", "the incident it belongs to"),
        C("incident_reference", "string", "that incident's reference"),
        C("status", "string", "open, done or accepted"),
        C("due_on", "date", "when it is due"),
        C("completed_on", "date", "when it was done"),
        C("owner_id", "integer", "the user who owns it"),
        C("course_code", "string", "the course a lesson learned assigns, if any"),
    ),
    _actions,
    # The trail records an action's changes on its incident ("incident.action_done"):
    # a change to one action returns every action of that incident.
    FeedChanges(record_type="incident", key="incident_reference", action_prefix="incident.action"),
)

"""The incident API: list and read what the caller may see, and report an incident.

Encrypted fields (narrative, notes, people affected) never leave through the API:
reporting tools get the register's facts, not case detail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, jsonify, request, url_for

from ig.api import endpoint
from ig.auth.access import current_actor
from ig.db import get_session, utcnow
from ig.errors import ValidationFailed
from ig.incidents import register, service
from ig.incidents.models import Incident, Status

SUMMARY = {
    "type": "object",
    "properties": {
        name: {"type": kind}
        for name, kind in [
            ("reference", "string"),
            ("status", "string"),
            ("kind", "string"),
            ("type", "string"),
            ("team", "string"),
            ("reported_at", "string"),
            ("aware_at", "string"),
            ("deadline_at", "string"),
            ("first_notified_at", "string"),
            ("likelihood", "integer"),
            ("severity", "integer"),
            ("ico_notifiable", "boolean"),
            ("dhsc_notifiable", "boolean"),
        ]
    },
}
PARAMETERS = [
    {"name": name, "in": "query", "required": False, "schema": schema, "description": text}
    for name, schema, text in [
        ("status", {"type": "string"}, "reported, triaged, investigating, notified, closed..."),
        ("type", {"type": "string"}, "incident type code from policies/incidents.toml"),
        ("team", {"type": "integer"}, "team id"),
        ("reference", {"type": "string"}, "reference, or its beginning"),
        ("page", {"type": "integer", "minimum": 1}, "page number"),
        ("per_page", {"type": "integer", "minimum": 1, "maximum": 500}, "rows a page"),
    ]
]
REPORT = {
    "type": "object",
    "required": ["narrative", "occurred_at", "found_at", "team_id"],
    "properties": {
        "narrative": {"type": "string"},
        "occurred_at": {"type": "string", "format": "date-time"},
        "found_at": {"type": "string", "format": "date-time"},
        "team_id": {"type": "integer"},
        "is_ongoing": {"type": "boolean"},
    },
}


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def summary(incident: Incident, team_name: str | None = None) -> dict[str, Any]:
    """An incident's register facts as JSON (no encrypted field)."""
    return {
        "reference": incident.reference,
        "status": incident.status.value,
        "kind": incident.kind.value if incident.kind else None,
        "type": incident.incident_type,
        "team": team_name,
        "reported_at": _iso(incident.reported_at),
        "aware_at": _iso(incident.aware_at),
        "deadline_at": _iso(incident.deadline_at),
        "first_notified_at": _iso(incident.first_notified_at),
        "likelihood": incident.likelihood,
        "severity": incident.severity,
        "ico_notifiable": incident.is_ico_notifiable,
        "dhsc_notifiable": incident.is_dhsc_notifiable,
    }


def _status() -> Status | None:
    value = request.args.get("status")
    if not value:
        return None
    try:
        return Status(value)
    except ValueError:
        raise ValidationFailed("status", f"status must be one of {', '.join(Status)}") from None


@endpoint(
    "/incidents",
    "GET",
    "The incidents the caller may see (all for the IG team, one's own reports otherwise)",
    "incidents.read_own",
    parameters=PARAMETERS,
    response={
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": SUMMARY},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "total": {"type": "integer"},
        },
    },
)
def incidents_list() -> Any:
    filters = register.RegisterFilter(
        status=_status(),
        incident_type=request.args.get("type") or None,
        team_id=request.args.get("team", type=int),
        reference=request.args.get("reference") or None,
    )
    per_page = min(max(request.args.get("per_page", 100, type=int) or 100, 1), 500)
    page = register.list_incidents(
        get_session(),
        current_actor(),
        filters,
        utcnow(),
        page=max(request.args.get("page", 1, type=int) or 1, 1),
        per_page=per_page,
    )
    items = [summary(incident, team) for incident, team in page.rows]
    return jsonify({"items": items, "page": page.page, "pages": page.pages, "total": page.total})


@endpoint(
    "/incidents/{ref}",
    "GET",
    "One incident, with its notifications and actions (never its encrypted detail)",
    "incidents.read_own",
    parameters=[{"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}}],
    response=SUMMARY,
)
def incidents_get(ref: str) -> Any:
    incident = service.get_incident(get_session(), current_actor(), ref, full=True)
    body = summary(incident)
    body["notifications"] = [
        {
            "regulator": n.regulator.value,
            "phase": n.phase.value,
            "sent_at": _iso(n.sent_at),
            "reference": n.external_reference,
        }
        for n in incident.notifications
    ]
    body["actions"] = [
        {"description": a.description, "due_on": a.due_on.isoformat(), "status": a.status.value}
        for a in incident.actions
    ]
    return jsonify(body)


def _instant(body: dict[str, Any], name: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(str(body.get(name, "")))
    except ValueError:
        raise ValidationFailed(name, f"{name} must be an ISO 8601 date and time") from None
    if value.tzinfo is None:
        raise ValidationFailed(name, f"{name} must include its UTC offset, like +01:00")
    return value.astimezone(dt.UTC)


@endpoint(
    "/incidents",
    "POST",
    "Report a suspected incident",
    "incidents.report",
    request_body=REPORT,
    response=SUMMARY,
)
def incidents_report() -> Any:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationFailed("body", "Send a JSON object")
    team_id = body.get("team_id")
    if not isinstance(team_id, int) or isinstance(team_id, bool):
        raise ValidationFailed("team_id", "team_id must be a team's id (a number)")
    report = service.Report(
        narrative=str(body.get("narrative") or ""),
        occurred_at=_instant(body, "occurred_at"),
        found_at=_instant(body, "found_at"),
        team_id=team_id,
        is_ongoing=body.get("is_ongoing") is True,
    )
    session = get_session()
    policy = current_app.extensions["ig.policies"].incidents
    incident = service.report_incident(session, current_actor(), policy, report, utcnow())
    session.commit()
    response = jsonify(summary(incident))
    response.status_code = 201
    response.headers["Location"] = url_for("api.incidents_get", ref=incident.reference)
    return response

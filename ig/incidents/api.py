"""The incident API: list and read what the caller may see, and report an incident.

Encrypted fields (narrative, notes, people affected) never leave through the API:
reporting tools get the register's facts, not case detail.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import current_app, jsonify, url_for

from ig import bounds
from ig.api import endpoint, params
from ig.api.body import read_json
from ig.auth.access import current_actor
from ig.db import get_session, utcnow
from ig.errors import NotFound, ValidationFailed
from ig.incidents import register, service
from ig.incidents.models import Incident, Status

NULLABLE = {"type": ["string", "null"]}
SUMMARY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "reference": {"type": "string"},
        "status": {"type": "string", "enum": [status.value for status in Status]},
        "kind": NULLABLE,
        "type": NULLABLE,
        "team": NULLABLE,
        "reported_at": {"type": "string", "format": "date-time"},
        "aware_at": {"type": ["string", "null"], "format": "date-time"},
        "deadline_at": {"type": ["string", "null"], "format": "date-time"},
        "first_notified_at": {"type": ["string", "null"], "format": "date-time"},
        "likelihood": {"type": ["integer", "null"]},
        "severity": {"type": ["integer", "null"]},
        "ico_notifiable": {"type": ["boolean", "null"]},
        "dhsc_notifiable": {"type": ["boolean", "null"]},
    },
}
DETAIL = {
    "type": "object",
    "properties": SUMMARY["properties"]
    | {
        "notifications": {"type": "array", "items": {"type": "object"}},
        "actions": {"type": "array", "items": {"type": "object"}},
    },
}
# A reference like IG-2026-0001, or its beginning.
REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$"
# An ISO 8601 date and time with its UTC offset, in the years 1900 to 2100.
INSTANT_PATTERN = (
    r"^(19[0-9]{2}|20[0-9]{2}|2100)-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-][01][0-9]:[0-5][0-9])$"
)
# The pattern alone (no "format"): a fuzzer generates from it quickly, and it says the range.
INSTANT = {
    "type": "string",
    "pattern": INSTANT_PATTERN,
    "description": "an ISO 8601 date and time with its UTC offset, in the years 1900 to 2100",
}


def _parameters() -> list[dict[str, Any]]:
    policy = current_app.extensions["ig.policies"].incidents
    return [
        params.param("status", params.choice_schema(Status), "reported, triaged, closed..."),
        params.param("type", params.choice_schema(policy.types), "incident type code"),
        params.param("team", params.integer_schema(), "team id"),
        params.param(
            "reference",
            {"type": "string", "pattern": REFERENCE_PATTERN},
            "reference, or its beginning",
        ),
        params.param("page", params.integer_schema(maximum=params.MAX_PAGE), "page number"),
        params.param("per_page", params.integer_schema(maximum=500), "rows a page"),
    ]


REPORT = {
    "type": "object",
    "required": ["narrative", "occurred_at", "found_at", "team_id"],
    "properties": {
        "narrative": {"type": "string", "minLength": 1, "maxLength": bounds.LONG_TEXT},
        "occurred_at": INSTANT,
        "found_at": INSTANT,
        "team_id": params.integer_schema(),
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


@endpoint(
    "/incidents",
    "GET",
    "The incidents the caller may see (all for the IG team, one's own reports otherwise)",
    "incidents.read_own",
    parameters=_parameters,
    response=params.page_schema(SUMMARY),
)
def incidents_list() -> Any:
    status = params.choice("status", [s.value for s in Status])
    filters = register.RegisterFilter(
        status=Status(status) if status else None,
        incident_type=params.choice("type", current_app.extensions["ig.policies"].incidents.types),
        team_id=params.integer("team"),
        reference=params.text("reference", REFERENCE_PATTERN),
    )
    page = register.list_incidents(
        get_session(),
        current_actor(),
        filters,
        utcnow(),
        page=params.page_number(),
        per_page=params.integer("per_page", 100, maximum=500),
    )
    items = [summary(incident, team) for incident, team in page.rows]
    return jsonify({"items": items, "page": page.page, "pages": page.pages, "total": page.total})


@endpoint(
    "/incidents/{ref}",
    "GET",
    "One incident, with its notifications and actions (never its encrypted detail)",
    "incidents.read_own",
    parameters=[
        {
            "name": "ref",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": REFERENCE_PATTERN},
        }
    ],
    response=DETAIL,
)
def incidents_get(ref: str) -> Any:
    if not re.match(REFERENCE_PATTERN, ref):
        raise NotFound(f"No incident has the reference {ref[:40]!r}")
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
    text = body.get(name)
    message = f"{name} must be an ISO 8601 date and time with its UTC offset, like "
    message += "2026-03-27T14:30:00+00:00, in the years 1900 to 2100"
    if not isinstance(text, str) or not re.match(INSTANT_PATTERN, text):
        raise ValidationFailed(name, message)
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(name, message) from None
    if not bounds.is_date_in_range(value.astimezone(dt.UTC).date()):
        raise ValidationFailed(name, message)
    return value.astimezone(dt.UTC)


def _report(body: Any) -> service.Report:
    """The report in a JSON body, checked as the report form checks it."""
    if not isinstance(body, dict):
        raise ValidationFailed("body", "Send a JSON object")
    team_id = body.get("team_id")
    if (
        not isinstance(team_id, int)
        or isinstance(team_id, bool)
        or not 1 <= team_id <= params.MAX_ID
    ):
        raise ValidationFailed("team_id", "team_id must be a team's id (a number)")
    narrative = body.get("narrative")
    if not isinstance(narrative, str):
        raise ValidationFailed("narrative", "narrative must be text")
    problem = bounds.text_problem(narrative, bounds.LONG_TEXT)
    if problem is not None:
        raise ValidationFailed("narrative", f"narrative: {problem}")
    if not isinstance(body.get("is_ongoing", False), bool):
        raise ValidationFailed("is_ongoing", "is_ongoing must be true or false")
    return service.Report(
        narrative=narrative,
        occurred_at=_instant(body, "occurred_at"),
        found_at=_instant(body, "found_at"),
        team_id=team_id,
        is_ongoing=body.get("is_ongoing") is True,
    )


@endpoint(
    "/incidents",
    "POST",
    "Report a suspected incident",
    "incidents.report",
    request_body=REPORT,
    response=SUMMARY,
    status=201,
)
def incidents_report() -> Any:
    report = _report(read_json())
    session = get_session()
    policy = current_app.extensions["ig.policies"].incidents
    incident = service.report_incident(session, current_actor(), policy, report, utcnow())
    session.commit()
    response = jsonify(summary(incident))
    response.status_code = 201
    response.headers["Location"] = url_for("api.incidents_get", ref=incident.reference)
    return response

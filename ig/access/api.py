"""Approved access to information systems as JSON: GET /api/v1/access-grants and
/api/v1/access-grants/{id}, for reporting tools (access.report, as the access report).

The encrypted reasons (for asking, deciding and removing) stay out of the API, as the
other registers' free text does: reporting tools get who held what, and when.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify

from ig.access.grants import Grant, GrantFilter, find_grant, list_grants
from ig.access.rules import AccessStatus
from ig.api import endpoint, params
from ig.db import get_session
from ig.errors import NotFound

DATE = {"type": "string", "format": "date"}
MAYBE_DATE = {"type": ["string", "null"], "format": "date"}
MAYBE_INSTANT = {"type": ["string", "null"], "format": "date-time"}
SUMMARY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "staff": {"type": "object"},
        "asset": {"type": "object"},
        "level": {"type": "string"},
        "status": {"type": "string", "enum": [s.value for s in AccessStatus]},
        "requested_at": {"type": "string", "format": "date-time"},
        "decided_at": MAYBE_INSTANT,
        "granted_on": MAYBE_DATE,
        "removed_on": MAYBE_DATE,
        "recertify_by": MAYBE_DATE,
        "recertified_on": MAYBE_DATE,
    },
}
DETAIL: dict[str, Any] = {
    "type": "object",
    "properties": SUMMARY["properties"]
    | {
        "requested_by_user_id": {"type": "integer"},
        "decided_by_user_id": {"type": ["integer", "null"]},
        "granted_by_user_id": {"type": ["integer", "null"]},
        "removed_by_user_id": {"type": ["integer", "null"]},
        "recertified_by_user_id": {"type": ["integer", "null"]},
        "removal_asked_on": MAYBE_DATE,
    },
}


def _parameters() -> list[dict[str, Any]]:
    return [
        params.param("asset", params.integer_schema(), "the information asset's id"),
        params.param("team", params.integer_schema(), "the team's id (with the teams below)"),
        params.param("status", params.choice_schema(AccessStatus), "requested ... removed"),
        params.param("on", params.date_schema(), "held on this date (granted, not removed)"),
        params.param("page", params.integer_schema(maximum=params.MAX_PAGE), "page number"),
        params.param("per_page", params.integer_schema(maximum=500), "rows a page"),
    ]


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def summary(grant: Grant) -> dict[str, Any]:
    """A request's facts as JSON (no encrypted field)."""
    item, staff = grant.item, grant.item.staff
    return {
        "id": item.id,
        "staff": {
            "id": staff.id,
            "staff_number": staff.staff_number,
            "name": staff.name,
            "team": {"id": staff.team.id, "name": staff.team.name},
        },
        "asset": {"id": item.asset_id, "name": grant.asset_name},
        "level": item.level,
        "status": item.status.value,
        "requested_at": item.requested_at.isoformat(),
        "decided_at": _day(item.decided_at),
        "granted_on": _day(item.granted_on),
        "removed_on": _day(item.removed_on),
        "recertify_by": _day(item.recertify_by),
        "recertified_on": _day(item.recertified_on),
    }


@endpoint(
    "/access-grants",
    "GET",
    "Access to information systems, from request to removal, oldest first",
    "access.report",
    parameters=_parameters,
    response=params.page_schema(SUMMARY),
)
def access_list() -> Any:
    status = params.choice("status", [s.value for s in AccessStatus])
    filters = GrantFilter(
        asset_id=params.integer("asset"),
        team_id=params.integer("team"),
        status=AccessStatus(status) if status else None,
        held_on=params.date("on"),
    )
    page = list_grants(
        get_session(),
        filters,
        page=params.page_number(),
        per_page=params.integer("per_page", 100, maximum=500),
    )
    items = [summary(grant) for grant in page.rows]
    return jsonify({"items": items, "page": page.page, "pages": page.pages, "total": page.total})


@endpoint(
    "/access-grants/{grant_id}",
    "GET",
    "One member of staff's access to one information asset's system",
    "access.report",
    parameters=[
        {"name": "grant_id", "in": "path", "required": True, "schema": params.integer_schema()}
    ],
    response=DETAIL,
    not_found=True,
)
def access_get(grant_id: str) -> Any:
    number = params.path_id(grant_id)
    grant = find_grant(get_session(), number) if number is not None else None
    if grant is None:
        raise NotFound("There is no such access request")
    item = grant.item
    body = summary(grant)
    body["requested_by_user_id"] = item.requested_by_user_id
    body["decided_by_user_id"] = item.decided_by_user_id
    body["granted_by_user_id"] = item.granted_by_user_id
    body["removed_by_user_id"] = item.removed_by_user_id
    body["recertified_by_user_id"] = item.recertified_by_user_id
    body["removal_asked_on"] = _day(item.removal_asked_on)
    return jsonify(body)

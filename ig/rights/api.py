"""The information rights register as JSON: GET /api/v1/rights, for figures and
dashboards. Each request's clock and outcome only: the requester, their representative
and what they asked stay out of the API."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify

from ig.api import endpoint, params
from ig.db import get_session, london_today
from ig.rights import register
from ig.rights.models import Outcome
from ig.rights.policy import RightsPolicy
from ig.rights.presenter import Row, rows_of

ITEM: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "reference": {"type": "string"},
        "type": {"type": "string"},
        "type_label": {"type": "string"},
        "received_on": {"type": "string", "format": "date"},
        "due_on": {"type": "string", "format": "date"},
        "days_left": {"type": ["integer", "null"]},
        "paused_days": {"type": "integer"},
        "is_paused": {"type": "boolean"},
        "is_extended": {"type": "boolean"},
        "state": {"type": "string"},
        "outcome": {"type": ["string", "null"], "enum": [*(o.value for o in Outcome), None]},
        "response_sent_on": {"type": ["string", "null"], "format": "date"},
        "on_time": {"type": ["boolean", "null"]},
        "policy_version": {"type": "string"},
    },
}


def _policy() -> RightsPolicy:
    return current_app.extensions["ig.policies"].rights


def _parameters() -> list[dict[str, Any]]:
    return [
        params.param("type", params.choice_schema(_policy().types), "the kind of request"),
        params.param("state", params.choice_schema(register.State), "open, overdue, paused..."),
        params.param("page", params.integer_schema(maximum=params.MAX_PAGE), "page number"),
        params.param("per_page", params.integer_schema(maximum=500), "rows a page"),
    ]


def item_json(row: Row) -> dict[str, Any]:
    """A request's clock and outcome as JSON (no personal data)."""
    item, clock, sent = row.item, row.clock, row.item.response_sent_on
    return {
        "id": item.id,
        "reference": item.reference,
        "type": item.type_key,
        "type_label": row.type_label,
        "received_on": item.received_on.isoformat(),
        "due_on": clock.due_on.isoformat(),
        "days_left": None if sent else clock.days_left(london_today()),
        "paused_days": clock.paused_days,
        "is_paused": clock.is_paused,
        "is_extended": clock.is_extended,
        "state": row.state,
        "outcome": item.outcome.value if item.outcome else None,
        "response_sent_on": sent.isoformat() if sent else None,
        "on_time": (sent <= clock.due_on) if sent else None,
        "policy_version": item.policy_version,
    }


@endpoint(
    "/rights",
    "GET",
    "The information rights register: each request's deadline, clock and outcome",
    "rights.read",
    parameters=_parameters,
    response=params.page_schema(ITEM),
)
def rights_list() -> Any:
    state = params.choice("state", [s.value for s in register.State])
    filters = register.RequestFilter(
        params.choice("type", _policy().types), register.State(state) if state else None
    )
    today = london_today()
    page = register.list_requests(
        get_session(),
        filters,
        today,
        params.page_number(),
        per_page=params.integer("per_page", 100, maximum=500),
    )
    items = [item_json(row) for row in rows_of(page.rows, _policy(), today)]
    return jsonify({"items": items, "page": page.page, "pages": page.pages, "total": page.total})

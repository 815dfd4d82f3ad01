"""GET /api/v1/caldicott/decisions: the decision log's metadata for reporting tools."""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify

from ig.api import endpoint, params
from ig.auth.access import current_actor
from ig.caldicott import log, rules
from ig.db import get_session, utcnow


def _nullable(kind: str, **more: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **more}


ITEM = {
    "type": "object",
    "properties": {
        "reference": {"type": "string"},
        "received_on": {"type": "string", "format": "date"},
        "type": {"type": "string"},
        "channel": {"type": "string"},
        "urgency": {"type": "string"},
        "organisation": {
            "type": "object",
            "properties": {"id": _nullable("integer"), "name": {"type": "string"}},
        },
        "data_categories": {"type": "array", "items": {"type": "string"}},
        "people_count": {"type": "integer"},
        "includes_deceased": {"type": "boolean"},
        "needed_by": {"type": "string", "format": "date"},
        "status": {"type": "string", "enum": sorted(rules.STATUS_LABELS)},
        "outcome": _nullable("string"),
        "decided_at": _nullable("string", format="date-time"),
        "review_on": _nullable("string", format="date"),
        "signed_versions": {"type": "integer"},
        "days_to_decision": _nullable("integer"),
    },
}


def _parameters() -> list[dict[str, Any]]:
    policy = current_app.extensions["ig.policies"].caldicott
    return [
        params.param("status", params.choice_schema(rules.STATUS_LABELS), "where it stands"),
        params.param("type", params.choice_schema(policy.request_types), "request type key"),
        params.param("outcome", params.choice_schema(rules.OUTCOME_LABELS), "the decision"),
        params.param("organisation", params.integer_schema(), "requesting organisation id"),
        params.param("received_from", params.date_schema(), "received on or after"),
        params.param("received_to", params.date_schema(), "received on or before"),
        params.param("page", params.integer_schema(maximum=params.MAX_PAGE), "page number"),
        params.param("per_page", params.integer_schema(maximum=500), "rows a page"),
    ]


@endpoint(
    "/caldicott/decisions",
    "GET",
    "Caldicott requests and decisions: metadata only, never the encrypted case detail",
    "caldicott.read",
    parameters=_parameters,
    response=params.page_schema(ITEM),
)
def caldicott_decisions() -> Any:
    policy = current_app.extensions["ig.policies"].caldicott
    filters = log.LogFilter(
        status=params.choice("status", rules.STATUS_LABELS),
        request_type=params.choice("type", policy.request_types),
        outcome=params.choice("outcome", rules.OUTCOME_LABELS),
        organisation_id=params.integer("organisation"),
        received_from=params.date("received_from"),
        received_to=params.date("received_to"),
    )
    per_page = params.integer("per_page", 100, maximum=500)
    today = utcnow().date()
    page = log.list_log(
        get_session(),
        current_actor(),
        policy,
        filters,
        today,
        page=params.page_number(),
        per_page=per_page,
    )
    return jsonify(
        {
            "items": [log.api_row(row, policy, today) for row in page.rows],
            "page": page.page,
            "pages": page.pages,
            "total": page.total,
        }
    )

"""GET /api/v1/caldicott/decisions: the decision log's metadata for reporting tools."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app, jsonify, request

from ig.api import endpoint
from ig.auth.access import current_actor
from ig.caldicott import log, rules
from ig.db import get_session, utcnow
from ig.errors import ValidationFailed

PARAMETERS = [
    {"name": name, "in": "query", "required": False, "schema": schema, "description": text}
    for name, schema, text in [
        (
            "status",
            {"type": "string"},
            "awaiting_assessment, awaiting_decision, decided or due_for_review",
        ),
        ("type", {"type": "string"}, "request type key from policies/caldicott.toml"),
        (
            "outcome",
            {"type": "string"},
            "approved, approved_with_conditions, declined, advice_only",
        ),
        ("organisation", {"type": "integer"}, "requesting organisation id"),
        ("received_from", {"type": "string", "format": "date"}, "received on or after"),
        ("received_to", {"type": "string", "format": "date"}, "received on or before"),
        ("page", {"type": "integer", "minimum": 1}, "page number"),
        ("per_page", {"type": "integer", "minimum": 1, "maximum": 500}, "rows a page"),
    ]
]


def _choice(name: str, allowed: Any) -> str | None:
    value = request.args.get(name) or None
    if value is not None and value not in allowed:
        raise ValidationFailed(name, f"{name} must be one of: {', '.join(allowed)}")
    return value


def _date(name: str) -> dt.date | None:
    value = request.args.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(name, f"{name} must be a date like 2026-04-01") from None


@endpoint(
    "/caldicott/decisions",
    "GET",
    "Caldicott requests and decisions: metadata only, never the encrypted case detail",
    "caldicott.read",
    parameters=PARAMETERS,
    response={
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"type": "object"}},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "total": {"type": "integer"},
        },
    },
)
def caldicott_decisions() -> Any:
    policy = current_app.extensions["ig.policies"].caldicott
    filters = log.LogFilter(
        status=_choice("status", rules.STATUS_LABELS),
        request_type=_choice("type", policy.request_types),
        outcome=_choice("outcome", rules.OUTCOME_LABELS),
        organisation_id=request.args.get("organisation", type=int),
        received_from=_date("received_from"),
        received_to=_date("received_to"),
    )
    per_page = min(max(request.args.get("per_page", 100, type=int) or 100, 1), 500)
    today = utcnow().date()
    page = log.list_log(
        get_session(),
        current_actor(),
        policy,
        filters,
        today,
        page=request.args.get("page", 1, type=int) or 1,
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

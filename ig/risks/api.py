"""The IG risk register as JSON: GET /api/v1/risks.

The encrypted free text (cause, effect, controls, review notes) stays out of the API, as
other registers' case detail does: reporting tools get the register's scores and dates.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify

from ig.api import endpoint, params
from ig.db import get_session, london_today
from ig.risks import register, rules
from ig.risks.models import Risk
from ig.risks.register import SORTS
from ig.risks.rules import ReviewState, Status

SEARCH_PATTERN = r"^[^\x00-\x1f\x7f]{1,200}$"
SCORE = {"type": "integer", "minimum": 1, "maximum": 25}
LEVEL = {"type": "integer", "minimum": 1, "maximum": 5}
SUMMARY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "reference": {"type": "string"},
        "title": {"type": "string"},
        "category": {"type": "string"},
        "owner": {"type": "object"},
        "status": {"type": "string", "enum": [s.value for s in Status]},
        "likelihood": LEVEL,
        "impact": LEVEL,
        "score": SCORE,
        "rating": {"type": "string"},
        "target_score": SCORE,
        "is_above_appetite": {"type": "boolean"},
        "review_on": {"type": "string", "format": "date"},
        "review": {"type": "string", "enum": [s.value for s in ReviewState]},
        "closed_on": {"type": ["string", "null"], "format": "date"},
    },
}


def _parameters() -> list[dict[str, Any]]:
    return [
        params.param("status", params.choice_schema(["open", "closed", "any"]), "default open"),
        params.param("category", {"type": "string", "pattern": SEARCH_PATTERN}, "category key"),
        params.param("overdue", params.choice_schema(["true", "false"]), "overdue reviews only"),
        params.param("above_appetite", params.choice_schema(["true", "false"]), "above only"),
        params.param("sort", params.choice_schema(list(SORTS)), "default score"),
        params.param("q", {"type": "string", "pattern": SEARCH_PATTERN}, "title contains"),
        params.param("page", params.integer_schema(maximum=params.MAX_PAGE), "page number"),
        params.param("per_page", params.integer_schema(maximum=500), "rows a page"),
    ]


def summary(risk: Risk) -> dict[str, Any]:
    """A risk's register facts as JSON (no encrypted field)."""
    policy = current_app.extensions["ig.policies"].risks
    state = rules.review_state(risk.review_on, london_today(), policy.due_soon_days)
    return {
        "id": risk.id,
        "reference": risk.reference,
        "title": risk.title,
        "category": risk.category,
        "owner": {"id": risk.owner.id, "name": risk.owner.name},
        "status": risk.status.value,
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "score": risk.score,
        "rating": rules.rating(policy, risk.score).key,
        "target_score": risk.target_likelihood * risk.target_impact,
        "is_above_appetite": rules.is_above_appetite(policy, risk.category, risk.score),
        "review_on": risk.review_on.isoformat(),
        "review": state.value,
        "closed_on": risk.closed_on.isoformat() if risk.closed_on else None,
    }


@endpoint(
    "/risks",
    "GET",
    "The IG risk register, overdue reviews and the highest scores first",
    "risks.read",
    parameters=_parameters,
    response=params.page_schema(SUMMARY),
)
def risks_list() -> Any:
    status = params.choice("status", ["open", "closed", "any"]) or "open"
    filters = register.RiskFilter(
        status=None if status == "any" else Status(status),
        category=params.text("category", SEARCH_PATTERN),
        is_overdue=params.choice("overdue", ["true", "false"]) == "true",
        is_above_appetite=params.choice("above_appetite", ["true", "false"]) == "true",
        search=params.text("q", SEARCH_PATTERN) or "",
        sort=params.choice("sort", list(SORTS)) or "score",
    )
    page = register.list_risks(
        get_session(),
        filters,
        current_app.extensions["ig.policies"].risks,
        london_today(),
        page=params.page_number(),
        per_page=params.integer("per_page", 100, maximum=500),
    )
    items = [summary(risk) for risk in page.rows]
    return jsonify({"items": items, "page": page.page, "pages": page.pages, "total": page.total})

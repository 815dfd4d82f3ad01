"""The record of processing activities as JSON: GET /api/v1/processing-activities and
/api/v1/processing-activities/{id}.

The encrypted free text (purpose, recipients, transfer detail, security measures) stays
out of the API, as the other registers' does: reporting tools get the record's facts.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify

from ig.api import endpoint, params
from ig.db import get_session
from ig.errors import NotFound
from ig.processing import register, service
from ig.processing.models import ProcessingActivity
from ig.processing.rules import LawfulBasis, Role, Safeguard

SEARCH_PATTERN = r"^[^\x00-\x1f\x7f]{1,200}$"
YES_NO = ["true", "false"]
SUMMARY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "role": {"type": "string", "enum": [r.value for r in Role]},
        "lawful_basis": {"type": "string", "enum": [b.value for b in LawfulBasis]},
        "special_category": {"type": "boolean"},
        "relies_on_consent": {"type": "boolean"},
        "automated_decision_making": {"type": "boolean"},
        "controllers": {"type": "array", "items": {"type": "object"}},
        "owner": {"type": "object"},
    },
}
DETAIL: dict[str, Any] = {
    "type": "object",
    "properties": SUMMARY["properties"]
    | {
        "art9_condition": {"type": "string"},
        "schedule_1_condition": {"type": "string"},
        "has_policy_document": {"type": "boolean"},
        "people_categories": {"type": "array", "items": {"type": "string"}},
        "data_categories": {"type": "array", "items": {"type": "string"}},
        "transfer_safeguard": {"type": "string", "enum": [s.value for s in Safeguard]},
        "retention": {"type": "string"},
        "information_assets": {"type": "array", "items": {"type": "string"}},
        "policy_version": {"type": "string"},
    },
}


def _parameters() -> list[dict[str, Any]]:
    return [
        params.param("role", params.choice_schema(Role), "controller (default) or processor"),
        params.param("lawful_basis", params.choice_schema(LawfulBasis), "Art. 6 basis"),
        params.param("consent", params.choice_schema(YES_NO), "relies on consent"),
        params.param("special", params.choice_schema(YES_NO), "special category data"),
        params.param("q", {"type": "string", "pattern": SEARCH_PATTERN}, "name contains"),
        params.param("page", params.integer_schema(maximum=params.MAX_PAGE), "page number"),
        params.param("per_page", params.integer_schema(maximum=500), "rows a page"),
    ]


def summary(activity: ProcessingActivity) -> dict[str, Any]:
    """An activity's register facts as JSON (no encrypted field)."""
    return {
        "id": activity.id,
        "name": activity.name,
        "role": activity.role.value,
        "lawful_basis": activity.lawful_basis.value,
        "special_category": activity.has_special_category,
        "relies_on_consent": activity.relies_on_consent,
        "automated_decision_making": activity.is_automated,
        "controllers": [{"id": o.id, "code": o.code, "name": o.name} for o in activity.controllers],
        "owner": {"id": activity.owner.id, "name": activity.owner.name},
    }


def _flag(name: str) -> bool | None:
    value = params.choice(name, YES_NO)
    return None if value is None else value == "true"


@endpoint(
    "/processing-activities",
    "GET",
    "The record of processing activities (UK GDPR Art. 30), one role at a time",
    "processing.read",
    parameters=_parameters,
    response=params.page_schema(SUMMARY),
)
def processing_list() -> Any:
    role = params.choice("role", [r.value for r in Role])
    basis = params.choice("lawful_basis", [b.value for b in LawfulBasis])
    filters = register.ActivityFilter(
        role=Role(role) if role else Role.CONTROLLER,
        lawful_basis=LawfulBasis(basis) if basis else None,
        relies_on_consent=_flag("consent"),
        has_special_category=_flag("special"),
        search=params.text("q", SEARCH_PATTERN) or "",
    )
    page = register.list_activities(
        get_session(),
        filters,
        page=params.page_number(),
        per_page=params.integer("per_page", 100, maximum=500),
    )
    items = [summary(activity) for activity in page.rows]
    return jsonify({"items": items, "page": page.page, "pages": page.pages, "total": page.total})


@endpoint(
    "/processing-activities/{activity_id}",
    "GET",
    "One processing activity, with its categories, conditions and information assets",
    "processing.read",
    parameters=[
        {"name": "activity_id", "in": "path", "required": True, "schema": params.integer_schema()}
    ],
    response=DETAIL,
    not_found=True,
)
def processing_get(activity_id: str) -> Any:
    number = params.path_id(activity_id)
    session = get_session()
    found = service.find_activity(session, number) if number is not None else None
    if found is None:
        raise NotFound("There is no such processing activity")
    body = summary(found)
    body["art9_condition"] = found.art9_condition
    body["schedule_1_condition"] = found.schedule_1_condition
    body["has_policy_document"] = found.has_policy_document
    body["people_categories"] = [c.key for c in found.categories if c.kind == "people"]
    body["data_categories"] = [c.key for c in found.categories if c.kind == "data"]
    body["transfer_safeguard"] = found.safeguard.value
    body["retention"] = found.retention
    body["information_assets"] = service.linked_assets(session, [found.id])[found.id]
    body["policy_version"] = found.policy_version
    return jsonify(body)

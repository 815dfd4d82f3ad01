"""The information asset register as JSON: GET /api/v1/assets and /api/v1/assets/{id}.

The encrypted free text (description, location, security controls) stays out of the
API, as incidents' case detail does: reporting tools get the register's facts.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify

from ig.api import endpoint, params
from ig.assets import register, service
from ig.assets.models import InformationAsset
from ig.assets.rules import (
    AssetFormat,
    ConfirmationState,
    Criticality,
    Hosting,
    confirmation_state,
)
from ig.db import get_session, london_today
from ig.errors import NotFound

SEARCH_PATTERN = r"^[^\x00-\x1f\x7f]{1,200}$"
SUMMARY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "system": {"type": "string"},
        "owner": {"type": "object"},
        "administrator": {"type": "object"},
        "criticality": {"type": "string", "enum": [c.value for c in Criticality]},
        "format": {"type": "string", "enum": [f.value for f in AssetFormat]},
        "hosting": {"type": "string", "enum": [h.value for h in Hosting]},
        "record_count": {"type": "integer"},
        "last_confirmed_on": {"type": ["string", "null"], "format": "date"},
        "next_confirmation_on": {"type": "string", "format": "date"},
        "confirmation": {"type": "string", "enum": [s.value for s in ConfirmationState]},
    },
}
DETAIL: dict[str, Any] = {
    "type": "object",
    "properties": SUMMARY["properties"]
    | {
        "personal_data": {"type": "array", "items": {"type": "string"}},
        "special_categories": {"type": "array", "items": {"type": "string"}},
        "retention_period": {"type": "string"},
        "retention_rule": {"type": "string"},
        "suppliers": {"type": "array", "items": {"type": "object"}},
    },
}


def _parameters() -> list[dict[str, Any]]:
    return [
        params.param("owner", params.integer_schema(), "the owner's user id"),
        params.param("criticality", params.choice_schema(Criticality), "low ... critical"),
        params.param("overdue", params.choice_schema(["true", "false"]), "overdue only"),
        params.param("q", {"type": "string", "pattern": SEARCH_PATTERN}, "name contains"),
        params.param("page", params.integer_schema(maximum=params.MAX_PAGE), "page number"),
        params.param("per_page", params.integer_schema(maximum=500), "rows a page"),
    ]


def summary(asset: InformationAsset) -> dict[str, Any]:
    """An asset's register facts as JSON (no encrypted field)."""
    policy = current_app.extensions["ig.policies"].assets
    state = confirmation_state(asset.next_confirmation_on, london_today(), policy.due_soon_days)
    return {
        "id": asset.id,
        "name": asset.name,
        "system": asset.system,
        "owner": {"id": asset.owner.id, "name": asset.owner.name},
        "administrator": {"id": asset.administrator.id, "name": asset.administrator.name},
        "criticality": asset.criticality.value,
        "format": asset.asset_format.value,
        "hosting": asset.hosting.value,
        "record_count": asset.record_count,
        "last_confirmed_on": asset.last_confirmed_on.isoformat()
        if asset.last_confirmed_on
        else None,
        "next_confirmation_on": asset.next_confirmation_on.isoformat(),
        "confirmation": state.value,
    }


@endpoint(
    "/assets",
    "GET",
    "The information asset register, overdue confirmations first",
    "assets.read",
    parameters=_parameters,
    response=params.page_schema(SUMMARY),
)
def assets_list() -> Any:
    criticality = params.choice("criticality", [c.value for c in Criticality])
    filters = register.AssetFilter(
        owner_user_id=params.integer("owner"),
        criticality=Criticality(criticality) if criticality else None,
        is_overdue=params.choice("overdue", ["true", "false"]) == "true",
        search=params.text("q", SEARCH_PATTERN) or "",
    )
    page = register.list_assets(
        get_session(),
        filters,
        london_today(),
        page=params.page_number(),
        per_page=params.integer("per_page", 100, maximum=500),
    )
    items = [summary(asset) for asset in page.rows]
    return jsonify({"items": items, "page": page.page, "pages": page.pages, "total": page.total})


@endpoint(
    "/assets/{asset_id}",
    "GET",
    "One information asset, with the data it holds and its suppliers",
    "assets.read",
    parameters=[
        {
            "name": "asset_id",
            "in": "path",
            "required": True,
            "schema": params.integer_schema(),
        }
    ],
    response=DETAIL,
    not_found=True,
)
def assets_get(asset_id: str) -> Any:
    number = params.path_id(asset_id)
    asset = service.find_asset(get_session(), number) if number is not None else None
    if asset is None:
        raise NotFound("There is no such information asset")
    body = summary(asset)
    body["personal_data"] = [c.category for c in asset.categories if not c.is_special]
    body["special_categories"] = [c.category for c in asset.categories if c.is_special]
    body["retention_period"] = asset.retention_period
    body["retention_rule"] = asset.retention_rule
    body["suppliers"] = [{"id": s.id, "code": s.code, "name": s.name} for s in asset.suppliers]
    return jsonify(body)

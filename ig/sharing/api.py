"""The sharing check as JSON: GET /api/v1/sharing/check."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from ig.api import endpoint
from ig.db import get_session, london_today
from ig.errors import ValidationFailed
from ig.sharing import service
from ig.sharing.pages import policy
from ig.sharing.service import CoveringAgreement

PARAMETERS = [
    {
        "name": name,
        "in": "query",
        "required": True,
        "schema": {"type": "string"},
        "description": text,
    }
    for name, text in (
        ("organisation", "the partner's GSS or ODS code"),
        ("category", "a data category key from policies/sharing.toml"),
        ("purpose", "a purpose key from policies/sharing.toml"),
    )
]
AGREEMENT = {
    "type": "object",
    "properties": {
        "reference": {"type": "string"},
        "version": {"type": "integer"},
        "title": {"type": "string"},
        "state": {"type": "string"},
        "partner_role": {"type": "string"},
        "lawful_basis": {"type": "string"},
        "special_condition": {"type": ["string", "null"]},
        "statutory_gateway": {"type": ["string", "null"]},
        "conditions": {"type": "string"},
        "transfer_method": {"type": "string"},
        "review_on": {"type": "string", "format": "date"},
        "ends_on": {"type": ["string", "null"], "format": "date"},
    },
}


def _agreement(cover: CoveringAgreement) -> dict[str, Any]:
    a = cover.agreement
    return {
        "reference": a.reference,
        "version": a.revision,
        "title": a.title,
        "state": cover.state.value,
        "partner_role": cover.partner_role.value,
        "lawful_basis": a.lawful_basis,
        "special_condition": a.special_condition,
        "statutory_gateway": a.statutory_gateway,
        "conditions": a.conditions,
        "transfer_method": a.transfer_method,
        "review_on": a.review_on.isoformat(),
        "ends_on": a.ends_on.isoformat() if a.ends_on else None,
    }


@endpoint(
    "/sharing/check",
    "GET",
    "May we share this kind of data, for this purpose, with this organisation?",
    "sharing.check",
    parameters=PARAMETERS,
    response={
        "type": "object",
        "properties": {
            "organisation": {"type": "object"},
            "category": {"type": "string"},
            "purpose": {"type": "string"},
            "covered": {"type": "boolean"},
            "agreements": {"type": "array", "items": AGREEMENT},
            "not_in_force": {"type": "array", "items": AGREEMENT},
        },
    },
)
def sharing_check() -> Any:
    values = {
        name: request.args.get(name, "").strip() for name in ("organisation", "category", "purpose")
    }
    for name, value in values.items():
        if not value:
            raise ValidationFailed(name, f"Give the {name} as a query parameter")
    result = service.check_sharing(
        get_session(),
        values["organisation"],
        values["category"],
        values["purpose"],
        london_today(),
        policy=policy(),
        notice_days=policy().review_notice_days,
    )
    organisation = result.organisation
    return jsonify(
        {
            "organisation": {
                "id": organisation.id,
                "code": organisation.code,
                "name": organisation.name,
            },
            "category": result.category,
            "purpose": result.purpose,
            "covered": result.is_covered,
            "agreements": [_agreement(c) for c in result.covering],
            "not_in_force": [_agreement(c) for c in result.not_in_force],
        }
    )

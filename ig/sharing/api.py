"""The sharing check as JSON: GET /api/v1/sharing/check."""

from __future__ import annotations

from typing import Any

from flask import jsonify

from ig.api import endpoint, params
from ig.auth.access import current_actor
from ig.db import get_session, london_today
from ig.errors import ValidationFailed
from ig.sharing import gss, service
from ig.sharing.check import CoveringAgreement
from ig.sharing.pages import caldicott_link, policy
from ig.sharing.rules import ShareAnswer

# The council GSS codes ig checks: E06, E07, E08, E09, E10, W06, S12 or N09 and six digits.
COUNCIL_PATTERN = r"^([Ee]0[6-9]|[Ee]10|[Ww]06|[Ss]12|[Nn]09)[0-9]{6}$"
# A GSS code (E09000015) or an ODS code (RQM, 8KL07).
CODE_PATTERN = r"^[A-Za-z0-9]{1,20}$"


def _parameters() -> list[dict[str, Any]]:
    return [
        params.param(
            "organisation",
            {"type": "string", "pattern": CODE_PATTERN},
            "the partner's GSS or ODS code",
            required=True,
        ),
        params.param(
            "category",
            params.choice_schema(policy().categories),
            "a data category key from policies/sharing.toml",
            required=True,
        ),
        params.param(
            "purpose",
            params.choice_schema(policy().purposes),
            "a purpose key from policies/sharing.toml",
            required=True,
        ),
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
    parameters=_parameters,
    not_found=True,
    response={
        "type": "object",
        "properties": {
            "organisation": {"type": "object"},
            "category": {"type": "string"},
            "purpose": {"type": "string"},
            "answer": {
                "type": "string",
                "enum": [answer.value for answer in ShareAnswer],
                "description": (
                    "yes: an agreement in force covers it, follow its conditions; "
                    "check_for_care: no agreement covers it, but the purpose is the care of "
                    "one person and the partner provides care, so (Caldicott Principle 7) "
                    "it may be shared once every item of individual_care.checks holds, and "
                    "the decision is recorded; no: do not share unless the law requires it "
                    "or the Caldicott Guardian approves"
                ),
            },
            "covered": {
                "type": "boolean",
                "description": "whether an agreement in force covers it (answer is yes)",
            },
            "agreements": {"type": "array", "items": AGREEMENT},
            "not_in_force": {"type": "array", "items": AGREEMENT},
            "individual_care": {
                "type": ["object", "null"],
                "description": "when answer is check_for_care: the principle and what to check "
                "before sharing (from policies/sharing.toml [direct_care]); otherwise null",
                "properties": {
                    "principle": {"type": "string"},
                    "checks": {"type": "array", "items": {"type": "string"}},
                },
            },
            "caldicott_request_url": {
                "type": ["string", "null"],
                "description": "when answer is not yes: the path of ig's Caldicott request "
                "form, filled in to record the decision (check_for_care) or to ask the "
                "Guardian (no); null when the answer is yes or the caller may not raise "
                "Caldicott requests",
            },
        },
    },
)
def sharing_check() -> Any:
    values = {
        "organisation": params.text("organisation", CODE_PATTERN, required=True),
        "category": _required(params.choice("category", policy().categories), "category"),
        "purpose": _required(params.choice("purpose", policy().purposes), "purpose"),
    }
    result = service.check_sharing(
        get_session(),
        str(values["organisation"]),
        str(values["category"]),
        str(values["purpose"]),
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
            "answer": result.answer.value,
            "covered": result.is_covered,
            "agreements": [_agreement(c) for c in result.covering],
            "not_in_force": [_agreement(c) for c in result.not_in_force],
            "individual_care": _individual_care(result.answer),
            "caldicott_request_url": caldicott_link(result, current_actor()),
        }
    )


def _required(value: str | None, name: str) -> str:
    if value is None:
        raise ValidationFailed(name, f"Give the {name} as a query parameter")
    return value


def _individual_care(answer: ShareAnswer) -> dict[str, Any] | None:
    if answer is not ShareAnswer.CHECK_FOR_CARE:
        return None
    return {
        "principle": policy().direct_care_principle,
        "checks": list(policy().direct_care_checks),
    }


@endpoint(
    "/sharing/council-codes/{code}",
    "GET",
    "What the ONS list in use says of a council's GSS code (as checked when a partner "
    "is added); 404 for a code no council of its kind has, like E09000034",
    "sharing.check",
    parameters=[
        {
            "name": "code",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": COUNCIL_PATTERN},
            "description": "an English council's ONS GSS code, like E09000015",
        }
    ],
    response={
        "type": "object",
        "properties": {
            "code": {"type": "string"},
            "name": {"type": "string", "description": "the name ONS gives it"},
            "kind": {"type": "string", "description": "London borough, county..."},
            "source": {"type": "string", "description": "the ONS release checked against"},
            "dated_on": {"type": "string", "format": "date"},
        },
    },
)
def council_code(code: str) -> Any:
    found = gss.get_council_code(get_session(), code[:20])
    return jsonify(
        {
            "code": found.code,
            "name": found.name,
            "kind": found.kind,
            "source": found.source,
            "dated_on": found.dated_on.isoformat(),
        }
    )

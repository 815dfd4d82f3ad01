"""The processor contract register as JSON: GET /api/v1/contracts and /api/v1/contracts/{id}.

The encrypted notes stay out of the API: reporting tools get the register's facts.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, jsonify

from ig.api import endpoint, params
from ig.contracts import register, rules, service
from ig.contracts.models import ProcessorContract
from ig.db import get_session, london_today
from ig.errors import NotFound

SEARCH_PATTERN = r"^[^\x00-\x1f\x7f]{1,200}$"
SUMMARY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "reference": {"type": "string"},
        "processor": {"type": "object"},
        "owner": {"type": "object"},
        "start_on": {"type": "string", "format": "date"},
        "end_on": {"type": "string", "format": "date"},
        "value_band": {"type": "string"},
        "end_state": {"type": "string", "enum": [s.value for s in rules.EndState]},
        "missing_terms": {"type": "array", "items": {"type": "string"}},
    },
}
DETAIL: dict[str, Any] = {
    "type": "object",
    "properties": SUMMARY["properties"]
    | {
        "terms": {"type": "array", "items": {"type": "string"}},
        "asset_ids": {"type": "array", "items": {"type": "integer"}},
        "subprocessors": {"type": "array", "items": {"type": "object"}},
    },
}


def _parameters() -> list[dict[str, Any]]:
    return [
        params.param("processor", params.integer_schema(), "the processor's organisation id"),
        params.param("flag", params.choice_schema(register.FLAGS), "missing_terms ... ended"),
        params.param("q", {"type": "string", "pattern": SEARCH_PATTERN}, "title or reference"),
        params.param("page", params.integer_schema(maximum=params.MAX_PAGE), "page number"),
        params.param("per_page", params.integer_schema(maximum=500), "rows a page"),
    ]


def summary(contract: ProcessorContract) -> dict[str, Any]:
    """A contract's register facts as JSON (no encrypted field)."""
    policy = current_app.extensions["ig.policies"].contracts
    state = rules.end_state(contract.end_on, london_today(), policy.ending_soon_days)
    return {
        "id": contract.id,
        "title": contract.title,
        "reference": contract.reference,
        "processor": {
            "id": contract.processor.id,
            "code": contract.processor.code,
            "name": contract.processor.name,
        },
        "owner": {"id": contract.owner.id, "name": contract.owner.name},
        "start_on": contract.start_on.isoformat(),
        "end_on": contract.end_on.isoformat(),
        "value_band": contract.value_band,
        "end_state": state.value,
        "missing_terms": rules.missing_terms(policy.terms, [t.term for t in contract.terms]),
    }


@endpoint(
    "/contracts",
    "GET",
    "The processor contract register (UK GDPR Art. 28), most urgent first",
    "contracts.read",
    parameters=_parameters,
    response=params.page_schema(SUMMARY),
)
def contracts_list() -> Any:
    policy = current_app.extensions["ig.policies"].contracts
    filters = register.ContractFilter(
        processor_id=params.integer("processor"),
        flag=params.choice("flag", register.FLAGS) or "",
        search=params.text("q", SEARCH_PATTERN) or "",
    )
    today = london_today()
    page = register.list_contracts(
        get_session(),
        filters,
        today,
        rules.ending_soon_from(today, policy.ending_soon_days),
        page=params.page_number(),
        per_page=params.integer("per_page", 100, maximum=500),
    )
    items = [summary(contract) for contract in page.rows]
    return jsonify({"items": items, "page": page.page, "pages": page.pages, "total": page.total})


@endpoint(
    "/contracts/{contract_id}",
    "GET",
    "One processor contract, with its terms, assets and sub-processors",
    "contracts.read",
    parameters=[
        {
            "name": "contract_id",
            "in": "path",
            "required": True,
            "schema": params.integer_schema(),
        }
    ],
    response=DETAIL,
    not_found=True,
)
def contracts_get(contract_id: str) -> Any:
    number = params.path_id(contract_id)
    session = get_session()
    contract = service.find_contract(session, number) if number is not None else None
    if contract is None:
        raise NotFound("There is no such processor contract")
    body = summary(contract)
    body["terms"] = [t.term for t in contract.terms]
    body["asset_ids"] = service.asset_ids(session, contract.id)
    body["subprocessors"] = [
        {"id": s.id, "code": s.code, "name": s.name} for s in contract.subprocessors
    ]
    return jsonify(body)

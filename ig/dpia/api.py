"""The DPIA register as JSON: GET /api/v1/dpias and /api/v1/dpias/{dpia_id}.

Encrypted fields (the description, advice, notes, the risks' text) never leave through
the API: dashboards get the register's facts and the risks' scores.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import jsonify

from ig.api import endpoint, params
from ig.db import get_session, london_today
from ig.dpia import register, service
from ig.dpia.links import linked_agreements
from ig.dpia.models import Dpia
from ig.dpia.pages import policy
from ig.dpia.record_links import ACTIVITY, ASSET, linked
from ig.dpia.register import NO_RISKS, Shown
from ig.dpia.rules import RiskLevel, risk_level, risk_score
from ig.errors import NotFound

ID = re.compile(r"[1-9][0-9]{0,9}")
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
LEVELS = [level.value for level in RiskLevel]
SUMMARY: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "owner": {"type": "string"},
        "status": {"type": "string", "enum": [s.value for s in Shown]},
        "dpia_required": {"type": ["boolean", "null"]},
        "criteria": {"type": "array", "items": {"type": "string"}},
        "highest_residual_score": {"type": ["integer", "null"]},
        "highest_residual_risk": {"type": ["string", "null"], "enum": [*LEVELS, None]},
        "ico_decision": {"type": ["string", "null"]},
        "ico_consulted_on": NULLABLE_DATE,
        "ico_reference": {"type": "string"},
        "signed_off_at": {"type": ["string", "null"], "format": "date-time"},
        "review_on": NULLABLE_DATE,
    },
}
# A record the DPIA assesses: an agreement (its current version, with its reference), an
# activity or an asset.
LINK = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}
RISK = {
    "type": "object",
    "properties": {
        name: {"type": "integer"}
        for name in (
            "likelihood",
            "severity",
            "score",
            "residual_likelihood",
            "residual_severity",
            "residual_score",
        )
    }
    | {"residual_risk": {"type": "string", "enum": LEVELS}},
}


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def summary(dpia: Dpia, today: dt.date) -> dict[str, Any]:
    level = register.residual_level(dpia, policy())
    return {
        "id": dpia.id,
        "title": dpia.title,
        "owner": dpia.owner.name,
        "status": register.shown_status(dpia, today).value,
        "dpia_required": dpia.is_dpia_required,
        "criteria": list(dpia.screening_criteria),
        "highest_residual_score": dpia.max_residual_score,
        "highest_residual_risk": level.value if level else None,
        "ico_decision": dpia.ico_decision.value if dpia.ico_decision else None,
        "ico_consulted_on": _date(dpia.ico_consulted_on),
        "ico_reference": dpia.ico_reference,
        "signed_off_at": dpia.signed_off_at.isoformat() if dpia.signed_off_at else None,
        "review_on": _date(dpia.review_on),
    }


@endpoint(
    "/dpias",
    "GET",
    "The DPIA register, filtered and paged (no encrypted field)",
    "dpia.read",
    parameters=[
        params.param("status", params.choice_schema(s.value for s in Shown), "status"),
        params.param(
            "residual", params.choice_schema([*LEVELS, NO_RISKS]), "highest residual risk"
        ),
        params.param("overdue", params.choice_schema(["yes"]), "only reviews overdue"),
        params.param("page", params.integer_schema(maximum=params.MAX_PAGE), "page number"),
        params.param("per_page", params.integer_schema(maximum=500), "rows a page"),
    ],
    response=params.page_schema(SUMMARY),
)
def dpias_list() -> Any:
    status = params.choice("status", [s.value for s in Shown])
    filters = register.DpiaFilter(
        status=Shown(status) if status else None,
        residual=params.choice("residual", [*LEVELS, NO_RISKS]),
        is_overdue=params.choice("overdue", ["yes"]) == "yes",
    )
    today = london_today()
    page = register.list_dpias(
        get_session(),
        policy(),
        filters,
        today,
        page=params.page_number(),
        per_page=params.integer("per_page", 100, maximum=500),
    )
    items = [summary(dpia, today) for dpia in page.rows]
    return jsonify({"items": items, "page": page.page, "pages": page.pages, "total": page.total})


@endpoint(
    "/dpias/{dpia_id}",
    "GET",
    "One DPIA with its risks' scores and what it assesses (no encrypted field)",
    "dpia.read",
    parameters=[
        {
            "name": "dpia_id",
            "in": "path",
            "required": True,
            "schema": params.integer_schema(),
        }
    ],
    response={
        "type": "object",
        "properties": SUMMARY["properties"]
        | {
            "risks": {"type": "array", "items": RISK},
            "agreements": {"type": "array", "items": LINK},
            "processing_activities": {"type": "array", "items": LINK},
            "information_assets": {"type": "array", "items": LINK},
        },
    },
    not_found=True,
)
def dpias_get(dpia_id: str) -> Any:
    # The path holds text: anything but a whole number the id column can hold names no DPIA.
    if not ID.fullmatch(dpia_id) or int(dpia_id) > params.MAX_ID:
        raise NotFound("There is no such DPIA")
    dpia = service.get_dpia(get_session(), int(dpia_id))
    body = summary(dpia, london_today())
    body["risks"] = [
        {
            "likelihood": r.likelihood,
            "severity": r.severity,
            "score": risk_score(r.likelihood, r.severity),
            "residual_likelihood": r.residual_likelihood,
            "residual_severity": r.residual_severity,
            "residual_score": risk_score(r.residual_likelihood, r.residual_severity),
            "residual_risk": risk_level(
                risk_score(r.residual_likelihood, r.residual_severity), policy()
            ).value,
        }
        for r in dpia.risks
    ]
    session = get_session()
    body["agreements"] = [
        {"id": a.agreement_id, "name": a.title, "reference": a.reference}
        for a in linked_agreements(session, dpia.id)
    ]
    for name, kind in (("processing_activities", ACTIVITY), ("information_assets", ASSET)):
        body[name] = [{"id": r.record_id, "name": r.name} for r in linked(session, kind, dpia.id)]
    return jsonify(body)

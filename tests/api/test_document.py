"""The document's response schemas hold for answers about real records, not only empty lists."""

from __future__ import annotations

import datetime as dt
from typing import Any

import jsonschema_rs
import pytest

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from tests import factories
from tests.caldicott.conftest import assess, people, policy, sign  # noqa: F401 - fixtures


@pytest.fixture
def headers(db: Any, policies: Any) -> dict[str, str]:
    user = factories.make_user(db, roles=sorted(policies.roles.roles))
    _token, raw = tokens.create_token(db, SYSTEM, user, "document", utcnow())
    db.commit()
    return {"Authorization": f"Bearer {raw}"}


def check(client: Any, response: Any, path: str, method: str = "get") -> None:
    """The answer validates against what the document says of that status."""
    document = client.get("/api/v1/openapi.json").json
    documented = document["paths"][path][method]["responses"][str(response.status_code)]
    (media_type,) = documented["content"]
    assert response.mimetype == media_type
    jsonschema_rs.validate(documented["content"][media_type]["schema"], response.json)


def test_incident_answers_keep_to_their_schemas(client, db, headers):
    team_id = factories.make_team(db).id
    earlier = (utcnow() - dt.timedelta(hours=3)).isoformat()
    body = {"narrative": "Sent to the wrong person", "occurred_at": earlier, "found_at": earlier}
    created = client.post("/api/v1/incidents", json=body | {"team_id": team_id}, headers=headers)
    assert created.status_code == 201
    check(client, created, "/incidents", "post")
    listed = client.get("/api/v1/incidents", headers=headers)
    assert listed.json["total"] >= 1
    check(client, listed, "/incidents")
    one = client.get(f"/api/v1/incidents/{created.json['reference']}", headers=headers)
    check(client, one, "/incidents/{ref}")
    missing = client.get("/api/v1/incidents/IG-1900-9999", headers=headers)
    assert missing.status_code == 404
    check(client, missing, "/incidents/{ref}")


def test_refusals_keep_to_the_problem_schema(client, headers):
    refused = client.get("/api/v1/training/compliance?on=0001-01-01", headers=headers)
    assert refused.status_code == 422
    check(client, refused, "/training/compliance")
    unauthorised = client.get("/api/v1/me")
    check(client, unauthorised, "/me")


def test_me_and_compliance_keep_to_their_schemas(client, db, headers):
    factories.make_team(db)
    check(client, client.get("/api/v1/me", headers=headers), "/me")
    check(
        client, client.get("/api/v1/training/compliance", headers=headers), "/training/compliance"
    )


def test_the_caldicott_log_keeps_to_its_schema(client, db, headers, people, policy):  # noqa: F811
    signed = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], signed)
    sign(db, policy, people["caldicott_guardian"], signed)
    factories.make_caldicott_request(db, people["staff"][0], request_type="research")
    db.commit()
    response = client.get("/api/v1/caldicott/decisions", headers=headers)
    assert response.json["total"] >= 2
    check(client, response, "/caldicott/decisions")


def test_an_unknown_query_parameter_is_a_documented_422(client, headers):
    response = client.get("/api/v1/me?unexpected=1", headers=headers)
    assert response.status_code == 422
    check(client, response, "/me")

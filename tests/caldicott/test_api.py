"""GET /api/v1/caldicott/decisions: metadata only, with filters and permissions."""

from __future__ import annotations

import pytest

from ig.auth import tokens
from ig.db import utcnow
from tests import factories
from tests.caldicott.conftest import assess, sign

pytestmark = pytest.mark.usefixtures("isolated")
URL = "/api/v1/caldicott/decisions"


def _bearer(db, *roles):
    user = factories.make_user(db, roles=roles)
    _token, raw = tokens.create_token(db, user_actor(user), user, "reporting", utcnow())
    return {"Authorization": f"Bearer {raw}"}


def user_actor(user):
    from ig.auth.rules import Actor

    return Actor(user.id, user.email)


def test_needs_a_token(client):
    assert client.get(URL).status_code == 401


def test_staff_may_not_read_the_log(client, db):
    assert client.get(URL, headers=_bearer(db, "staff")).status_code == 403


def test_lists_metadata_and_never_the_encrypted_detail(client, db, people, policy):
    request = factories.make_caldicott_request(db, people["staff"][0])
    assess(db, policy, people["ig_officer"][1], request)
    sign(db, policy, people["caldicott_guardian"], request)
    factories.make_caldicott_request(db, people["staff"][0], request_type="research")
    response = client.get(f"{URL}?outcome=approved_with_conditions", headers=_bearer(db, "siro"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1
    item = body["items"][0]
    assert item["reference"] == request.reference
    assert item["status"] == "decided"
    assert item["signed_versions"] == 1
    text = response.get_data(as_text=True)
    for secret in ("Case details", "Investigation of an assault", "AC-1234567", "Contact history"):
        assert secret not in text


@pytest.mark.parametrize(
    "query", ["status=lost", "type=gossip", "outcome=maybe", "received_from=yesterday"]
)
def test_bad_filters_are_refused_with_a_problem(client, db, query):
    response = client.get(f"{URL}?{query}", headers=_bearer(db, "auditor"))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"


def test_the_endpoint_is_documented(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert "/caldicott/decisions" in document["paths"]

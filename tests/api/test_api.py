"""The JSON API: bearer tokens, problem details, and the OpenAPI document from the code."""

from __future__ import annotations

import re

import pytest

from ig.api import OPERATIONS
from ig.auth import tokens
from ig.auth.access import permission_of
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from tests import factories

PROBLEM = "application/problem+json"


@pytest.fixture
def bearer(db):
    """A token for a new user with ``roles``; returns (user, headers)."""

    def make(*roles, active=True):
        user = factories.make_user(db, roles=roles or ("staff",))
        token, raw = tokens.create_token(db, SYSTEM, user, "test", utcnow())
        user.is_active = active
        db.commit()
        return user, token, {"Authorization": f"Bearer {raw}"}

    return make


def assert_problem(response, status):
    assert response.status_code == status
    assert response.mimetype == PROBLEM
    body = response.json
    assert body["status"] == status
    assert body["title"]
    assert "type" in body
    return body


def test_me_answers_with_the_owners_identity_and_permissions(client, bearer, policies):
    user, _token, headers = bearer("auditor")
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    assert response.json == {
        "id": user.id,
        "email": user.email,
        "roles": ["auditor"],
        "permissions": sorted(policies.roles.roles["auditor"].permissions),
    }
    assert response.headers["Cache-Control"] == "no-store"


def test_a_token_records_when_it_was_last_used(client, db, bearer):
    _user, token, headers = bearer()
    client.get("/api/v1/me", headers=headers)
    db.expire_all()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer igt_not-a-real-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "igt_without_the_scheme"},
    ],
)
def test_without_a_good_token_the_answer_is_401_problem_json(client, headers):
    response = client.get("/api/v1/me", headers=headers)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused_at_once(client, db, bearer):
    _user, token, headers = bearer()
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    tokens.revoke_token(db, SYSTEM, token.id, utcnow())
    db.commit()
    assert_problem(client.get("/api/v1/me", headers=headers), 401)


def test_a_disabled_owners_token_is_refused(client, bearer):
    _user, _token, headers = bearer(active=False)
    assert_problem(client.get("/api/v1/me", headers=headers), 401)


def test_a_browser_session_does_not_open_the_api(client, login_as):
    # The API is exempt from CSRF checks, so a cookie must never authenticate there.
    login_as("administrator")
    assert client.get("/").status_code == 200
    assert_problem(client.get("/api/v1/me"), 401)


def test_the_owners_permissions_apply(client, bearer):
    _user, _token, headers = bearer("a_role_with_no_permissions")
    body = assert_problem(client.get("/api/v1/me", headers=headers), 403)
    assert body["title"] == "You do not have permission to see this page"


def test_unknown_paths_and_methods_under_the_api_are_problem_json(client, bearer):
    _user, _token, headers = bearer()
    assert_problem(client.get("/api/v1/nothing-here", headers=headers), 404)
    assert_problem(client.get("/api/nothing-here"), 404)
    assert_problem(client.delete("/api/v1/me", headers=headers), 405)


def api_rules(app):
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.openapi"
    ]


def openapi_path(flask_rule):
    return re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", flask_rule.removeprefix("/api/v1"))


def test_the_openapi_document_describes_every_endpoint_with_its_permission(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert api_rules(app), "the API has endpoints"
    for rule in api_rules(app):
        path = document["paths"][openapi_path(rule.rule)]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operation = path[method.lower()]
            needed = permission_of(app, rule.endpoint)
            assert f"`{needed}`" in operation["description"], rule.rule
            assert {"401", "403"} <= set(operation["responses"])
            assert {"200", "201"} & set(operation["responses"]), "its success is documented"


def test_the_openapi_document_holds_nothing_that_is_not_served(app, client):
    served = {
        (openapi_path(rule.rule), method.lower())
        for rule in api_rules(app)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {
        (path, method)
        for path, operations in client.get("/api/v1/openapi.json").json["paths"].items()
        for method in operations
    }
    assert documented == served
    assert len(OPERATIONS) == len(served)


def test_me_is_documented_with_its_response(client):
    me = client.get("/api/v1/openapi.json").json["paths"]["/me"]["get"]
    assert me["description"] == "Needs the permission `api.me`."
    schema = me["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(schema["properties"]) == {"id", "email", "roles", "permissions"}

"""No input breaks the API: bounded bodies, depth, text, integers and dates; 405 says Allow."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from ig import bounds
from ig.api.body import MAX_BODY_BYTES, MAX_DEPTH, depth_of
from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from tests import factories

PROBLEM = "application/problem+json"


@pytest.fixture
def headers(db: Any, policies: Any) -> dict[str, str]:
    user = factories.make_user(db, roles=sorted(policies.roles.roles))
    _token, raw = tokens.create_token(db, SYSTEM, user, "bounds", utcnow())
    db.commit()
    return {"Authorization": f"Bearer {raw}"}


def report(team: int, **changes: Any) -> dict[str, Any]:
    earlier = (utcnow() - dt.timedelta(hours=2)).isoformat()
    return {
        "narrative": "A letter went to the wrong address",
        "occurred_at": earlier,
        "found_at": earlier,
        "team_id": team,
    } | changes


def problem_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == PROBLEM
    return response.json


def test_a_valid_report_is_accepted(client, db, headers):
    team = factories.make_team(db)
    response = client.post("/api/v1/incidents", json=report(team.id), headers=headers)
    assert response.status_code == 201
    assert response.headers["Location"].endswith(response.json["reference"])


def test_deeply_nested_json_is_a_400_naming_the_limit(client, headers):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post(
        "/api/v1/incidents", data=body, headers=headers, content_type="application/json", csrf=False
    )
    body = problem_of(response, 400)
    assert str(MAX_DEPTH) in body["detail"]


def test_a_body_over_the_limit_is_a_413_naming_it(client, headers):
    response = client.post(
        "/api/v1/training/completions",
        data=b'{"completions": "' + b"x" * MAX_BODY_BYTES + b'"}',
        headers=headers,
        content_type="application/json",
        csrf=False,
    )
    assert str(MAX_BODY_BYTES) in problem_of(response, 413)["detail"]


def test_a_streamed_body_over_the_limit_is_the_same_413(client, headers):
    # A chunked body has no Content-Length: the limit applies as it is read.
    response = client.post(
        "/api/v1/incidents",
        input_stream=io.BytesIO(b'{"narrative": "' + b"x" * MAX_BODY_BYTES + b'"}'),
        headers=headers | {"Content-Type": "application/json"},
        environ_overrides={"wsgi.input_terminated": True},
        csrf=False,
    )
    assert str(MAX_BODY_BYTES) in problem_of(response, 413)["detail"]


def test_the_document_describes_405_with_its_allow_header(client):
    components = client.get("/api/v1/openapi.json").json["components"]
    assert components["responses"]["MethodNotAllowed"]["headers"]["Allow"]["required"]


def test_a_body_that_is_not_json_is_a_415(client, headers):
    response = client.post("/api/v1/incidents", data="narrative=x", headers=headers, csrf=False)
    problem_of(response, 415)


def test_depth_ignores_brackets_inside_strings():
    assert depth_of(b'{"a": "[[[[\\"[[[", "b": [[1]]}') == 3
    assert depth_of(b"[]") == 1


def test_a_narrative_longer_than_the_form_allows_is_refused(client, db, headers):
    team = factories.make_team(db)
    longest = report(team.id, narrative="x" * bounds.LONG_TEXT)
    assert client.post("/api/v1/incidents", json=longest, headers=headers).status_code == 201
    one_more = report(team.id, narrative="x" * (bounds.LONG_TEXT + 1))
    answer = problem_of(client.post("/api/v1/incidents", json=one_more, headers=headers), 422)
    assert "narrative" in answer["detail"]
    two_mb = report(team.id, narrative="x" * 2_000_000)
    problem_of(client.post("/api/v1/incidents", json=two_mb, headers=headers), 413)


@pytest.mark.parametrize("text", ["nul \x00 here", "lone \ud800 surrogate"])
def test_nul_and_lone_surrogates_in_a_body_are_refused(client, db, headers, text):
    team = factories.make_team(db)
    response = client.post(
        "/api/v1/incidents", json=report(team.id, narrative=text), headers=headers
    )
    problem_of(response, 422)


@pytest.mark.parametrize(
    "changes",
    [
        {"occurred_at": "0001-01-01T00:00:00+00:00"},
        {"found_at": "2101-01-01T00:00:00+00:00"},
        {"team_id": 2**70},
        {"team_id": -1},
        {"is_ongoing": "yes"},
    ],
)
def test_out_of_bounds_report_values_are_422(client, db, headers, changes):
    team = factories.make_team(db)
    response = client.post("/api/v1/incidents", json=report(team.id, **changes), headers=headers)
    problem_of(response, 422)


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/training/compliance?on=0001-01-01",
        "/api/v1/training/compliance?on=2101-01-01",
        "/api/v1/training/compliance?team_id=99999999999999999999999",
        "/api/v1/incidents?page=99999999999999999999999",
        "/api/v1/incidents?team=-1",
        "/api/v1/incidents?per_page=501",
        "/api/v1/incidents?reference=%00",
        "/api/v1/incidents?status=",
        "/api/v1/incidents?unknown=1",
        "/api/v1/caldicott/decisions?received_from=0001-01-01",
        "/api/v1/caldicott/decisions?organisation=18446744073709551616",
        "/api/v1/sharing/check?organisation=%00&category=x&purpose=y",
    ],
)
def test_out_of_bounds_query_values_are_422(client, headers, query):
    problem_of(client.get(query, headers=headers), 422)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/api/v1/me", "GET, HEAD, OPTIONS"),
        ("put", "/api/v1/incidents", "GET, HEAD, OPTIONS, POST"),
        ("patch", "/api/v1/training/completions", "OPTIONS, POST"),
    ],
)
def test_a_405_says_which_methods_are_allowed(client, headers, method, path, allowed):
    response = getattr(client, method)(path, headers=headers)
    problem_of(response, 405)
    assert response.headers["Allow"] == allowed


def test_every_problem_status_the_api_answers_is_documented(client):
    document = client.get("/api/v1/openapi.json").json
    post = document["paths"]["/incidents"]["post"]["responses"]
    assert {"201", "400", "401", "403", "409", "413", "415", "422"} <= set(post)
    for status, answer in post.items():
        if status.startswith("4"):
            schema = answer["content"]["application/problem+json"]["schema"]
            assert schema["required"] == ["type", "title", "status"]
    assert "404" in document["paths"]["/incidents/{ref}"]["get"]["responses"]

"""The incident API: what each caller may see, reporting, refusals as problem details."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from tests import factories
from tests.incidents.conftest import breach, report


@pytest.fixture
def bearer(db):
    def make(*roles):
        user = factories.make_user(db, roles=roles)
        _, raw = tokens.create_token(db, SYSTEM, user, "tests", utcnow())
        return user, {"Authorization": f"Bearer {raw}"}

    return make


def test_without_a_token_the_api_answers_401(client):
    response = client.get("/api/v1/incidents")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_ig_team_lists_every_incident(client, db, bearer, policy, team, make_actor):
    one = report(db, make_actor("staff"), policy, team)
    two = breach(db, make_actor("staff"), make_actor("ig_officer"), policy, team, utcnow())
    _, headers = bearer("siro")
    db.commit()
    response = client.get("/api/v1/incidents?per_page=1", headers=headers)
    assert response.status_code == 200, response.data
    body = response.get_json()
    assert body["total"] >= 2
    assert len(body["items"]) == 1
    refs = {
        item["reference"]
        for item in client.get("/api/v1/incidents", headers=headers).get_json()["items"]
    }
    assert {one.reference, two.reference} <= refs
    assert "narrative" not in body["items"][0]


def test_staff_see_their_own_only(client, db, bearer, policy, team, make_actor, policies):
    from ig.auth.service import actor_for

    user, headers = bearer("staff")
    mine = report(db, actor_for(user, policies), policy, team)
    theirs = report(db, make_actor("staff"), policy, team)
    db.commit()
    items = client.get("/api/v1/incidents", headers=headers).get_json()["items"]
    assert [item["reference"] for item in items] == [mine.reference]
    assert client.get(f"/api/v1/incidents/{mine.reference}", headers=headers).status_code == 200
    hidden = client.get(f"/api/v1/incidents/{theirs.reference}", headers=headers)
    assert hidden.status_code == 404
    assert hidden.mimetype == "application/problem+json"


def test_read_one_with_notifications(client, db, bearer, policy, team, make_actor):
    incident = breach(db, make_actor("staff"), make_actor("ig_officer"), policy, team, utcnow())
    _, headers = bearer("auditor")
    db.commit()
    body = client.get(f"/api/v1/incidents/{incident.reference}", headers=headers).get_json()
    assert body["likelihood"] == 3
    assert body["ico_notifiable"] is True
    assert body["deadline_at"].endswith("+00:00")
    assert body["notifications"] == []


def test_report_through_the_api(client, db, bearer, team):
    _, headers = bearer("staff")
    db.commit()
    now = utcnow()
    payload = {
        "narrative": "USB stick lost",
        "occurred_at": (now - dt.timedelta(hours=4)).isoformat(),
        "found_at": (now - dt.timedelta(hours=3)).isoformat(),
        "team_id": team.id,
        "is_ongoing": False,
    }
    response = client.post("/api/v1/incidents", json=payload, headers=headers)
    assert response.status_code == 201
    reference = response.get_json()["reference"]
    assert response.headers["Location"].endswith(f"/api/v1/incidents/{reference}")


@pytest.mark.parametrize(
    ("change", "field_text"),
    [
        ({"narrative": ""}, "Describe what happened"),
        ({"occurred_at": "yesterday"}, "ISO 8601"),
        ({"occurred_at": "2026-06-01T10:00:00"}, "UTC offset"),
        ({"team_id": "7"}, "team_id"),
        ({"team_id": 999_999}, "Choose the team"),
    ],
)
def test_report_with_bad_input_is_refused(client, db, bearer, team, change, field_text):
    _, headers = bearer("staff")
    db.commit()
    payload = {
        "narrative": "x",
        "occurred_at": "2026-01-01T10:00:00+00:00",
        "found_at": "2026-01-01T11:00:00+00:00",
        "team_id": team.id,
        **change,
    }
    response = client.post("/api/v1/incidents", json=payload, headers=headers)
    assert response.status_code == 422
    assert field_text in response.get_json()["detail"]


def test_auditor_cannot_report(client, db, bearer, team):
    _, headers = bearer("auditor")
    db.commit()
    response = client.post("/api/v1/incidents", json={}, headers=headers)
    assert response.status_code == 403


def test_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths["/incidents"]) == {"get", "post"}
    assert "get" in paths["/incidents/{ref}"]

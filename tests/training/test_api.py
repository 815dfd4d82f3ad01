"""The training API: compliance scoped by role, completions posted in bulk."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from ig.training.models import Completion, CompletionSource
from tests.factories import make_user


@pytest.fixture
def bearer(db):
    def make(*roles, user=None):
        user = user or make_user(db, roles=roles)
        _token, raw = tokens.create_token(db, SYSTEM, user, "test", utcnow())
        db.commit()
        return {"Authorization": f"Bearer {raw}"}

    return make


def test_compliance_needs_a_token(client):
    assert client.get("/api/v1/training/compliance").status_code == 401


def test_compliance_refused_to_staff(client, bearer, org):
    assert client.get("/api/v1/training/compliance", headers=bearer("staff")).status_code == 403


def test_organisation_compliance_for_ig(client, bearer, org):
    body = client.get("/api/v1/training/compliance", headers=bearer("ig_officer")).json
    assert body["target_percent"] == 95
    names = {team["name"] for team in body["teams"]}
    assert {"Adult Social Care", "Children's Services", "Eastmere Council"} <= names
    dsa = next(c for c in body["courses"] if c["code"] == "DSA")
    assert (dsa["compliant"], dsa["overdue"]) == (1, 2)


def test_manager_sees_only_their_teams(client, bearer, org):
    headers = bearer(user=org.manager)
    body = client.get("/api/v1/training/compliance", headers=headers).json
    assert {team["name"] for team in body["teams"]} == {"Adult Social Care", "Adults East"}
    dsa = next(c for c in body["courses"] if c["code"] == "DSA")
    assert (dsa["compliant"], dsa["overdue"]) == (1, 1)  # Alice and Bob, never Carol


def test_manager_cannot_guess_another_team(client, bearer, org):
    headers = bearer(user=org.manager)
    mine = client.get(f"/api/v1/training/compliance?team_id={org.adults_east.id}", headers=headers)
    assert mine.status_code == 200
    assert [team["name"] for team in mine.json["teams"]] == ["Adults East"]
    other = client.get(f"/api/v1/training/compliance?team_id={org.children.id}", headers=headers)
    assert other.status_code == 404


def test_manager_without_teams_sees_nothing(client, bearer, org, db):
    body = client.get("/api/v1/training/compliance", headers=bearer("manager")).json
    assert body["teams"] == []
    assert body["overall"]["counted"] == 0


def test_compliance_at_a_past_date_and_bad_date(client, bearer, org):
    headers = bearer("ig_officer")
    body = client.get("/api/v1/training/compliance?on=2020-03-31", headers=headers).json
    assert body["on"] == "2020-03-31"
    bad = client.get("/api/v1/training/compliance?on=31/03/2020", headers=headers)
    assert bad.status_code == 422


def post(client, headers, items):
    return client.post("/api/v1/training/completions", json={"completions": items}, headers=headers)


def test_post_completions(client, bearer, org, db):
    headers = bearer("ig_officer")
    items = [
        {"staff_number": org.bob.staff_number, "course_code": "DSA", "completed_on": "2026-01-05"}
    ]
    response = post(client, headers, items)
    assert response.status_code == 200, response.json
    assert response.json == {"added": 1, "unchanged": 0}
    assert post(client, headers, items).json == {"added": 0, "unchanged": 1}
    sources = db.scalars(select(Completion.source).where(Completion.staff_id == org.bob.id))
    assert list(sources) == [CompletionSource.API]


def test_post_completions_all_or_nothing(client, bearer, org, db):
    headers = bearer("ig_officer")
    before = db.scalar(select(func.count()).select_from(Completion))
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()  # noqa: DTZ011
    items = [
        {"staff_number": org.bob.staff_number, "course_code": "DSA", "completed_on": "2026-01-05"},
        {"staff_number": "NOBODY", "course_code": "DSA", "completed_on": "2026-01-05"},
        {"staff_number": org.bob.staff_number, "course_code": "DSA", "completed_on": future},
        {"staff_number": org.bob.staff_number, "course_code": "DSA", "completed_on": "2026-01-05"},
        "nonsense",
    ]
    response = post(client, headers, items)
    assert response.status_code == 422
    errors = {e["index"]: e["reason"] for e in response.json["errors"]}
    assert set(errors) == {1, 2, 3, 4}
    assert "NOBODY" in errors[1]
    assert "future" in errors[2]
    assert errors[3] == "repeats an earlier item"
    assert db.scalar(select(func.count()).select_from(Completion)) == before


def test_post_completions_refused_to_managers_and_bad_bodies(client, bearer, org):
    assert post(client, bearer(user=org.manager), []).status_code == 403
    headers = bearer("ig_officer")
    assert post(client, headers, []).status_code == 422
    response = client.open(
        "/api/v1/training/completions",
        method="POST",
        data="x",
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 422


def test_compliance_answers_are_reused_until_the_data_changes(client, bearer, org):
    officer, manager = bearer("ig_officer"), bearer(user=org.manager)

    def dsa(headers):
        body = client.get("/api/v1/training/compliance", headers=headers).json
        course = next(c for c in body["courses"] if c["code"] == "DSA")
        return course["compliant"], course["overdue"]

    assert [dsa(officer), dsa(manager)] == [(1, 2), (1, 1)]
    assert [dsa(officer), dsa(manager)] == [(1, 2), (1, 1)]  # from the cache
    today = dt.date.today()  # noqa: DTZ011 - the API answers for today
    item = {"staff_number": org.bob.staff_number, "course_code": "DSA"}
    item["completed_on"] = (today - dt.timedelta(days=3)).isoformat()
    assert post(client, officer, [item]).json["added"] == 1
    assert [dsa(officer), dsa(manager)] == [(2, 1), (2, 0)]

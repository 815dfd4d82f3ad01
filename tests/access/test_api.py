"""The access API: every request as JSON, filtered and paged, and one request, behind
access.report; the encrypted reasons never leave."""

from __future__ import annotations

import datetime as dt

import pytest

from ig.access import service
from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import utcnow
from ig.people.models import TeamManager
from tests.access.helpers import POLICY, as_actor, make_world
from tests.access.test_report import GRANTED, REMOVED, held
from tests.factories import make_asset, make_staff, make_team, make_user

URL = "/api/v1/access-grants"


@pytest.fixture
def bearer(db):
    def make(*roles):
        user = make_user(db, roles=roles)
        _token, raw = tokens.create_token(db, SYSTEM, user, "test", utcnow())
        db.commit()
        return {"Authorization": f"Bearer {raw}"}

    return make


def _asked(db, world, staff):
    data = service.AccessInput(world.asset.id, "edit", "Secret reason", staff.id)
    return service.request_access(db, as_actor(world.manager), POLICY, data, utcnow())


@pytest.mark.parametrize("role", ["staff", "manager", "caldicott_guardian"])
def test_the_api_needs_access_report(client, bearer, db, role):
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=bearer(role)).status_code == 403
    assert client.get(f"{URL}/1", headers=bearer(role)).status_code == 403


def test_the_list_filters_by_asset_team_state_and_date(client, bearer, db):
    world = make_world(db)
    kept = held(db, world, removed=False)
    gone = held(db, world, staff=make_staff(db, world.team, name="Sam Lee"))
    other_team = make_team(db)
    db.add(TeamManager(team_id=other_team.id, user_id=world.manager.id))
    other_asset = make_asset(db, world.owner, name="Payroll")
    elsewhere = held(db, world, staff=make_staff(db, other_team), asset=other_asset, removed=False)
    asked = _asked(db, world, make_staff(db, world.team, name="New Starter"))
    headers = bearer("auditor")

    def ids(query=""):
        response = client.get(f"{URL}{query}", headers=headers)
        assert response.status_code == 200, response.get_json()
        return sorted(item["id"] for item in response.get_json()["items"])

    everything = sorted([kept.id, gone.id, elsewhere.id, asked.id])
    assert ids() == everything
    assert ids(f"?asset={other_asset.id}") == [elsewhere.id]
    assert ids(f"?team={world.directorate.id}") == sorted([kept.id, gone.id, asked.id])
    assert ids(f"?team={other_team.id}&asset={world.asset.id}") == []
    assert ids("?status=requested") == [asked.id]
    assert ids("?status=removed") == [gone.id]
    assert ids(f"?on={(REMOVED - dt.timedelta(days=1)).isoformat()}") == sorted(
        [kept.id, gone.id, elsewhere.id]
    )
    assert ids(f"?on={REMOVED.isoformat()}") == sorted([kept.id, elsewhere.id])
    assert ids(f"?on={(GRANTED - dt.timedelta(days=1)).isoformat()}") == []
    assert ids("?team=999999") == []  # an unknown team holds nothing
    body = client.get(f"{URL}?asset={other_asset.id}", headers=headers).get_json()
    item = body["items"][0]
    assert item["asset"] == {"id": other_asset.id, "name": "Payroll"}
    assert item["staff"]["team"] == {"id": other_team.id, "name": other_team.name}
    assert item["status"] == "granted"
    assert item["granted_on"] == GRANTED.isoformat()
    assert "Secret reason" not in client.get(URL, headers=headers).get_data(as_text=True)


def test_the_list_pages(client, bearer, db):
    world = make_world(db)
    made = [_asked(db, world, make_staff(db, world.team)).id for _ in range(5)]
    headers = bearer("siro")
    first = client.get(f"{URL}?per_page=2", headers=headers).get_json()
    assert (first["total"], first["pages"], first["page"]) == (5, 3, 1)
    last = client.get(f"{URL}?per_page=2&page=3", headers=headers).get_json()
    seen = [i["id"] for i in first["items"]] + [i["id"] for i in last["items"]]
    assert len(last["items"]) == 1
    assert set(seen) < set(made)
    beyond = client.get(f"{URL}?per_page=2&page=4", headers=headers).get_json()
    assert beyond["items"] == []
    assert beyond["total"] == 5


@pytest.mark.parametrize(
    "query", ["?status=maybe", "?on=2026-02-30", "?asset=0", "?per_page=501", "?team=x"]
)
def test_a_bad_filter_is_a_clear_422(client, bearer, db, query):
    response = client.get(f"{URL}{query}", headers=bearer("ig_officer"))
    assert response.status_code == 422
    assert response.get_json()["detail"] or response.get_json()["title"]


def test_one_request_with_who_moved_it(client, bearer, db):
    world = make_world(db)
    item = held(db, world)
    headers = bearer("ig_officer")
    body = client.get(f"{URL}/{item.id}", headers=headers).get_json()
    assert body["id"] == item.id
    assert body["status"] == "removed"
    assert body["granted_by_user_id"] == world.owner.id
    assert body["decided_by_user_id"] == world.manager.id
    assert body["removed_on"] == REMOVED.isoformat()
    assert "reason" not in str(body)
    assert client.get(f"{URL}/999999", headers=headers).status_code == 404
    assert client.get(f"{URL}/abc", headers=headers).status_code in (404, 422)


def test_the_list_makes_the_same_queries_for_any_number_of_rows(client, bearer, db, engine):
    from tests.queries import counting

    world = make_world(db)
    headers = bearer("auditor")
    held(db, world)
    db.commit()
    db.expunge_all()  # nothing already loaded: each request's queries are counted whole
    with counting(engine, selects_only=True) as few:
        assert client.get(f"{URL}?team={world.directorate.id}", headers=headers).status_code == 200
    for number in range(6):
        staff = make_staff(db, world.team)
        held(db, world, staff=staff, asset=make_asset(db, world.owner, name=f"S{number}"))
    db.commit()
    db.expunge_all()
    with counting(engine, selects_only=True) as many:
        body = client.get(f"{URL}?team={world.directorate.id}", headers=headers).get_json()
    assert body["total"] == 7
    assert len(many) <= len(few)

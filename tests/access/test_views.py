"""The access pages: who may open them, CSRF, asking, deciding, granting and removing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ig.access import service
from ig.access.models import AccessRequest
from ig.access.rules import AccessStatus
from ig.db import london_today, utcnow
from tests.access.helpers import POLICY, as_actor, make_world, sign_in
from tests.factories import make_asset, make_staff
from tests.queries import statements_for_get


def ask_for(db, world, **changes):
    values = {"asset_id": world.asset.id, "level": "read", "reason": "Caseload"} | changes
    data = service.AccessInput(**values)
    return service.request_access(db, as_actor(world.staff_user), POLICY, data, utcnow())


def approved(db, world):
    item = ask_for(db, world)
    service.decide_request(db, as_actor(world.manager), item.id, True, "Needed", utcnow())
    return item


def reload(db, item):
    db.expire_all()
    return db.get(AccessRequest, item.id)


def test_pages_need_signing_in_and_the_request_permission(client, login_as):
    assert client.get("/access/request").status_code == 302
    login_as("administrator")
    assert client.get("/access/request").status_code == 403
    assert client.get("/access/assets/search?q=a").status_code == 403


@pytest.mark.parametrize("role", ["staff", "manager", "ig_officer", "siro"])
def test_staff_facing_roles_may_ask(client, login_as, role):
    login_as(role)
    assert client.get("/access/request").status_code == 200


def test_staff_ask_for_themselves_by_typing_the_assets_name(client, db):
    world = make_world(db)
    sign_in(client, db, world.staff_user)
    response = client.post(
        "/access/request",
        data={"asset_name": world.asset.name, "level": "edit", "reason": "New caseload"},
    )
    assert response.status_code == 302
    item = db.scalar(select(AccessRequest))
    assert (item.staff_id, item.level, item.status) == (
        world.staff.id,
        "edit",
        AccessStatus.REQUESTED,
    )


def test_a_refused_request_shows_the_reason_and_saves_nothing(client, db):
    world = make_world(db)
    sign_in(client, db, world.staff_user)
    response = client.post(
        "/access/request", data={"asset_name": "No such system", "level": "edit", "reason": "x"}
    )
    assert response.status_code == 422
    assert "No information asset matches" in response.get_data(as_text=True)
    response = client.post(
        "/access/request", data={"asset_name": world.asset.name, "level": "root", "reason": "x"}
    )
    assert response.status_code == 422
    assert db.scalar(select(AccessRequest)) is None


def test_asking_without_csrf_is_refused(client, db):
    world = make_world(db)
    sign_in(client, db, world.staff_user)
    data = {"asset_name": world.asset.name, "level": "edit", "reason": "x"}
    assert client.post("/access/request", csrf=False, data=data).status_code == 400
    assert db.scalar(select(AccessRequest)) is None


def test_a_manager_asks_for_their_staff_and_cannot_for_others(client, db):
    world = make_world(db)
    stranger = make_staff(db)
    sign_in(client, db, world.manager)
    found = client.get("/access/staff/search?q=Priya").json
    assert [c["id"] for c in found] == [world.staff.id]
    assert client.get(f"/access/staff/search?q={stranger.name}").json == []
    data = {
        "asset_name": world.asset.name,
        "staff_name": stranger.name,
        "level": "read",
        "reason": "x",
    }
    assert client.post("/access/request", data=data).status_code == 422
    data["staff_name"] = "Priya Shah"
    assert client.post("/access/request", data=data).status_code == 302
    assert db.scalar(select(AccessRequest.staff_id)) == world.staff.id


def test_the_manager_sees_and_decides_their_staffs_requests(client, db):
    world = make_world(db)
    item = ask_for(db, world)
    sign_in(client, db, world.manager)
    page = client.get("/access/approvals").get_data(as_text=True)
    assert "Priya Shah" in page
    assert world.asset.name in page
    assert client.get(f"/access/{item.id}/decide").status_code == 200
    assert client.post(f"/access/{item.id}/decide", csrf=False, data={}).status_code == 400
    assert client.post(f"/access/{item.id}/decide", data={"reason": "Ok"}).status_code == 422
    assert reload(db, item).status is AccessStatus.REQUESTED
    response = client.post(
        f"/access/{item.id}/decide", data={"decision": "approve", "reason": "Ok"}
    )
    assert response.status_code == 302
    assert reload(db, item).status is AccessStatus.APPROVED


def test_others_cannot_open_or_post_a_decision(client, db, login_as):
    world = make_world(db)
    item = ask_for(db, world)
    for user in (world.staff_user, world.owner):
        sign_in(client, db, user)
        assert client.get(f"/access/{item.id}/decide").status_code == 403
        data = {"decision": "approve", "reason": "Ok"}
        assert client.post(f"/access/{item.id}/decide", data=data).status_code == 403
    login_as("manager")
    assert "Priya Shah" not in client.get("/access/approvals").get_data(as_text=True)
    assert reload(db, item).status is AccessStatus.REQUESTED


def test_the_owner_grants_then_removes_access(client, db):
    world = make_world(db)
    item = approved(db, world)
    sign_in(client, db, world.owner)
    assert "Record granted" in client.get("/access/keeper").get_data(as_text=True)
    today = london_today()
    day = {"granted_on": [str(today.day), str(today.month), str(today.year)]}
    assert client.post(f"/access/{item.id}/grant", data=day).status_code == 302
    assert reload(db, item).granted_on == today
    removal = {"removed_on": day["granted_on"], "removal_reason": "Left the team"}
    assert client.post(f"/access/{item.id}/remove", data=removal).status_code == 302
    assert reload(db, item).status is AccessStatus.REMOVED


def test_only_the_assets_keepers_open_grant_and_removal(client, db):
    world = make_world(db)
    item = approved(db, world)
    sign_in(client, db, world.manager)
    assert client.get(f"/access/{item.id}/grant").status_code == 403
    assert client.post(f"/access/{item.id}/remove", data={}).status_code == 403
    assert "Priya Shah" not in client.get("/access/keeper").get_data(as_text=True)


def test_a_future_grant_date_is_refused_on_the_page(client, db):
    world = make_world(db)
    item = approved(db, world)
    sign_in(client, db, world.administrator)
    data = {"granted_on": ["1", "1", str(london_today().year + 1)]}
    response = client.post(f"/access/{item.id}/grant", data=data)
    assert response.status_code == 422
    assert "future" in response.get_data(as_text=True)
    assert reload(db, item).status is AccessStatus.APPROVED


def test_the_lists_make_no_query_per_row(client, db, engine):
    world = make_world(db)
    ask_for(db, world)
    sign_in(client, db, world.manager)
    few = statements_for_get(engine, client, "/access/approvals", selects_only=True)
    for number in range(6):
        other = make_staff(db, world.team)
        data = service.AccessInput(
            make_asset(db, name=f"System {number}").id, "read", "x", other.id
        )
        service.request_access(db, as_actor(world.manager), POLICY, data, utcnow())
    many = statements_for_get(engine, client, "/access/approvals", selects_only=True)
    assert many <= few

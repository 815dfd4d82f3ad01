"""Home tasks: the line manager's requests to decide, the keeper's approved access to grant."""

from __future__ import annotations

from ig.access import service
from ig.access.tasks import access_tasks
from ig.db import utcnow
from tests.access.helpers import POLICY, as_actor, make_world


def titles(db, user):
    return [(t.title, t.count) for t in access_tasks(db, as_actor(user))]


def test_tasks_follow_the_request_through_its_steps(db):
    world = make_world(db)
    assert titles(db, world.manager) == titles(db, world.owner) == []
    data = service.AccessInput(world.asset.id, "read", "Caseload")
    item = service.request_access(db, as_actor(world.staff_user), POLICY, data, utcnow())
    assert titles(db, world.manager) == [("Approve or decline requests for access", 1)]
    assert titles(db, world.owner) == titles(db, world.staff_user) == []
    service.decide_request(db, as_actor(world.manager), item.id, True, "Ok", utcnow())
    assert titles(db, world.manager) == []
    for keeper in (world.owner, world.administrator):
        assert titles(db, keeper) == [("Grant approved access to your systems", 1)]
    service.record_granted(db, as_actor(world.owner), POLICY, item.id, utcnow().date(), utcnow())
    assert titles(db, world.owner) == []


def test_nobody_signed_in_has_no_tasks(db):
    assert (
        access_tasks(
            db, as_actor(type("U", (), {"id": None, "email": "", "role_names": frozenset()})())
        )
        == []
    )

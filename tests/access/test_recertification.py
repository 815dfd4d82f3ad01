"""Recertification: the line manager keeps or removes each person's access each cycle;
overdue recertification is reminded and escalated; leavers' access is a removal task."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from ig.access import service
from ig.access.recertification import recertify_access
from ig.access.rules import AccessStatus, add_months
from ig.access.tasks import access_tasks
from ig.audit.models import AuditEntry
from ig.errors import InvalidTransition, PermissionDenied
from ig.reminders.engine import run_pass
from ig.reminders.models import Reminder
from tests.access.helpers import NOW, POLICY, as_actor, audit_actions, make_world, sign_in
from tests.factories import make_staff, make_user

GRANTED = NOW.date() - dt.timedelta(days=100)  # a quarter and more ago


def granted(db, world, staff=None, on=GRANTED):
    manager = as_actor(world.manager)
    data = service.AccessInput(world.asset.id, "read", "Caseload", (staff or world.staff).id)
    asked = dt.datetime.combine(on, dt.time(9), tzinfo=dt.UTC)
    item = service.request_access(db, manager, POLICY, data, asked)
    service.decide_request(db, manager, item.id, True, "Ok", asked)
    return service.record_granted(db, as_actor(world.owner), POLICY, item.id, on, NOW)


def test_granting_sets_the_first_recertification_a_cycle_later(db):
    item = granted(db, make_world(db))
    assert item.recertify_by == add_months(GRANTED, 3)


def test_keeping_recertifies_for_another_cycle(db):
    world = make_world(db)
    item = granted(db, world)
    recertify_access(db, as_actor(world.manager), POLICY, item.id, True, NOW)
    assert item.recertify_by == add_months(NOW.date(), 3)
    assert (item.recertified_on, item.recertified_by_user_id) == (NOW.date(), world.manager.id)
    assert audit_actions(db, item.id)[-1] == "access.recertified"


def test_removing_asks_the_keeper_and_gives_them_a_task(db):
    world = make_world(db)
    item = granted(db, world)
    recertify_access(db, as_actor(world.manager), POLICY, item.id, False, NOW)
    assert item.removal_asked_on == NOW.date()
    assert item.status is AccessStatus.GRANTED  # until the keeper records it removed
    assert audit_actions(db, item.id)[-1] == "access.removal_asked"
    tasks = [t.title for t in access_tasks(db, as_actor(world.administrator))]
    assert "Remove access from your systems" in tasks
    service.record_removed(db, as_actor(world.owner), item.id, NOW.date(), "Asked", NOW)
    assert "Remove access from your systems" not in [
        t.title for t in access_tasks(db, as_actor(world.owner))
    ]


def test_a_leaver_still_holding_access_is_a_removal_task(db):
    world = make_world(db)
    leaver = make_staff(db, world.team)
    granted(db, world, staff=leaver)  # while still in post
    leaver.left_on = NOW.date() - dt.timedelta(days=1)
    db.flush()
    titles = [t.title for t in access_tasks(db, as_actor(world.owner))]
    assert titles == ["Remove access from your systems"]


def test_the_keepers_page_says_why_access_is_to_be_removed(client, db):
    world = make_world(db)
    item = granted(db, world)
    world.staff.left_on = NOW.date() - dt.timedelta(days=1)
    recertify_access(db, as_actor(world.manager), POLICY, item.id, False, NOW)
    sign_in(client, db, world.owner)
    page = client.get("/access/keeper").get_data(as_text=True)
    assert "Line manager asked to remove" in page
    assert "Has left" in page


def test_only_the_line_manager_recertifies_and_only_access_held(db):
    world = make_world(db)
    item = granted(db, world)
    entries = db.scalar(select(func.count(AuditEntry.id)))
    for who in (world.owner, world.staff_user, make_user(db, roles=("manager",))):
        with pytest.raises(PermissionDenied, match="line manager"):
            recertify_access(db, as_actor(who), POLICY, item.id, True, NOW)
    recertify_access(db, as_actor(world.manager), POLICY, item.id, False, NOW)
    with pytest.raises(InvalidTransition):
        recertify_access(db, as_actor(world.manager), POLICY, item.id, True, NOW)
    assert db.scalar(select(func.count(AuditEntry.id))) == entries + 1


def test_the_manager_sees_the_task_when_recertification_is_due(db):
    world = make_world(db)
    granted(db, world, on=NOW.date())  # due in a quarter: no task yet
    assert access_tasks(db, as_actor(world.manager)) == []
    granted(db, world, staff=make_staff(db, world.team))
    assert [t.title for t in access_tasks(db, as_actor(world.manager))] == [
        "Recertify your staff's access to systems"
    ]


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def test_overdue_recertification_reminds_the_manager_then_escalates(db, policies):
    officer = make_user(db, roles=("ig_officer",))
    world = make_world(db)
    item = granted(db, world)
    due = item.recertify_by
    me, ig_team = f"user:{world.manager.id}", f"user:{officer.id}"
    seen: set[int] = set()
    for day, wanted in (
        (due - dt.timedelta(days=7), {(me, "before-7")}),
        (due + dt.timedelta(days=1), {(me, "overdue")}),
        (due + dt.timedelta(days=15), {(me, "overdue"), (ig_team, "escalated")}),
    ):
        run_pass(db, policies.reminders, at(day))
        new = db.scalars(
            select(Reminder).where(
                Reminder.record_type == "access_request", Reminder.record_id == str(item.id)
            )
        ).all()
        got = {(r.recipient_key, r.stage) for r in new if r.id not in seen}
        assert {k for k in got if k[0] in (me, ig_team)} == wanted, day
        seen |= {r.id for r in new}


def test_the_recertification_page_keeps_and_removes_with_csrf(client, db):
    world = make_world(db)
    item = granted(db, world)
    sign_in(client, db, world.manager)
    page = client.get("/access/recertify").get_data(as_text=True)
    assert "Priya Shah" in page
    url = f"/access/{item.id}/recertify"
    assert client.post(url, csrf=False, data={"decision": "keep"}).status_code == 400
    assert client.post(url, data={"decision": "maybe"}).status_code == 400
    assert client.post(url, data={"decision": "keep"}).status_code == 302
    db.expire_all()
    assert "Priya Shah" not in client.get("/access/recertify").get_data(as_text=True)
    sign_in(client, db, world.owner)
    assert client.post(url, data={"decision": "remove"}).status_code == 403

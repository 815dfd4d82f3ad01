"""The access services: each step and its audit entry, and every refusal changing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from ig.access import service
from ig.access.models import AccessRequest
from ig.access.rules import AccessStatus
from ig.audit.models import AuditEntry
from ig.errors import InvalidTransition, PermissionDenied, ValidationFailed
from tests.access.helpers import NOW, POLICY, as_actor, audit_actions, make_world
from tests.factories import make_staff, make_team, make_user

LATER = NOW + dt.timedelta(days=1)


def ask(db, world, actor=None, **changes):
    values = {"asset_id": world.asset.id, "level": "edit", "reason": "New caseload"} | changes
    data = service.AccessInput(**values)
    return service.request_access(db, actor or as_actor(world.staff_user), POLICY, data, NOW)


def counts(db):
    return (
        db.scalar(select(func.count(AccessRequest.id))),
        db.scalar(select(func.count(AuditEntry.id))),
    )


def test_the_whole_journey_writes_an_audit_entry_at_each_step(db):
    world = make_world(db)
    item = ask(db, world)
    assert (item.status, item.staff_id, item.reason) == (
        AccessStatus.REQUESTED,
        world.staff.id,
        "New caseload",
    )
    service.decide_request(db, as_actor(world.manager), item.id, True, "Needed", NOW)
    assert (item.status, item.decided_by_user_id) == (AccessStatus.APPROVED, world.manager.id)
    service.record_granted(db, as_actor(world.administrator), POLICY, item.id, LATER.date(), LATER)
    assert (item.status, item.granted_on) == (AccessStatus.GRANTED, LATER.date())
    service.record_removed(db, as_actor(world.owner), item.id, LATER.date(), "Moved team", LATER)
    assert (item.status, item.removed_on, item.removal_reason) == (
        AccessStatus.REMOVED,
        LATER.date(),
        "Moved team",
    )
    assert audit_actions(db, item.id) == [
        "access.requested",
        "access.approved",
        "access.granted",
        "access.removed",
    ]


def test_a_manager_asks_on_behalf_of_their_staff_and_may_decline(db):
    world = make_world(db)
    item = ask(db, world, as_actor(world.manager), staff_id=world.staff.id)
    assert item.requested_by_user_id == world.manager.id
    assert item.staff_id == world.staff.id
    service.decide_request(db, as_actor(world.manager), item.id, False, "Not in role", NOW)
    assert item.status is AccessStatus.DECLINED
    assert audit_actions(db, item.id) == ["access.requested", "access.declined"]


def refused(db, error, match, call):
    before = counts(db)
    with pytest.raises(error, match=match):
        call()
    assert counts(db) == before


def test_asking_for_someone_outside_ones_teams_is_refused(db):
    world = make_world(db)
    stranger = make_user(db, roles=("manager",))
    refused(
        db,
        PermissionDenied,
        "your own staff",
        lambda: ask(db, world, as_actor(stranger), staff_id=world.staff.id),
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"asset_id": None}, "asset"),
        ({"level": "root"}, "level"),
        ({"reason": "  "}, "reason"),
        ({"reason": "x" * 2001}, "reason"),
    ],
)
def test_a_bad_request_names_its_field_and_changes_nothing(db, changes, field):
    world = make_world(db)
    before = counts(db)
    with pytest.raises(ValidationFailed) as failed:
        ask(db, world, **changes)
    assert failed.value.field == field
    assert counts(db) == before


def test_a_second_open_request_for_the_same_system_is_refused(db):
    world = make_world(db)
    ask(db, world)
    refused(db, ValidationFailed, "already has access", lambda: ask(db, world, level="read"))


def test_someone_without_a_staff_record_or_a_leaver_cannot_ask(db):
    world = make_world(db)
    refused(db, ValidationFailed, "not linked", lambda: ask(db, world, as_actor(make_user(db))))
    leaver = make_staff(db, world.team, left_on=dt.date(2026, 1, 1))
    refused(
        db,
        ValidationFailed,
        "has left",
        lambda: ask(db, world, as_actor(world.manager), staff_id=leaver.id),
    )


def test_nobody_approves_their_own_access(db):
    world = make_world(db)
    # The manager is also a member of staff in a team they manage.
    own = make_staff(db, world.team, user_id=world.manager.id)
    item = ask(db, world, as_actor(world.manager), staff_id=own.id)
    refused(
        db,
        PermissionDenied,
        "own access",
        lambda: service.decide_request(db, as_actor(world.manager), item.id, True, "Me", NOW),
    )
    assert item.status is AccessStatus.REQUESTED


def test_a_manager_cannot_approve_someone_outside_their_teams(db):
    world = make_world(db)
    item = ask(db, world)
    other = make_user(db, roles=("manager",))
    from ig.people.models import TeamManager

    db.add(TeamManager(team_id=make_team(db).id, user_id=other.id))
    db.flush()
    for who in (other, world.owner, world.staff_user):
        refused(
            db,
            PermissionDenied,
            "line manager|own access",
            lambda who=who: service.decide_request(db, as_actor(who), item.id, True, "Ok", NOW),
        )
    assert item.status is AccessStatus.REQUESTED


def test_a_decision_needs_a_reason(db):
    world = make_world(db)
    item = ask(db, world)
    refused(
        db,
        ValidationFailed,
        "reason",
        lambda: service.decide_request(db, as_actor(world.manager), item.id, True, " ", NOW),
    )


def test_only_the_owner_or_administrator_records_grant_and_removal(db):
    world = make_world(db)
    item = ask(db, world)
    service.decide_request(db, as_actor(world.manager), item.id, True, "Needed", NOW)
    others = (world.manager, world.staff_user, make_user(db, roles=("ig_officer",)))
    for actor in [as_actor(who) for who in others]:
        refused(
            db,
            PermissionDenied,
            "owner or administrator",
            lambda a=actor: service.record_granted(db, a, POLICY, item.id, NOW.date(), NOW),
        )
    service.record_granted(db, as_actor(world.owner), POLICY, item.id, NOW.date(), NOW)
    refused(
        db,
        PermissionDenied,
        "owner or administrator",
        lambda: service.record_removed(db, as_actor(world.manager), item.id, NOW.date(), "x", NOW),
    )
    assert item.status is AccessStatus.GRANTED


def test_states_move_only_forward(db):
    world = make_world(db)
    item = ask(db, world)
    owner, manager = as_actor(world.owner), as_actor(world.manager)
    refused(
        db,
        InvalidTransition,
        "only forward",
        lambda: service.record_granted(db, owner, POLICY, item.id, NOW.date(), NOW),
    )
    service.decide_request(db, manager, item.id, False, "No", NOW)
    refused(
        db,
        InvalidTransition,
        "only forward",
        lambda: service.decide_request(db, manager, item.id, True, "Yes after all", NOW),
    )
    refused(
        db,
        InvalidTransition,
        "only forward",
        lambda: service.record_removed(db, owner, item.id, NOW.date(), "x", NOW),
    )
    assert item.status is AccessStatus.DECLINED


def test_grant_and_removal_dates_are_checked(db):
    world = make_world(db)
    item = ask(db, world)
    owner = as_actor(world.owner)
    service.decide_request(db, as_actor(world.manager), item.id, True, "Needed", NOW)
    for on, match in ((LATER.date(), "future"), (NOW.date() - dt.timedelta(days=1), "approval")):
        refused(
            db,
            ValidationFailed,
            match,
            lambda on=on: service.record_granted(db, owner, POLICY, item.id, on, NOW),
        )
    service.record_granted(db, owner, POLICY, item.id, NOW.date(), NOW)
    refused(
        db,
        ValidationFailed,
        "granted",
        lambda: service.record_removed(
            db, owner, item.id, NOW.date() - dt.timedelta(days=1), "x", NOW
        ),
    )
    refused(
        db,
        ValidationFailed,
        "why",
        lambda: service.record_removed(db, owner, item.id, NOW.date(), "", NOW),
    )

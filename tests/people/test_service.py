"""Teams, managers and the staff register: scoping and lists."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from ig.auth.rules import SYSTEM, Actor
from ig.errors import NotFound, ValidationFailed
from ig.people import hierarchy, service
from ig.people.models import Staff, Team, TeamKind
from tests.factories import make_staff, make_team, make_user


@pytest.fixture
def tree(db):
    top = hierarchy.create_team(db, SYSTEM, "Eastmere", TeamKind.DIRECTORATE)
    adults = hierarchy.create_team(db, SYSTEM, "Adults", TeamKind.SERVICE, top)
    east = hierarchy.create_team(db, SYSTEM, "Adults East", TeamKind.TEAM, adults)
    children = hierarchy.create_team(db, SYSTEM, "Children", TeamKind.SERVICE, top)
    return top, adults, east, children


def test_paths_follow_the_hierarchy(tree):
    top, adults, east, _children = tree
    assert east.path == f"/{top.id}/{adults.id}/{east.id}/"
    assert service.team_path_ids(east) == [top.id, adults.id, east.id]


def test_manager_sees_their_team_and_those_below(db, tree):
    _top, adults, east, children = tree
    manager = make_user(db, roles=("manager",))
    hierarchy.add_team_manager(db, SYSTEM, adults, manager.id)
    hierarchy.add_team_manager(db, SYSTEM, adults, manager.id)  # idempotent
    ids = set(db.scalars(service.managed_team_ids(db, manager.id)))
    assert ids == {adults.id, east.id}
    assert children.id not in ids


def test_someone_managing_nothing_sees_nothing(db, tree):
    assert list(db.scalars(service.managed_team_ids(db, None))) == []
    assert list(db.scalars(service.managed_team_ids(db, 424242))) == []


def test_visible_team_ids_by_permission(db, tree):
    everyone = Actor(1, "ig", permissions=frozenset({"people.view_all"}))
    assert service.visible_team_ids(db, everyone) is None
    manager = Actor(2, "m", permissions=frozenset({"training.view_team"}))
    assert service.visible_team_ids(db, manager) is not None


def test_get_staff_outside_scope_is_not_found(db, tree):
    _top, adults, east, children = tree
    manager = make_user(db, roles=("manager",))
    hierarchy.add_team_manager(db, SYSTEM, adults, manager.id)
    mine = make_staff(db, east)
    theirs = make_staff(db, children)
    scope = service.managed_team_ids(db, manager.id)
    assert service.get_staff(db, mine.id, scope) is mine
    with pytest.raises(NotFound):
        service.get_staff(db, theirs.id, scope)


def test_list_staff_leaves_out_leavers_unless_asked(db, tree):
    team = tree[2]
    make_staff(db, team, name="Stayer")
    make_staff(db, team, name="Leaver", left_on=dt.date(2026, 1, 31))
    make_staff(db, team, name="Starter", started_on=dt.date(2026, 6, 1))
    on = dt.date(2026, 3, 1)
    names = [s.name for s in service.list_staff(db, service.StaffFilter(on_date=on)).rows]
    assert names == ["Stayer"]
    every = service.list_staff(db, service.StaffFilter(on_date=on, include_leavers=True))
    assert {s.name for s in every.rows} == {"Stayer", "Leaver", "Starter"}
    found = service.list_staff(db, service.StaffFilter(on_date=on, search="stay"))
    assert found.total == 1


def test_find_staff(db, tree):
    user = make_user(db)
    staff = make_staff(db, tree[2], staff_number="X42", user_id=user.id)
    assert service.find_staff_by_number(db, " X42 ") is staff
    assert service.find_staff_by_number(db, "nope") is None
    assert service.find_staff_for_user(db, user.id) is staff
    assert service.find_staff_for_user(db, None) is None


def test_create_team_needs_a_name(db):
    with pytest.raises(ValidationFailed):
        hierarchy.create_team(db, SYSTEM, "  ", TeamKind.TEAM)


def test_team_factory_matches_the_service(db):
    team = make_team(db, name="F")
    assert db.scalar(select(Team.path).where(Team.id == team.id)) == f"/{team.id}/"
    assert db.scalar(select(Staff).limit(1)) is None

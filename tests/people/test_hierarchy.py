"""Administering the team hierarchy: creating, renaming and moving teams, and their
managers. Every refusal is checked to change nothing."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.auth.rules import SYSTEM
from ig.errors import EditConflict, NotFound, ValidationFailed
from ig.people import hierarchy, pickers, rules, service
from ig.people.models import Team, TeamKind, TeamManager
from tests.factories import make_user

D, S, T = TeamKind.DIRECTORATE, TeamKind.SERVICE, TeamKind.TEAM


@pytest.fixture
def tree(db):
    """Council > Adults > {East > East Duty, West}; Council > Children."""
    council = hierarchy.create_team(db, SYSTEM, "Council", D)
    adults = hierarchy.create_team(db, SYSTEM, "Adults", S, council)
    east = hierarchy.create_team(db, SYSTEM, "East", T, adults)
    duty = hierarchy.create_team(db, SYSTEM, "East Duty", T, east)
    west = hierarchy.create_team(db, SYSTEM, "West", T, adults)
    children = hierarchy.create_team(db, SYSTEM, "Children", S, council)
    return {t.name: t for t in (council, adults, east, duty, west, children)}


def paths(db) -> dict[str, str]:
    """Every team's stored path by name, read from the database, not the session."""
    db.expire_all()
    return dict(db.execute(select(Team.name, Team.path)).all())


def audit(db, action: str) -> list[AuditEntry]:
    return list(
        db.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq))
    )


def team_count(db) -> int:
    return db.scalar(select(func.count()).select_from(Team)) or 0


@pytest.mark.parametrize(
    ("kind", "parent", "fits"),
    [
        (D, None, True),
        (S, None, True),
        (T, None, True),
        (D, D, True),
        (D, S, False),
        (D, T, False),
        (S, D, True),
        (S, S, True),
        (S, T, False),
        (T, D, True),
        (T, S, True),
        (T, T, True),
    ],
)
def test_kind_fits(kind, parent, fits):
    assert rules.kind_fits(kind, parent) is fits


def test_create_records_kind_and_parent(db, tree):
    entry = audit(db, "team.created")[-1]
    assert entry.record_id == str(tree["Children"].id)
    assert entry.detail == {"kind": "service", "parent_id": tree["Council"].id}


@pytest.mark.parametrize(
    ("name", "kind", "parent", "field", "message"),
    [
        ("  ", T, "Adults", "name", "Enter the team's name"),
        ("x" * 201, T, "Adults", "name", "200 characters or fewer"),
        ("  east ", T, "Adults", "name", "There is already a team called east under Adults"),
        ("council", D, None, "name", "already a team called council at the top"),
        ("New", D, "Adults", "parent_id", "A directorate can only be at the top"),
        ("New", S, "East", "parent_id", "A service can only be at the top"),
    ],
)
def test_create_refuses_and_changes_nothing(db, tree, name, kind, parent, field, message):
    before, audited = team_count(db), len(audit(db, "team.created"))
    with pytest.raises(ValidationFailed) as failed:
        hierarchy.create_team(db, SYSTEM, name, kind, tree[parent] if parent else None)
    assert failed.value.field == field
    assert message in failed.value.message
    assert (team_count(db), len(audit(db, "team.created"))) == (before, audited)


def test_same_name_is_fine_elsewhere_and_spaces_are_tidied(db, tree):
    team = hierarchy.create_team(db, SYSTEM, "  East   Duty ", T, tree["West"])
    assert team.name == "East Duty"
    assert team.path == f"{tree['West'].path}{team.id}/"


def test_rename(db, tree):
    east = tree["East"]
    version = east.version
    assert hierarchy.rename_team(db, SYSTEM, east, " Adults  East ", version) is True
    db.expire_all()
    assert db.get(Team, east.id).name == "Adults East"
    assert db.get(Team, east.id).version == version + 1
    assert audit(db, "team.renamed")[-1].detail == {"from": "East", "to": "Adults East"}


def test_rename_to_the_same_name_changes_nothing(db, tree):
    east = tree["East"]
    assert hierarchy.rename_team(db, SYSTEM, east, "East", east.version) is False
    assert audit(db, "team.renamed") == []


def test_rename_may_change_only_the_case(db, tree):
    assert hierarchy.rename_team(db, SYSTEM, tree["West"], "WEST", tree["West"].version)


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Enter the team's name"), ("west", "already a team called west beside it")],
)
def test_rename_refuses_and_changes_nothing(db, tree, name, message):
    east = tree["East"]
    with pytest.raises(ValidationFailed) as failed:
        hierarchy.rename_team(db, SYSTEM, east, name, east.version)
    assert failed.value.field == "name"
    assert message in failed.value.message
    assert "East" in paths(db)
    assert audit(db, "team.renamed") == []


def test_rename_a_stale_form_is_refused(db, tree):
    east = tree["East"]
    with pytest.raises(EditConflict):
        hierarchy.rename_team(db, SYSTEM, east, "Elsewhere", east.version - 1)
    with pytest.raises(EditConflict):
        hierarchy.rename_team(db, SYSTEM, east, "Elsewhere", None)
    assert db.get(Team, east.id).name == "East"


def test_move_rewrites_the_whole_subtree(db, tree):
    east, duty, children = tree["East"], tree["East Duty"], tree["Children"]
    duty_version = duty.version
    assert hierarchy.move_team(db, SYSTEM, east, children, east.version) == 2
    stored = paths(db)
    assert stored["East"] == f"{children.path}{east.id}/"
    assert stored["East Duty"] == f"{children.path}{east.id}/{duty.id}/"
    # Nothing else moved.
    assert stored["West"] == f"{tree['Adults'].path}{tree['West'].id}/"
    assert db.get(Team, east.id).parent_id == children.id
    assert db.get(Team, duty.id).parent_id == east.id
    assert db.get(Team, duty.id).version == duty_version + 1
    assert audit(db, "team.moved")[-1].detail == {
        "from_parent_id": tree["Adults"].id,
        "to_parent_id": children.id,
        "teams_moved": 2,
    }


def test_a_moved_subtree_is_what_a_manager_then_sees(db, tree):
    manager = make_user(db, roles=("manager",))
    hierarchy.add_team_manager(db, SYSTEM, tree["Children"], manager.id)
    hierarchy.move_team(db, SYSTEM, tree["East"], tree["Children"], tree["East"].version)
    seen = set(db.scalars(service.managed_team_ids(db, manager.id)))
    assert seen == {tree["Children"].id, tree["East"].id, tree["East Duty"].id}


def test_move_to_the_top_and_back(db, tree):
    adults = tree["Adults"]
    assert hierarchy.move_team(db, SYSTEM, adults, None, adults.version) == 4
    stored = paths(db)
    assert stored["Adults"] == f"/{adults.id}/"
    assert stored["East Duty"] == f"/{adults.id}/{tree['East'].id}/{tree['East Duty'].id}/"
    adults = db.get(Team, adults.id)
    assert hierarchy.move_team(db, SYSTEM, adults, tree["Council"], adults.version) == 4
    assert paths(db)["East Duty"] == tree["East Duty"].path


def test_move_to_where_it_already_is_changes_nothing(db, tree):
    east = tree["East"]
    assert hierarchy.move_team(db, SYSTEM, east, tree["Adults"], east.version) == 0
    assert db.get(Team, east.id).version == east.version
    assert audit(db, "team.moved") == []


@pytest.mark.parametrize(
    ("team", "parent", "message"),
    [
        ("East", "East", "cannot move under itself or a team below it"),
        ("Adults", "East Duty", "cannot move under itself or a team below it"),
        ("Council", "West", "cannot move under itself or a team below it"),
        ("Children", "East", "A service can only be at the top"),
        ("West", "Council", None),  # allowed: the control for the next one
        ("Children", "Adults", None),
    ],
)
def test_move_refusals_change_nothing(db, tree, team, parent, message):
    before = paths(db)
    moving = tree[team]
    if message is None:
        assert hierarchy.move_team(db, SYSTEM, moving, tree[parent], moving.version) >= 1
        assert paths(db) != before
        return
    with pytest.raises(ValidationFailed) as failed:
        hierarchy.move_team(db, SYSTEM, moving, tree[parent], moving.version)
    assert failed.value.field == "parent_id"
    assert message in failed.value.message
    assert paths(db) == before
    assert audit(db, "team.moved") == []


def test_move_refuses_a_name_already_taken_there(db, tree):
    other = hierarchy.create_team(db, SYSTEM, "WEST", T, tree["Children"])
    before = paths(db)
    with pytest.raises(ValidationFailed, match="already a team called West there"):
        hierarchy.move_team(db, SYSTEM, tree["West"], tree["Children"], tree["West"].version)
    assert paths(db) == before
    assert other.parent_id == tree["Children"].id


def test_move_a_stale_form_is_refused(db, tree):
    east = tree["East"]
    before = paths(db)
    with pytest.raises(EditConflict):
        hierarchy.move_team(db, SYSTEM, east, tree["Children"], east.version - 1)
    assert paths(db) == before


def test_moving_an_ancestor_makes_an_open_form_below_it_stale(db, tree):
    duty = tree["East Duty"]
    loaded_version = duty.version
    hierarchy.move_team(db, SYSTEM, tree["Adults"], None, tree["Adults"].version)
    with pytest.raises(EditConflict):
        hierarchy.rename_team(db, SYSTEM, duty, "Duty", loaded_version)


def test_move_refuses_a_hierarchy_too_deep_for_the_path_column(db):
    chain = [hierarchy.create_team(db, SYSTEM, "Level 0", T)]
    while len(chain[-1].path) + rules.MAX_ID_DIGITS <= rules.MAX_PATH:
        chain.append(hierarchy.create_team(db, SYSTEM, f"Level {len(chain)}", T, chain[-1]))
    with pytest.raises(ValidationFailed, match="too deep"):
        hierarchy.create_team(db, SYSTEM, "One too many", T, chain[-1])
    side = hierarchy.create_team(db, SYSTEM, "Side", T)
    deep = hierarchy.create_team(db, SYSTEM, "Deep", T, side)
    with pytest.raises(ValidationFailed, match="too deep"):
        hierarchy.move_team(db, SYSTEM, side, chain[-1], side.version)
    assert paths(db)["Deep"] == f"/{side.id}/{deep.id}/"


def test_find_parent(db, tree):
    assert hierarchy.find_parent(db, "") is None
    assert hierarchy.find_parent(db, None) is None
    assert hierarchy.find_parent(db, str(tree["East"].id)) is tree["East"]
    for raw in ("abc", "999999", "²", "1" * 30, "-1"):
        with pytest.raises(ValidationFailed) as failed:
            hierarchy.find_parent(db, raw)
        assert failed.value.field == "parent_id"


def test_team_trail(db, tree):
    assert [t.name for t in service.team_trail(db, tree["East Duty"])] == [
        "Council",
        "Adults",
        "East",
    ]
    assert service.team_trail(db, tree["Council"]) == []


def test_assign_and_remove_managers(db, tree):
    east = tree["East"]
    first = make_user(db, name="Ann First")
    second = make_user(db, name="Bo Second")
    hierarchy.assign_team_manager(db, SYSTEM, east, second.id)
    hierarchy.assign_team_manager(db, SYSTEM, east, first.id)
    assert [u.name for u in service.list_team_managers(db, east)] == ["Ann First", "Bo Second"]
    assert [e.detail for e in audit(db, "team.manager_added")] == [
        {"user_id": second.id},
        {"user_id": first.id},
    ]
    others = make_user(db, name="Cy Third")
    offered = pickers.search(db, pickers.USERS, "e", scope=service.manager_candidates(east))
    assert [c.id for c in offered if c.id in (first.id, second.id, others.id)] == [others.id]
    hierarchy.remove_team_manager(db, SYSTEM, east, first.id)
    hierarchy.remove_team_manager(db, SYSTEM, east, second.id)  # the last one: allowed
    assert service.list_team_managers(db, east) == []
    assert [e.detail for e in audit(db, "team.manager_removed")] == [
        {"user_id": first.id},
        {"user_id": second.id},
    ]


def test_assigning_the_same_manager_twice_is_an_error(db, tree):
    east = tree["East"]
    user = make_user(db, name="Ann First")
    hierarchy.assign_team_manager(db, SYSTEM, east, user.id)
    with pytest.raises(ValidationFailed) as failed:
        hierarchy.assign_team_manager(db, SYSTEM, east, user.id)
    assert failed.value.field == "user_id"
    assert failed.value.message == "Ann First already manages East"
    assert len(service.list_team_managers(db, east)) == 1
    assert len(audit(db, "team.manager_added")) == 1


def test_a_duplicate_that_slips_past_the_check_is_still_refused(db, tree, monkeypatch):
    east = tree["East"]
    user = make_user(db, name="Ann First")
    db.add(TeamManager(team_id=east.id, user_id=user.id))
    db.flush()
    monkeypatch.setattr(hierarchy, "_find_manager", lambda *_args: None)
    with pytest.raises(ValidationFailed, match="already manages"):
        hierarchy.assign_team_manager(db, SYSTEM, east, user.id)
    # The savepoint kept the session usable and the first link in place.
    assert len(service.list_team_managers(db, east)) == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda db, tree: hierarchy.create_team(db, SYSTEM, "west", T, tree["Adults"]), "name"),
        (lambda db, tree: hierarchy.create_team(db, SYSTEM, "COUNCIL", D), "name"),
        (
            lambda db, tree: hierarchy.rename_team(
                db, SYSTEM, tree["East"], "West", tree["East"].version
            ),
            "name",
        ),
        (
            lambda db, tree: hierarchy.move_team(
                db, SYSTEM, tree["West"], tree["Children"], tree["West"].version
            ),
            "parent_id",
        ),
    ],
    ids=["create", "create at the top", "rename", "move"],
)
def test_a_name_that_slips_past_the_check_is_refused_by_the_index(
    db, tree, monkeypatch, change, field
):
    """Two changes can pass the name check at the same moment; the unique index on
    (parent, lower(name)) refuses the second, with the same message, changing nothing."""
    hierarchy.create_team(db, SYSTEM, "west", T, tree["Children"])  # where West would move
    before, count, entries = paths(db), team_count(db), len(audit(db, "team.created"))
    names = dict(db.execute(select(Team.id, Team.name)).all())
    monkeypatch.setattr(hierarchy, "_name_taken", lambda *_args: False)
    with pytest.raises(ValidationFailed, match="already a team called") as failed:
        change(db, tree)
    assert failed.value.field == field
    # The savepoint undid only the refused write: the session goes on, nothing changed.
    assert paths(db) == before
    assert team_count(db) == count
    assert dict(db.execute(select(Team.id, Team.name)).all()) == names
    assert len(audit(db, "team.created")) == entries
    assert audit(db, "team.renamed") == audit(db, "team.moved") == []


def test_only_an_active_user_can_be_a_manager(db, tree):
    disabled = make_user(db, is_active=False)
    for user_id in (disabled.id, 999999, None):
        with pytest.raises(ValidationFailed) as failed:
            hierarchy.assign_team_manager(db, SYSTEM, tree["East"], user_id)
        assert failed.value.field == "user_id"
    candidates = service.manager_candidates(tree["East"])
    assert pickers.search(db, pickers.USERS, disabled.name, scope=candidates) == []
    assert audit(db, "team.manager_added") == []


def test_removing_someone_who_is_not_a_manager_is_not_found(db, tree):
    user = make_user(db)
    hierarchy.assign_team_manager(db, SYSTEM, tree["West"], user.id)
    with pytest.raises(NotFound):
        hierarchy.remove_team_manager(db, SYSTEM, tree["East"], user.id)
    assert len(service.list_team_managers(db, tree["West"])) == 1
    assert audit(db, "team.manager_removed") == []


def test_the_move_recheck_refuses_a_parent_that_moved_meanwhile(db, tree, monkeypatch):
    """SQLite has no row locks: a move whose new parent moved between its reads and its
    first write (which takes the write lock) is refused, not applied to old paths."""
    monkeypatch.setattr(hierarchy, "_fresh_path", lambda *_args: "/moved/meanwhile/")
    with pytest.raises(EditConflict):
        hierarchy.move_team(db, SYSTEM, tree["West"], tree["Children"], tree["West"].version)


def second_waits_for_first(
    engine, first: Callable[[Session], Any], second: Callable[[Session], Any]
) -> tuple[Any, Any]:
    """Run ``first`` in one transaction and, meanwhile, ``second`` in another; check that
    the second waits for the first's locks, commit the first, and return what each
    returned (what the second raised, in its place, for the test to assert on)."""
    outcome: list[Any] = []

    def run_second() -> None:
        with Session(engine) as session:
            try:
                outcome.append(second(session))
                session.commit()
            except BaseException as error:  # returned to the test, which asserts on it
                outcome.append(error)

    with Session(engine) as session:
        result = first(session)
        thread = threading.Thread(target=run_second)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive(), "the second change should wait for the first's locks"
        session.commit()
    thread.join(10)
    assert len(outcome) == 1
    return result, outcome[0]


def _move(team_id: int, parent_id: int) -> Callable[[Session], int]:
    def move(session: Session) -> int:
        team, parent = session.get(Team, team_id), session.get(Team, parent_id)
        return hierarchy.move_team(session, SYSTEM, team, parent, team.version)

    return move


def audit_head(session: Session) -> int:
    """The audit trail's last sequence number: a test that commits removes what follows,
    so the trail the other tests in this database see starts empty."""
    return session.scalar(select(func.max(AuditEntry.seq))) or 0


def test_opposite_moves_at_once_cannot_make_a_cycle(engine, keyring):
    """On PostgreSQL the second move waits for the first and then sees where it put the
    team, so "A under B" and "B under A" at the same moment cannot both succeed."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the recheck above covers it")
    with Session(engine) as setup:
        start = audit_head(setup)  # before the set-up's own entries, removed with the rest
        a = hierarchy.create_team(setup, SYSTEM, f"Race A {uuid.uuid4().hex}", T)
        b = hierarchy.create_team(setup, SYSTEM, f"Race B {uuid.uuid4().hex}", T)
        setup.commit()
        ids = (a.id, b.id)
    try:
        moved, refused = second_waits_for_first(
            engine, _move(ids[0], ids[1]), _move(ids[1], ids[0])
        )
        assert moved == 1
        assert isinstance(refused, ValidationFailed)
        assert "cannot move under itself or a team below it" in refused.message
        with Session(engine) as check:
            assert check.get(Team, ids[0]).path == f"/{ids[1]}/{ids[0]}/"
            assert check.get(Team, ids[1]).path == f"/{ids[1]}/"
    finally:
        with Session(engine) as cleanup:
            cleanup.execute(delete(AuditEntry).where(AuditEntry.seq > start))
            cleanup.execute(update(Team).where(Team.id.in_(ids)).values(parent_id=None))
            cleanup.execute(delete(Team).where(Team.id.in_(ids)))
            cleanup.commit()


def test_two_teams_of_one_name_added_at_the_top_at_once(engine, keyring):
    """PostgreSQL: nothing is locked for a team at the top, so two administrators can
    both pass the name check; the unique index makes the second wait and refuses it."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    name = f"Race same {uuid.uuid4().hex}"
    with Session(engine) as setup:
        start = audit_head(setup)
    try:
        created, refused = second_waits_for_first(
            engine,
            lambda session: hierarchy.create_team(session, SYSTEM, name, T).id,
            lambda session: hierarchy.create_team(session, SYSTEM, name.upper(), T).id,
        )
        assert isinstance(refused, ValidationFailed)
        assert refused.field == "name"
        assert "already a team called" in refused.message
        with Session(engine) as check:
            same = select(Team.id).where(func.lower(Team.name) == name.lower())
            assert list(check.scalars(same)) == [created]
    finally:
        with Session(engine) as cleanup:
            cleanup.execute(delete(AuditEntry).where(AuditEntry.seq > start))
            cleanup.execute(delete(Team).where(func.lower(Team.name) == name.lower()))
            cleanup.commit()


@pytest.mark.parametrize("first", ["move", "create"])
def test_a_team_added_during_a_move_lands_on_the_new_path(engine, keyring, first):
    """PostgreSQL: adding a team under a subtree that is being moved either waits for the
    move and reads the new path, or is waited for and then rewritten by the move."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    with Session(engine) as setup:
        start = audit_head(setup)  # before the set-up's own entries, removed with the rest
        top = hierarchy.create_team(setup, SYSTEM, f"Race top {uuid.uuid4().hex}", T)
        moving = hierarchy.create_team(setup, SYSTEM, f"Race moving {uuid.uuid4().hex}", T)
        below = hierarchy.create_team(setup, SYSTEM, "Below", T, moving)
        setup.commit()
        ids = [top.id, moving.id, below.id]

    def create(session: Session) -> int:
        parent = session.get(Team, ids[2])
        return hierarchy.create_team(session, SYSTEM, "Added", T, parent).id

    move = _move(ids[1], ids[0])
    try:
        if first == "move":
            _moved, added = second_waits_for_first(engine, move, create)
        else:
            added, _moved = second_waits_for_first(engine, create, move)
        assert isinstance(added, int), added
        ids.append(added)
        with Session(engine) as check:
            assert check.get(Team, added).path == f"/{ids[0]}/{ids[1]}/{ids[2]}/{added}/"
    finally:
        with Session(engine) as cleanup:
            cleanup.execute(delete(AuditEntry).where(AuditEntry.seq > start))
            cleanup.execute(update(Team).where(Team.id.in_(ids)).values(parent_id=None))
            cleanup.execute(delete(Team).where(Team.id.in_(ids) | (Team.name == "Added")))
            cleanup.commit()

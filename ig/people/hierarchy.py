"""Changing the team hierarchy: adding, renaming and moving teams, and their managers.

Every change locks the rows it depends on, checks it against the hierarchy's rules (in
ig.people.rules) and writes its audit entry; reads and scoping live in ig.people.service.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from sqlalchemy import String, func, literal, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.db import check_version
from ig.errors import EditConflict, NotFound, ValidationFailed
from ig.people.models import Team, TeamKind, TeamManager
from ig.people.rules import MAX_ID_DIGITS, check_depth, check_kind, check_move, clean_team_name


def create_team(
    session: Session, actor: Actor, name: str, kind: TeamKind, parent: Team | None = None
) -> Team:
    """Add a team under ``parent`` (or at the top); its path is set from its new id.

    Raises ValidationFailed when the name is blank, too long or already taken by a team
    beside it, or when ``kind`` does not fit under the parent's kind (see rules.kind_fits).
    """
    name = clean_team_name(name)
    if parent is not None:
        parent = _lock_teams(session, parent.id)[parent.id]
        check_kind(kind, parent.kind)
        check_depth(len(parent.path) + MAX_ID_DIGITS)
    where = f"under {parent.name}" if parent else "at the top"
    taken = ValidationFailed(
        "name", f"There is already a team called {name} {where}: choose another name"
    )
    team = Team(name=name, kind=kind, parent_id=parent.id if parent else None, path="/")
    with _unique_beside(session, team, name, team.parent_id, taken):
        session.add(team)
    # Read the parent's path again now that the insert holds SQLite's write lock, so a
    # move that committed a moment ago cannot leave the new team on a stale path.
    team.path = f"{_fresh_path(session, parent.id) if parent else '/'}{team.id}/"
    session.flush()
    record(
        session,
        actor,
        "team.created",
        "team",
        team.id,
        {"kind": kind.value, "parent_id": parent.id if parent else None},
    )
    return team


def add_team_manager(session: Session, actor: Actor, team: Team, user_id: int) -> TeamManager:
    """Make a user a manager of ``team`` (and so of every team below it); idempotent."""
    existing = _find_manager(session, team.id, user_id)
    if existing is not None:
        return existing
    link = TeamManager(team_id=team.id, user_id=user_id)
    session.add(link)
    session.flush()
    record(session, actor, "team.manager_added", "team", team.id, {"user_id": user_id})
    return link


def rename_team(
    session: Session, actor: Actor, team: Team, name: str, expected_version: int | None
) -> bool:
    """Give ``team`` a new name, as loaded at ``expected_version``; False if it is unchanged.

    Raises EditConflict if someone changed the team since, ValidationFailed when the name
    is blank, too long or already taken by a team beside it.
    """
    team = _lock_teams(session, team.id, team.parent_id)[team.id]
    check_version(team, expected_version)
    name = clean_team_name(name)
    if name == team.name:
        return False
    taken = ValidationFailed(
        "name", f"There is already a team called {name} beside it: choose another name"
    )
    old_name = team.name
    with _unique_beside(session, team, name, team.parent_id, taken):
        team.name = name
    record(session, actor, "team.renamed", "team", team.id, {"from": old_name, "to": name})
    return True


def move_team(
    session: Session,
    actor: Actor,
    team: Team,
    new_parent: Team | None,
    expected_version: int | None,
) -> int:
    """Put ``team`` and every team below it under ``new_parent`` (None: at the top).

    The whole subtree's materialised paths are rewritten by one UPDATE, and each moved
    row's version moves on, so an edit begun before the move is refused rather than
    applied to a team that is no longer where its editor saw it. Returns how many teams
    moved (0 when it is already there). Raises EditConflict if someone changed the team
    since ``expected_version``, ValidationFailed when the new parent is the team itself
    or below it, does not take its kind, or already has a team of the same name.
    """
    locked = _lock_teams(session, team.id, new_parent.id if new_parent else None)
    team = locked[team.id]
    check_version(team, expected_version)
    parent = locked[new_parent.id] if new_parent else None
    parent_id = parent.id if parent else None
    if team.parent_id == parent_id:
        return 0
    old_parent_id = team.parent_id
    check_move(team, parent)
    new_path = f"{parent.path if parent else '/'}{team.id}/"
    taken = ValidationFailed(
        "parent_id",
        f"There is already a team called {team.name} there: "
        "rename one of them first, or choose another parent",
    )
    with _unique_beside(session, team, team.name, parent_id, taken):
        below = _rewrite_subtree(session, team, new_path, parent_id)
    # SQLite takes its write lock only at the first write: if the new parent moved in
    # the moment before, this move was computed from an old picture of the hierarchy.
    if parent is not None and _fresh_path(session, parent.id) != parent.path:
        raise EditConflict()
    moved = below + 1
    record(
        session,
        actor,
        "team.moved",
        "team",
        team.id,
        {"from_parent_id": old_parent_id, "to_parent_id": parent_id, "teams_moved": moved},
    )
    return moved


def assign_team_manager(session: Session, actor: Actor, team: Team, user_id: int | None) -> User:
    """Make an active user a manager of ``team`` (and so of every team below it); returns
    the user.

    Unlike add_team_manager (for imports and the command line), naming someone who
    already manages the team is an error, so that the person is told. Raises
    ValidationFailed when no active user has ``user_id`` or they already manage it.
    """
    user = session.get(User, user_id) if user_id else None
    if user is None or not user.is_active:
        raise ValidationFailed("user_id", "Select the new manager's user account from the list")
    already = ValidationFailed("user_id", f"{user.name} already manages {team.name}")
    if _find_manager(session, team.id, user.id) is not None:
        raise already
    with _refused_on_conflict(session, already):  # someone may add them meanwhile
        session.add(TeamManager(team_id=team.id, user_id=user.id))
    record(session, actor, "team.manager_added", "team", team.id, {"user_id": user.id})
    return user


def remove_team_manager(session: Session, actor: Actor, team: Team, user_id: int) -> User:
    """Stop ``user_id`` managing ``team``; returns the user. Removing the last manager is
    allowed: the team's staff are then seen by the managers above it and the IG team.

    Raises NotFound when they do not manage it (someone may have removed them already).
    """
    link = _find_manager(session, team.id, user_id)
    if link is None:
        raise NotFound(f"That person does not manage {team.name}: someone may have removed them")
    user = session.get_one(User, user_id)
    session.delete(link)
    session.flush()
    record(session, actor, "team.manager_removed", "team", team.id, {"user_id": user_id})
    return user


def find_parent(session: Session, raw: str | None) -> Team | None:
    """The parent a form names by id; None for an empty value ("at the top").

    Raises ValidationFailed on anything but the id of an existing team.
    """
    if not raw:
        return None
    team = (
        session.get(Team, int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    )
    if team is None:
        raise ValidationFailed("parent_id", "Select the team it sits under from the list, or none")
    return team


def _name_taken(
    session: Session, name: str, parent_id: int | None, other_than: int | None = None
) -> bool:
    """Whether a team directly under ``parent_id`` has ``name``, ignoring case."""
    query = select(Team.id).where(
        func.lower(Team.name) == name.lower(),
        Team.parent_id.is_(None) if parent_id is None else Team.parent_id == parent_id,
    )
    if other_than is not None:
        query = query.where(Team.id != other_than)
    return session.scalar(query.limit(1)) is not None


@contextmanager
def _unique_beside(
    session: Session,
    team: Team,
    name: str,
    parent_id: int | None,
    taken: ValidationFailed,
) -> Iterator[None]:
    """Run the write that gives ``team`` ``name`` under ``parent_id`` in a savepoint,
    raising ``taken`` if a team beside it already has that name: found by the check
    first, or refused by the unique index when another change added one in the moment
    between (the savepoint undoes this write, and nothing else)."""
    if _name_taken(session, name, parent_id, team.id):
        raise taken
    with _refused_on_conflict(session, taken):
        yield


@contextmanager
def _refused_on_conflict(session: Session, refusal: ValidationFailed) -> Iterator[None]:
    """Run a write in a savepoint; if a unique constraint refuses it (a concurrent change
    got there first), undo just that write and raise ``refusal`` instead."""
    try:
        with session.begin_nested():
            yield
    except IntegrityError as exc:
        raise refusal from exc


def _lock_teams(session: Session, *team_ids: int | None) -> dict[int, Team]:
    """The teams' current rows, reloaded; on PostgreSQL locked until commit (in id order,
    so two changes never wait on each other), so no concurrent move can change their
    paths under a check. SQLite has no row locks: its writers take turns instead."""
    wanted = sorted({team_id for team_id in team_ids if team_id is not None})
    rows = session.scalars(
        select(Team)
        .where(Team.id.in_(wanted))
        .order_by(Team.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    found = {team.id: team for team in rows}
    if len(found) != len(wanted):
        raise NotFound("There is no such team")
    return found


def _rewrite_subtree(session: Session, team: Team, new_path: str, parent_id: int | None) -> int:
    """Give ``team`` its new parent and path, and every team below it the new prefix, in
    one UPDATE that also moves their versions on; returns how many teams are below it."""
    old_path = team.path
    subtree = Team.path.startswith(old_path, autoescape=False)
    deepest = session.scalar(select(func.max(func.length(Team.path))).where(subtree)) or 0
    check_depth(deepest - len(old_path) + len(new_path))
    # PostgreSQL: hold every row below until commit, so that a team added under one of
    # them meanwhile is either waited for (and then rewritten) or sees the new path.
    session.execute(select(Team.id).where(subtree, Team.id != team.id).with_for_update())
    team.parent_id, team.path = parent_id, new_path
    session.flush()
    rewritten = session.execute(
        update(Team)
        .where(subtree)
        .values(
            path=literal(new_path, String()).concat(
                func.substr(Team.path, len(old_path) + 1, type_=String())
            ),
            version=Team.version + 1,
        )
        .execution_options(synchronize_session="fetch")
    )
    return cast(CursorResult[Any], rewritten).rowcount


def _fresh_path(session: Session, team_id: int) -> str:
    path = session.scalar(select(Team.path).where(Team.id == team_id))
    if path is None:
        raise NotFound("There is no such team")
    return path


def _find_manager(session: Session, team_id: int, user_id: int) -> TeamManager | None:
    return session.scalar(
        select(TeamManager).where(TeamManager.team_id == team_id, TeamManager.user_id == user_id)
    )

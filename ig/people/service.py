"""Teams, their managers and the staff register: reads, scoping and changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, String, func, literal, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from ig.audit.service import Page, record
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.db import check_version
from ig.errors import EditConflict, NotFound, ValidationFailed
from ig.people.models import Staff, Team, TeamKind, TeamManager

# A SELECT of team ids, embedded in other queries to scope them.
TeamIds = Select[Any]
# Who may see every team rather than only the teams they manage.
VIEW_ALL = "people.view_all"


def managed_team_ids(session: Session, user_id: int | None) -> TeamIds:
    """A subquery of the ids of the teams ``user_id`` manages and every team below them.

    ``session`` is unused but kept so callers treat this like every other read; the
    result is a SELECT to embed (``Staff.team_id.in_(managed_team_ids(...))``) so the
    scope is applied by the database in the same query, never row by row.
    """
    del session
    managed = aliased(Team)
    return (
        select(Team.id)
        .join(managed, Team.path.startswith(managed.path, autoescape=False))
        .join(TeamManager, TeamManager.team_id == managed.id)
        .where(TeamManager.user_id == (user_id if user_id is not None else -1))
        .distinct()
    )


def visible_team_ids(session: Session, actor: Actor) -> TeamIds | None:
    """The teams ``actor`` may see: None means every team, else a subquery of ids."""
    if actor.can(VIEW_ALL) or actor.can("training.view_all"):
        return None
    return managed_team_ids(session, actor.user_id)


def subtree_team_ids(team: Team) -> TeamIds:
    """A subquery of ``team``'s id and the ids of every team below it."""
    return select(Team.id).where(Team.path.startswith(team.path, autoescape=False))


def team_path_ids(team: Team) -> list[int]:
    """The ids from the top of the hierarchy down to ``team`` itself."""
    return [int(part) for part in team.path.strip("/").split("/") if part]


def list_teams(session: Session, team_ids: TeamIds | None = None) -> list[Team]:
    """Teams in hierarchy order (each followed by the teams below it), optionally scoped."""
    query = select(Team).order_by(Team.path)
    if team_ids is not None:
        query = query.where(Team.id.in_(team_ids))
    return list(session.scalars(query))


def get_team(session: Session, team_id: int, team_ids: TeamIds | None = None) -> Team:
    """The team, or NotFound if it does not exist or lies outside ``team_ids``."""
    query = select(Team).where(Team.id == team_id)
    if team_ids is not None:
        query = query.where(Team.id.in_(team_ids))
    team = session.scalar(query)
    if team is None:
        raise NotFound("There is no such team, or it is not one of yours")
    return team


def find_team_by_name(session: Session, name: str) -> Team | None:
    """The first team (in hierarchy order) with exactly this name, or None."""
    return session.scalar(select(Team).where(Team.name == name).order_by(Team.path).limit(1))


def create_team(
    session: Session, actor: Actor, name: str, kind: TeamKind, parent: Team | None = None
) -> Team:
    """Add a team under ``parent`` (or at the top); its path is set from its new id.

    Raises ValidationFailed when the name is blank, too long or already taken by a team
    beside it, or when ``kind`` does not fit under the parent's kind (see kind_fits).
    """
    name = _clean_name(name)
    if parent is not None:
        parent = _lock_teams(session, parent.id)[parent.id]
        if not kind_fits(kind, parent.kind):
            raise ValidationFailed("parent_id", f"{_KIND_RULE[kind]}: choose another parent")
        _check_depth(len(parent.path) + MAX_ID_DIGITS)
    if _name_taken(session, name, parent.id if parent else None):
        where = f"under {parent.name}" if parent else "at the top"
        raise ValidationFailed(
            "name", f"There is already a team called {name} {where}: choose another name"
        )
    team = Team(name=name, kind=kind, parent_id=parent.id if parent else None, path="/")
    session.add(team)
    session.flush()
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
    existing = session.scalar(
        select(TeamManager).where(TeamManager.team_id == team.id, TeamManager.user_id == user_id)
    )
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
    name = _clean_name(name)
    if name == team.name:
        return False
    if _name_taken(session, name, team.parent_id, team.id):
        raise ValidationFailed(
            "name", f"There is already a team called {name} beside it: choose another name"
        )
    old_name, team.name = team.name, name
    session.flush()
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
    _refuse_bad_move(session, team, parent)
    new_path = f"{parent.path if parent else '/'}{team.id}/"
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
    link = TeamManager(team_id=team.id, user_id=user.id)
    try:
        with session.begin_nested():  # someone else may add the same person meanwhile
            session.add(link)
    except IntegrityError as exc:
        raise already from exc
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


def team_choices(session: Session, outside: Team | None = None) -> list[tuple[int, str]]:
    """Every team as (id, "Directorate / Service / Team (kind)"), by that label, leaving
    out ``outside`` and the teams below it (where it cannot move). One query."""
    rows = session.execute(select(Team.id, Team.name, Team.kind, Team.path)).all()
    names = {row.id: row.name for row in rows}
    choices = [
        (row.id, f"{' / '.join(names[i] for i in _path_ids(row.path))} ({row.kind.value})")
        for row in rows
        if outside is None or not row.path.startswith(outside.path)
    ]
    return sorted(choices, key=lambda choice: choice[1].casefold())


def team_trail(session: Session, team: Team) -> list[Team]:
    """The teams above ``team``, from the top down."""
    above = team_path_ids(team)[:-1]
    if not above:
        return []
    return list(
        session.scalars(select(Team).where(Team.id.in_(above)).order_by(func.length(Team.path)))
    )


def list_team_managers(session: Session, team: Team) -> list[User]:
    """The users who manage ``team`` itself (not those of the teams above), by name."""
    return list(
        session.scalars(
            select(User)
            .join(TeamManager, TeamManager.user_id == User.id)
            .where(TeamManager.team_id == team.id)
            .order_by(User.name, User.id)
        )
    )


def manager_choices(session: Session, team: Team) -> list[tuple[int, str]]:
    """Active users who do not yet manage ``team``, as (id, "Name (e-mail)"), by name."""
    managing = select(TeamManager.user_id).where(TeamManager.team_id == team.id)
    rows = session.execute(
        select(User.id, User.name, User.email)
        .where(User.is_active.is_(True), User.id.not_in(managing))
        .order_by(User.name, User.email)
    ).all()
    return [(row.id, f"{row.name} ({row.email})") for row in rows]


def get_staff(session: Session, staff_id: int, team_ids: TeamIds | None = None) -> Staff:
    """The staff member, or NotFound if absent or outside ``team_ids`` (no hint which)."""
    query = select(Staff).where(Staff.id == staff_id)
    if team_ids is not None:
        query = query.where(Staff.team_id.in_(team_ids))
    staff = session.scalar(query)
    if staff is None:
        raise NotFound("There is no such member of staff, or they are not in one of your teams")
    return staff


def find_staff_by_number(session: Session, staff_number: str) -> Staff | None:
    return session.scalar(select(Staff).where(Staff.staff_number == staff_number.strip()))


def find_staff_for_user(session: Session, user_id: int | None) -> Staff | None:
    """The staff record linked to a user account, if there is one."""
    if user_id is None:
        return None
    return session.scalar(select(Staff).where(Staff.user_id == user_id))


@dataclass(frozen=True)
class StaffFilter:
    """What a staff list is narrowed to: staff in post on ``on_date`` unless leavers too."""

    on_date: dt.date
    team_ids: TeamIds | None = None
    search: str = ""
    include_leavers: bool = False


def staff_in_post(on_date: dt.date) -> list[ColumnElement[bool]]:
    """Conditions selecting staff employed on ``on_date``: started, and not yet left."""
    return [Staff.started_on <= on_date, or_(Staff.left_on.is_(None), Staff.left_on > on_date)]


def staff_query(filters: StaffFilter) -> Select[Any]:
    """The SELECT behind staff lists, filtered in SQL."""
    query = select(Staff)
    if filters.team_ids is not None:
        query = query.where(Staff.team_id.in_(filters.team_ids))
    if filters.search:
        term = f"%{_escape_like(filters.search.strip())}%"
        query = query.where(
            or_(Staff.name.ilike(term, escape="\\"), Staff.staff_number.ilike(term, escape="\\"))
        )
    if not filters.include_leavers:
        query = query.where(*staff_in_post(filters.on_date))
    return query


def list_staff(session: Session, filters: StaffFilter, page: int = 1, per_page: int = 50) -> Page:
    """One page of staff matching ``filters``, by name, with their teams loaded."""
    from sqlalchemy.orm import joinedload

    query = staff_query(filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.options(joinedload(Staff.team))
        .order_by(Staff.name, Staff.id)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    ).all()
    return Page(list(rows), max(page, 1), per_page, total)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def managers_by_team(session: Session) -> dict[int, list[str]]:
    """The names of each team's managers, by team id (one query)."""
    result: dict[int, list[str]] = {}
    query = (
        select(TeamManager.team_id, User.name)
        .join(User, User.id == TeamManager.user_id)
        .order_by(User.name)
    )
    for team_id, name in session.execute(query):
        result.setdefault(team_id, []).append(name)
    return result


# A unit may sit under one of the same or a larger kind, never under a smaller one: the
# demo's council is a directorate above directorates, and teams may have sub-teams. Any
# kind may sit at the top, as single-service set-ups and the incident demo's teams do.
_KIND_RANK = {TeamKind.DIRECTORATE: 0, TeamKind.SERVICE: 1, TeamKind.TEAM: 2}
_KIND_RULE = {
    TeamKind.DIRECTORATE: "A directorate can only be at the top or under another directorate",
    TeamKind.SERVICE: (
        "A service can only be at the top or under a directorate or another service"
    ),
    TeamKind.TEAM: "A team can be at the top or under any directorate, service or team",
}
# teams.path is VARCHAR(400); one more level adds at most this many characters.
MAX_PATH = 400
MAX_ID_DIGITS = 11


def kind_fits(kind: TeamKind, parent_kind: TeamKind | None) -> bool:
    """Whether a unit of ``kind`` may sit under one of ``parent_kind`` (None: the top)."""
    return parent_kind is None or _KIND_RANK[kind] >= _KIND_RANK[parent_kind]


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed("name", "Enter the team's name")
    if len(name) > 200:
        raise ValidationFailed("name", "Enter a name of 200 characters or fewer")
    return name


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


def _refuse_bad_move(session: Session, team: Team, parent: Team | None) -> None:
    """Raise ValidationFailed if ``team`` cannot go under ``parent`` (None: the top)."""
    if parent is not None:
        if parent.path.startswith(team.path):
            raise ValidationFailed(
                "parent_id",
                f"{team.name} cannot move under itself or a team below it: "
                "choose a team outside it",
            )
        if not kind_fits(team.kind, parent.kind):
            raise ValidationFailed("parent_id", f"{_KIND_RULE[team.kind]}: choose another parent")
    if _name_taken(session, team.name, parent.id if parent else None, team.id):
        raise ValidationFailed(
            "parent_id",
            f"There is already a team called {team.name} there: "
            "rename one of them first, or choose another parent",
        )


def _rewrite_subtree(session: Session, team: Team, new_path: str, parent_id: int | None) -> int:
    """Give ``team`` its new parent and path, and every team below it the new prefix, in
    one UPDATE that also moves their versions on; returns how many teams are below it."""
    old_path = team.path
    subtree = Team.path.startswith(old_path, autoescape=False)
    deepest = session.scalar(select(func.max(func.length(Team.path))).where(subtree)) or 0
    _check_depth(deepest - len(old_path) + len(new_path))
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


def _check_depth(longest_path: int) -> None:
    if longest_path > MAX_PATH:
        raise ValidationFailed(
            "parent_id", "The hierarchy would be too deep there: choose a parent nearer the top"
        )


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _find_manager(session: Session, team_id: int, user_id: int) -> TeamManager | None:
    return session.scalar(
        select(TeamManager).where(TeamManager.team_id == team_id, TeamManager.user_id == user_id)
    )

"""Teams, their managers and the staff register: reads and scoping.

Changes to the hierarchy itself are in ig.people.hierarchy.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from ig.audit.service import Page
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.errors import NotFound
from ig.people.models import Staff, Team, TeamManager

# A SELECT of team ids, embedded in other queries to scope them.
TeamIds = Select[Any]
# Who may see every team rather than only the teams they manage.
VIEW_ALL = "people.view_all"


# The team a manager is named on, below which every team is theirs. One alias for every
# statement: a new aliased() per call rebuilds its column expressions, at a cost per page.
_MANAGED = aliased(Team, name="managed")


def managed_team_ids(session: Session, user_id: int | None) -> TeamIds:
    """A subquery of the ids of the teams ``user_id`` manages and every team below them.

    ``session`` is unused but kept so callers treat this like every other read; the
    result is a SELECT to embed (``Staff.team_id.in_(managed_team_ids(...))``) so the
    scope is applied by the database in the same query, never row by row.
    """
    del session
    return teams_managed_by(user_id if user_id is not None else -1)


def teams_managed_by(user_id: int | ColumnElement[Any]) -> TeamIds:
    """``managed_team_ids`` for a user id or a parameter bound when the statement runs
    (for statements built once)."""
    return (
        select(Team.id)
        .join(_MANAGED, Team.path.startswith(_MANAGED.path, autoescape=False))
        .join(TeamManager, TeamManager.team_id == _MANAGED.id)
        .where(TeamManager.user_id == user_id)
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
    return _path_ids(team.path)


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


def manager_candidates(team: Team) -> Select[Any]:
    """The ids of the users who do not yet manage ``team`` (a picker's scope; the picker
    itself keeps to active users)."""
    managing = select(TeamManager.user_id).where(TeamManager.team_id == team.id)
    return select(User.id).where(User.id.not_in(managing))


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


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]

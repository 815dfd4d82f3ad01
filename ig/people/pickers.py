"""Choosing one organisation or team among thousands: a bounded search that returns ids
and names only, and the resolution of what someone typed into a picker without JavaScript.

A page never lists every organisation or team: it shows a text field, the autocomplete
asks the search for a few suggestions, and the server resolves the typed text (an
exact name or code, or the one chosen among a few matches) to an id.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session

from ig import bounds
from ig.auth.models import User
from ig.people.models import Organisation, Team

# Ids to search within (a manager's teams, as a list or a subquery); None for all.
Scope = Collection[int] | Select[Any] | None
LIMIT = 20  # suggestions or choices offered at once; more means "type more of the name"


@dataclass(frozen=True)
class Choice:
    """One thing a picker can pick: its id and the name people see."""

    id: int
    name: str


@dataclass(frozen=True)
class Kind:
    """What a picker picks: the table's id and the name people see; the columns whose
    lower-case text a search looks in (indexed for it: migrations people_0001 and
    auth_0001); a code matched exactly (kept in capitals, or in lower case); and which
    rows may be picked at all."""

    noun: str
    id: ColumnElement[int]
    name: ColumnElement[str]
    searched: tuple[ColumnElement[str], ...]
    code: ColumnElement[str | None] | None = None
    code_in_capitals: bool = True
    only: ColumnElement[bool] | None = None


_ORGANISATION, _TEAM = Organisation.name.expression, Team.name.expression
ORGANISATIONS = Kind(
    "organisation",
    Organisation.id.expression,
    _ORGANISATION,
    (_ORGANISATION,),
    Organisation.code.expression,
)
TEAMS = Kind("team", Team.id.expression, _TEAM, (_TEAM,))
# Active users, shown with their e-mail address: two colleagues may share a name.
USERS = Kind(
    "person",
    User.id.expression,
    User.name + " (" + User.email + ")",
    (User.name.expression, User.email.expression),
    func.lower(User.email),
    code_in_capitals=False,
    only=User.is_active.is_(True),
)


@dataclass(frozen=True)
class Picked:
    """What a picker's input resolved to: one choice, a few to choose among, or a problem."""

    text: str = ""
    chosen: Choice | None = None
    matches: tuple[Choice, ...] = ()
    problem: str | None = None


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _choices(
    session: Session, kind: Kind, where: ColumnElement[bool], text: str, limit: int
) -> list[Choice]:
    """Ids and names only: names that start with ``text`` first, then by name."""
    starts = case(
        (func.lower(kind.searched[0]).startswith(text.lower(), autoescape=True), 0), else_=1
    )
    rows = session.execute(
        select(kind.id, kind.name).where(where).order_by(starts, kind.name, kind.id).limit(limit)
    )
    return [Choice(row[0], row[1]) for row in rows]


def _exact(kind: Kind, text: str) -> ColumnElement[bool]:
    """The name (the first searched column), ignoring case, or the code, exactly as typed
    or as shown in brackets after the name ("Ann Shaw (ann.shaw@council.test)", what the
    autocomplete fills in). Each comparison is one an index serves."""
    matches = [func.lower(kind.searched[0]) == text.lower()]
    if kind.code is not None:
        codes = {text, text.rpartition("(")[2].removesuffix(")")} if text.endswith(")") else {text}
        shown = [c.strip().upper() if kind.code_in_capitals else c.strip().lower() for c in codes]
        matches.append(kind.code.in_(shown))
    return or_(*matches)


def _containing(kind: Kind, text: str) -> ColumnElement[bool]:
    # lower(column) LIKE '%text%', which a trigram index serves on PostgreSQL.
    pattern = f"%{_escape_like(text.lower())}%"
    return or_(
        *(func.lower(column).like(pattern, escape="\\") for column in kind.searched),
        _exact(kind, text),
    )


def search(
    session: Session, kind: Kind, text: str, scope: Scope = None, limit: int = LIMIT
) -> list[Choice]:
    """At most ``limit`` (and LIMIT) whose name contains ``text`` or whose code it is.

    ``scope`` limits the search to those ids (a manager's own teams). One query; an empty
    or over-long ``text`` finds nothing.
    """
    text = text.strip()
    if not text or bounds.text_problem(text, bounds.SEARCH):
        return []
    return _choices(session, kind, _scoped(kind, _containing(kind, text), scope), text, limit)


def _scoped(kind: Kind, where: ColumnElement[bool], scope: Scope) -> Any:
    if kind.only is not None:
        where = where & kind.only
    return where if scope is None else where & kind.id.in_(scope)


def find(session: Session, kind: Kind, chosen_id: int, scope: Scope = None) -> Choice | None:
    """The one with this id (ids and name only) within ``scope``, or None."""
    where = _scoped(kind, kind.id == chosen_id, scope)
    row = session.execute(select(kind.id, kind.name).where(where)).first()
    return Choice(row[0], row[1]) if row else None


def resolve(
    session: Session,
    kind: Kind,
    text: str | None,
    chosen_id: int | None,
    scope: Scope = None,
) -> Picked:
    """What was typed (``text``) and chosen (``chosen_id``), resolved to one or a few.

    With no text field sent, the chosen id alone (a link's ``?organisation=12``); with the
    field sent empty, nothing (the person cleared it). With text: an exact name or code,
    or the one match; the chosen id decides among several exact or partial matches (the
    choice offered when the text was ambiguous). Otherwise the few matches to choose
    among, or a problem saying nothing matched.
    """
    if text is None:
        return _by_id(session, kind, chosen_id, scope)
    typed = text.strip()
    if not typed:
        return Picked()
    problem = bounds.text_problem(typed, bounds.SEARCH)
    if problem:
        return Picked(typed, problem=problem)
    for where in (_exact(kind, typed), _containing(kind, typed)):
        found = _choices(session, kind, _scoped(kind, where, scope), typed, LIMIT + 1)
        picked = next((c for c in found if c.id == chosen_id), None)
        if picked is not None or len(found) == 1:
            return Picked(typed, chosen=picked or found[0])
        if found:
            return _ambiguous(kind, typed, found)
    return Picked(
        typed, problem=f"No {kind.noun} matches \u201c{typed[:80]}\u201d: check the spelling"
    )


def _by_id(session: Session, kind: Kind, chosen_id: int | None, scope: Scope) -> Picked:
    if not chosen_id:
        return Picked()
    found = find(session, kind, chosen_id, scope)
    if found is None:
        return Picked(problem=f"That {kind.noun} no longer exists: search for it by name")
    return Picked(found.name, chosen=found)


def _ambiguous(kind: Kind, typed: str, found: list[Choice]) -> Picked:
    if len(found) > LIMIT:
        problem = f"More than {LIMIT} match {typed[:80]}: choose one or type more of the name"
    else:
        problem = f"{len(found)} match {typed[:80]}: choose the {kind.noun} you mean"
    return Picked(typed, matches=tuple(found[:LIMIT]), problem=problem)

"""Rules of the team hierarchy: which kind of unit sits under which, names and depth."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ig.errors import ValidationFailed
from ig.people.models import TeamKind

if TYPE_CHECKING:
    from ig.people.models import Team

# A unit may sit under one of the same or a larger kind, never under a smaller one: the
# demo's council is a directorate above directorates, and teams may have sub-teams. Any
# kind may sit at the top, as single-service set-ups and the incident demo's teams do.
_KIND_RANK = {TeamKind.DIRECTORATE: 0, TeamKind.SERVICE: 1, TeamKind.TEAM: 2}
_KIND_RULES = {
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


def check_kind(kind: TeamKind, parent_kind: TeamKind | None) -> None:
    """Raise ValidationFailed if a unit of ``kind`` may not sit under one of ``parent_kind``."""
    if not kind_fits(kind, parent_kind):
        raise ValidationFailed("parent_id", f"{_KIND_RULES[kind]}: choose another parent")


def check_move(team: Team, parent: Team | None) -> None:
    """Raise ValidationFailed if ``team`` cannot go under ``parent`` (None: the top)."""
    if parent is not None:
        if parent.path.startswith(team.path):
            raise ValidationFailed(
                "parent_id",
                f"{team.name} cannot move under itself or a team below it: "
                "choose a team outside it",
            )
        check_kind(team.kind, parent.kind)


def clean_team_name(name: str) -> str:
    """``name`` with its runs of spaces made one; raises ValidationFailed if it is blank
    or longer than 200 characters."""
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed("name", "Enter the team's name")
    if len(name) > 200:
        raise ValidationFailed("name", "Enter a name of 200 characters or fewer")
    return name


def check_depth(longest_path: int) -> None:
    """Raise ValidationFailed if a path of ``longest_path`` characters would not fit."""
    if longest_path > MAX_PATH:
        raise ValidationFailed(
            "parent_id", "The hierarchy would be too deep there: choose a parent nearer the top"
        )

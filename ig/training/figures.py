"""Compliance figures: per course, per team (with the teams below it) and over time.

A figure counts each required (person, course) pair once. Its percentage is
compliant (including expiring soon) over compliant + overdue: exempt people and new
starters still within their allowance are out of the denominator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from ig.audit.service import Page
from ig.people.models import Team
from ig.people.service import TeamIds
from ig.training.compliance import counted_columns, status_rows
from ig.training.policy import TrainingPolicy
from ig.training.rules import Basis, Status, add_months, percent


@dataclass(frozen=True)
class Figure:
    """Counts of each status for some set of people and courses."""

    label: str
    counts: dict[Status, int] = field(default_factory=dict)
    target: float = 95.0

    def count(self, status: Status) -> int:
        return self.counts.get(status, 0)

    @property
    def n_compliant(self) -> int:
        return self.count(Status.COMPLIANT)

    @property
    def n_expiring(self) -> int:
        return self.count(Status.EXPIRING_SOON)

    @property
    def n_overdue(self) -> int:
        return self.count(Status.OVERDUE)

    @property
    def n_not_yet_due(self) -> int:
        return self.count(Status.NOT_YET_DUE)

    @property
    def n_exempt(self) -> int:
        return self.count(Status.EXEMPT)

    @property
    def compliant(self) -> int:
        return self.count(Status.COMPLIANT) + self.count(Status.EXPIRING_SOON)

    @property
    def denominator(self) -> int:
        return self.compliant + self.count(Status.OVERDUE)

    @property
    def percent(self) -> float:
        return percent(self.compliant, self.denominator)

    @property
    def meets_target(self) -> bool:
        return self.percent >= self.target

    @property
    def bar(self) -> int:
        """The percentage as a whole number, for the chart's width class."""
        return int(self.percent)


def _counts(row: Any) -> dict[Status, int]:
    return {status: int(getattr(row, status.value) or 0) for status in Status}


def course_figures(
    session: Session,
    policy: TrainingPolicy,
    on_date: dt.date,
    team_ids: TeamIds | None = None,
    codes: list[str] | None = None,
    basis: Basis = Basis.AS_RECORDED,
) -> list[Figure]:
    """One figure per course in the policy (or in ``codes``), in policy order (one query)."""
    rows = status_rows(session, policy, on_date, team_ids=team_ids, course_codes=codes, basis=basis)
    found = {
        row.course_code: _counts(row)
        for row in session.execute(
            select(rows.c.course_code, *counted_columns(rows)).group_by(rows.c.course_code)
        )
    }
    return [
        Figure(f"{course.code}: {course.title}", found.get(code, {}), policy.target_percent)
        for code, course in policy.courses.items()
        if codes is None or code in codes
    ]


def overall(figures: list[Figure], label: str, target: float) -> Figure:
    """The sum of several figures."""
    counts = {status: sum(f.count(status) for f in figures) for status in Status}
    return Figure(label, counts, target)


@dataclass(frozen=True)
class TeamFigure:
    """A team's figure, including the teams below it; ``depth`` 0 is the top level."""

    team_id: int
    name: str
    kind: str
    depth: int
    figure: Figure

    @property
    def indent(self) -> int:
        """The GOV.UK padding step that shows the team's depth (0, 3 or 6)."""
        return min(self.depth * 3, 6)


TEAM_SORTS = ("hierarchy", "lowest", "name")


def team_figures(
    session: Session,
    policy: TrainingPolicy,
    on_date: dt.date,
    *,
    team_ids: TeamIds | None = None,
    sort: str = "hierarchy",
    page: int = 1,
    per_page: int = 50,
    basis: Basis = Basis.AS_RECORDED,
) -> Page:
    """One page of teams, each with the figure for it and every team below it.

    Counts are taken per team, then rolled up to each ancestor by the materialised
    path in the same statement; sorting by the lowest percentage happens in SQL too.
    """
    rows = status_rows(session, policy, on_date, team_ids=team_ids, basis=basis)
    per_team = (
        select(rows.c.team_id, *counted_columns(rows)).group_by(rows.c.team_id).subquery("per_team")
    )
    member = aliased(Team)
    sums = {s: func.coalesce(func.sum(per_team.c[s.value]), 0) for s in Status}
    good = sums[Status.COMPLIANT] + sums[Status.EXPIRING_SOON]
    denominator = good + sums[Status.OVERDUE]
    score = func.coalesce(1.0 * good / func.nullif(denominator, 0), 1.0)
    query = (
        select(Team, *(column.label(s.value) for s, column in sums.items()))
        .outerjoin(member, member.path.startswith(Team.path, autoescape=False))
        .outerjoin(per_team, per_team.c.team_id == member.id)
        .group_by(Team.id)
    )
    if team_ids is not None:
        query = query.where(Team.id.in_(team_ids))
    orders: dict[str, list[Any]] = {"lowest": [score, Team.path], "name": [Team.name, Team.id]}
    order = orders.get(sort, [Team.path])
    total = _count_teams(session, team_ids)
    result = session.execute(
        query.order_by(*order).limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).all()
    figures = [_team_figure(row, policy.target_percent) for row in result]
    return Page(figures, max(page, 1), per_page, total)


def _count_teams(session: Session, team_ids: TeamIds | None) -> int:
    """How many teams ``team_ids`` covers (None: all of them)."""
    counted = select(func.count()).select_from(Team)
    if team_ids is not None:
        counted = counted.where(Team.id.in_(team_ids))
    return session.scalar(counted) or 0


def _team_figure(row: Any, target: float) -> TeamFigure:
    """A row of ``team_figures``' query (the Team, then a count per status) as a figure."""
    team = row[0]
    return TeamFigure(
        team.id,
        team.name,
        team.kind.value,
        team.path.count("/") - 2,
        Figure(team.name, _counts(row), target),
    )


def month_ends(today: dt.date, months: int = 12) -> list[dt.date]:
    """The last day of each of the ``months`` months before today's, oldest first."""
    first = today.replace(day=1)
    return [add_months(first, -n) - dt.timedelta(days=1) for n in range(months, 0, -1)]


def trend(
    session: Session,
    policy: TrainingPolicy,
    today: dt.date,
    *,
    team_ids: TeamIds | None = None,
    months: int = 12,
    stamp: tuple[Any, ...] | None = None,
) -> list[Figure]:
    """The headline course's figure (the first in the policy: data security awareness,
    the DSPT's measure) at each of the last ``months`` month ends and today.

    A month end's figure counts only what had been recorded by then, so it is cached
    until the staff register changes, whatever training is recorded since.
    """
    from ig.training.cache import cached, data_stamp

    code = next(iter(policy.courses))
    points = [*month_ends(today, months)[1:], today]
    stamp = stamp if stamp is not None else data_stamp(session)
    result = []
    for day in points:

        def compute(day: dt.date = day) -> Figure:
            figures = course_figures(session, policy, day, team_ids, codes=[code])
            return Figure(day.strftime("%b %Y"), figures[0].counts, policy.target_percent)

        key = ("trend-point", policy.fingerprint, code, day)
        if team_ids is not None:
            result.append(compute())
        elif day < today:
            result.append(cached(session, key, compute, past=True, stamp=stamp))
        else:
            result.append(cached(session, key, compute, stamp=stamp))
    return result

"""What each training page shows, assembled from the figures and the register.

Organisation-wide and team figures go through the figures cache: they are costly to
compute for a large council and change only when the data or the date does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from ig.audit.service import Page
from ig.auth.rules import Actor
from ig.people.models import Staff
from ig.people.service import TeamIds, visible_team_ids
from ig.policies import TrainingPolicy
from ig.training.cache import cached, data_stamp
from ig.training.figures import Figure, course_figures, overall, team_figures, trend
from ig.training.models import Completion, Exemption
from ig.training.register import staff_statuses
from ig.training.service import StatusRow, get_training_status_on


def scope(session: Session, actor: Actor) -> TeamIds | None:
    """The teams whose staff ``actor`` may see: None for everyone's."""
    return visible_team_ids(session, actor)


def course_choices(policy: TrainingPolicy) -> dict[str, str]:
    return {"": "Choose a course"} | {
        code: f"{code}: {course.title}" for code, course in policy.courses.items()
    }


@dataclass(frozen=True)
class OrganisationPage:
    on: dt.date
    today: dt.date
    target: float
    overall: Figure
    courses: list[Figure]
    teams: Page
    trend: list[Figure]
    trend_course: str
    sort: str


def organisation(
    session: Session, policy: TrainingPolicy, on: dt.date, today: dt.date, sort: str, page: int
) -> OrganisationPage:
    """The IG page: the organisation, its courses and teams on ``on``, and the trend."""

    def compute() -> tuple[list[Figure], Page]:
        courses = course_figures(session, policy, on)
        teams = team_figures(session, policy, on, sort=sort, page=page, per_page=25)
        return courses, teams

    stamp = data_stamp(session)  # read once for every cached part of the page
    key = ("organisation", id(policy), on, sort, page)
    courses, teams = cached(session, key, compute, past=on < today, stamp=stamp)
    headline = next(iter(policy.courses.values()))
    return OrganisationPage(
        on=on,
        today=today,
        target=policy.target_percent,
        overall=overall(courses, "All courses", policy.target_percent),
        courses=courses,
        teams=teams,
        trend=trend(session, policy, today, stamp=stamp),
        trend_course=headline.title,
        sort=sort,
    )


@dataclass(frozen=True)
class TeamPage:
    overall: Figure
    courses: list[Figure]
    staff: Page
    status: str
    has_teams: bool


def team(
    session: Session,
    actor: Actor,
    policy: TrainingPolicy,
    today: dt.date,
    *,
    status: str,
    search: str,
    sort: str,
    page: int,
) -> TeamPage:
    """A manager's page: their teams' figures and staff, filtered and sorted in SQL."""
    team_ids = scope(session, actor)
    who = None if team_ids is None else actor.user_id

    def compute() -> TeamPage:
        courses = course_figures(session, policy, today, team_ids)
        people = staff_statuses(
            session,
            policy,
            today,
            team_ids=team_ids,
            status=status,
            search=search,
            sort=sort,
            page=page,
        )
        total = overall(courses, "All courses", policy.target_percent)
        return TeamPage(total, courses, people, status, total.denominator + people.total > 0)

    return cached(session, ("team", id(policy), who, today, status, search, sort, page), compute)


@dataclass(frozen=True)
class PersonPage:
    staff: Staff
    today: dt.date
    statuses: list[StatusRow]
    completions: list[Completion]
    exemptions: list[Exemption]


def person(session: Session, policy: TrainingPolicy, staff: Staff, today: dt.date) -> PersonPage:
    """One person's record: each required course's status, and their history."""
    statuses = get_training_status_on(session, [staff.id], today, policy=policy)
    completions = session.scalars(
        select(Completion)
        .where(Completion.staff_id == staff.id)
        .order_by(Completion.completed_on.desc(), Completion.id.desc())
        .limit(100)
    ).all()
    exemptions = session.scalars(
        select(Exemption)
        .options(defer(Exemption.reason))  # encrypted: shown only where its reading is audited
        .where(Exemption.staff_id == staff.id)
        .order_by(Exemption.starts_on.desc())
    ).all()
    return PersonPage(staff, today, statuses.get(staff.id, []), list(completions), list(exemptions))

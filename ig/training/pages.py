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
from ig.training.cache import cached, data_stamp, is_settled
from ig.training.figures import Figure, course_figures, overall, team_figures, trend
from ig.training.manager import list_needing_action, list_up_to_date
from ig.training.models import Completion, Exemption
from ig.training.policy import TrainingPolicy
from ig.training.rules import Basis
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
    evidence_basis: Basis
    known_overall: Figure | None  # "as now known", for a past date only
    known_courses: list[Figure] | None

    @property
    def basis_rows(self) -> list[tuple[Figure, Figure]]:
        """Each course and the total, as recorded then beside as now known."""
        if self.known_courses is None or self.known_overall is None:
            return []
        known = [*self.known_courses, self.known_overall]
        return list(zip([*self.courses, self.overall], known, strict=True))


def organisation(
    session: Session, policy: TrainingPolicy, on: dt.date, today: dt.date, sort: str, page: int
) -> OrganisationPage:
    """The IG page: the organisation, its courses and teams on ``on`` (as recorded then),
    the same figures as now known for a past date, and the trend."""

    def compute() -> tuple[list[Figure], Page]:
        courses = course_figures(session, policy, on)
        teams = team_figures(session, policy, on, sort=sort, page=page, per_page=25)
        return courses, teams

    def compute_known() -> list[Figure]:
        return course_figures(session, policy, on, basis=Basis.AS_NOW_KNOWN)

    stamp = data_stamp(session)  # read once for every cached part of the page
    key = ("organisation", policy.fingerprint, on, sort, page)
    recorded = Basis.AS_RECORDED
    courses, teams = cached(
        session, key, compute, past=is_settled(on, today, recorded), stamp=stamp
    )
    known = None
    if on < today:
        known_key = ("organisation-known", policy.fingerprint, on)
        known = cached(session, known_key, compute_known, stamp=stamp)
    headline = next(iter(policy.courses.values()))
    target = policy.target_percent
    return OrganisationPage(
        on=on,
        today=today,
        target=target,
        overall=overall(courses, "All courses", target),
        courses=courses,
        teams=teams,
        trend=trend(session, policy, today, stamp=stamp),
        trend_course=headline.title,
        sort=sort,
        evidence_basis=Basis(policy.evidence_basis),
        known_overall=overall(known, "All courses", target) if known is not None else None,
        known_courses=known,
    )


@dataclass(frozen=True)
class TeamPage:
    today: dt.date
    overall: Figure
    courses: list[Figure]
    action: Page
    up_to_date: Page
    status: str
    search: str
    has_teams: bool


def team(
    session: Session,
    actor: Actor,
    policy: TrainingPolicy,
    today: dt.date,
    *,
    status: str,
    search: str,
    page: int,
    up_to_date_page: int = 1,
) -> TeamPage:
    """A manager's page: who needs action in their teams, worst first, then who does not,
    and their teams' figures; each list paged and worked out in SQL."""
    team_ids = scope(session, actor)
    who = None if team_ids is None else actor.user_id

    def compute() -> TeamPage:
        courses = course_figures(session, policy, today, team_ids)
        action = list_needing_action(
            session, policy, today, team_ids=team_ids, show=status, search=search, page=page
        )
        calm = list_up_to_date(
            session, policy, today, team_ids=team_ids, search=search, page=up_to_date_page
        )
        total = overall(courses, "All courses", policy.target_percent)
        has_teams = sum(total.counts.values()) > 0  # anyone required to train, found or not
        return TeamPage(today, total, courses, action, calm, status, search, has_teams)

    key = ("team", policy.fingerprint, who, today, status, search, page, up_to_date_page)
    return cached(session, key, compute)


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

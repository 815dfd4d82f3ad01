"""The (person, course) pairs overdue on a date, the records behind the IG report's
"required courses overdue": the same ``compliance.status_rows`` the figure counts, paged
in SQL with its total."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.audit.service import Page
from ig.people.models import Staff, Team
from ig.training.compliance import status_rows
from ig.training.policy import TrainingPolicy
from ig.training.rules import Basis, Status

PER_PAGE = 50


@dataclass(frozen=True)
class OverduePair:
    """One person's required course, not completed or expired on the list's date."""

    staff_id: int
    staff_number: str
    name: str
    team: str
    course_code: str
    course_title: str
    last_completed_on: dt.date | None


def list_overdue(
    session: Session,
    policy: TrainingPolicy,
    on_date: dt.date,
    basis: Basis = Basis.AS_RECORDED,
    page: int = 1,
) -> Page:
    """One page of the pairs overdue on ``on_date`` (counting the completions ``basis``
    says), by team, name and course: one statement, its total counted beside the rows."""
    rows = status_rows(session, policy, on_date, basis=basis)
    page = max(page, 1)
    query = (
        select(
            Staff.id,
            Staff.staff_number,
            Staff.name,
            Team.name.label("team"),
            rows.c.course_code,
            rows.c.last_completed_on,
            func.count().over().label("total"),
        )
        .join(Staff, Staff.id == rows.c.staff_id)
        .join(Team, Team.id == rows.c.team_id)
        .where(rows.c.status == Status.OVERDUE.value)
        .order_by(Team.name, Staff.name, Staff.id, rows.c.course_code)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    found = session.execute(query).all()
    pairs = [
        OverduePair(
            r.id,
            r.staff_number,
            r.name,
            r.team,
            r.course_code,
            policy.courses[r.course_code].title,
            r.last_completed_on,
        )
        for r in found
    ]
    return Page(pairs, page, PER_PAGE, found[0].total if found else 0)

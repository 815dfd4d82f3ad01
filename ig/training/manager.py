"""A manager's list: who needs action (overdue, or due within the warning window), worst
first, and who does not, both paged and worked out in SQL; and its CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from ig.audit.service import Page
from ig.people.models import Staff, Team
from ig.people.service import TeamIds
from ig.training.compliance import severity, status_from_severity, status_rows
from ig.training.policy import TrainingPolicy
from ig.training.register import csv_lines
from ig.training.rules import Status, days_left, days_overdue, expires_on

# Which people the list shows: those needing action, or only the overdue or due soon.
FILTERS = {"action": "Overdue or due soon", "overdue": "Overdue", "due_soon": "Due soon"}
CSV_FILTERS = FILTERS | {"all": "Everyone"}
OVERDUE = Status.OVERDUE.value


@dataclass(frozen=True)
class ActionCourse:
    """One course a person must act on: overdue by ``days_overdue``, or due in ``days_left``."""

    code: str
    title: str
    status: Status
    due_on: dt.date | None
    days_overdue: int
    days_left: int
    last_completed_on: dt.date | None

    @property
    def is_overdue(self) -> bool:
        return self.status is Status.OVERDUE


@dataclass(frozen=True)
class ActionPerson:
    staff_id: int
    staff_number: str
    name: str
    job_title: str
    team_name: str
    courses: list[ActionCourse]


@dataclass(frozen=True)
class UpToDatePerson:
    """A person with nothing to do now; ``worst`` is compliant, not yet due or exempt."""

    staff_id: int
    staff_number: str
    name: str
    team_name: str
    worst: Status


def _per_person(rows: Any) -> Any:
    acting = rows.c.needs_action == 1
    return (
        select(
            rows.c.staff_id,
            rows.c.team_id,
            func.sum(rows.c.needs_action).label("n_action"),
            func.sum(case((rows.c.status == OVERDUE, 1), else_=0)).label("n_overdue"),
            func.min(case((acting, rows.c.due_on))).label("first_due"),
            func.max(severity(rows.c.status)).label("worst"),
        )
        .group_by(rows.c.staff_id, rows.c.team_id)
        .subquery("per_person")
    )


def _search(query: Select[Any], search: str) -> Select[Any]:
    if not search.strip():
        return query
    term = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return query.where(
        or_(Staff.name.ilike(term, escape="\\"), Staff.staff_number.ilike(term, escape="\\"))
    )


def _people(
    session: Session, policy: TrainingPolicy, on_date: dt.date, team_ids: TeamIds | None
) -> tuple[Any, Select[Any]]:
    per = _per_person(status_rows(session, policy, on_date, team_ids=team_ids, with_due=True))
    query = (
        select(Staff, Team.name, per.c.worst, func.count().over().label("total"))
        .join(per, per.c.staff_id == Staff.id)
        .join(Team, Team.id == per.c.team_id)
    )
    return per, query


def list_needing_action(
    session: Session,
    policy: TrainingPolicy,
    on_date: dt.date,
    *,
    team_ids: TeamIds | None = None,
    show: str = "action",
    search: str = "",
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """One page of the people who must act: the most overdue first, then the soonest due.

    ``show`` narrows to people with anything overdue, or to those due soon and nothing
    overdue. Two statements however long the page: the people, then their courses.
    """
    per, query = _people(session, policy, on_date, team_ids)
    query = query.where(per.c.n_action > 0)
    if show == "overdue":
        query = query.where(per.c.n_overdue > 0)
    elif show == "due_soon":
        query = query.where(per.c.n_overdue == 0)
    page = max(page, 1)
    found = session.execute(
        _search(query, search)
        .order_by(per.c.first_due, Staff.name, Staff.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    courses = _action_courses(session, policy, on_date, [row[0].id for row in found])
    people = [
        ActionPerson(
            staff.id, staff.staff_number, staff.name, staff.job_title, team, courses[staff.id]
        )
        for staff, team, _worst, _total in found
    ]
    return Page(people, page, per_page, found[0].total if found else 0)


def _action_courses(
    session: Session, policy: TrainingPolicy, on_date: dt.date, staff_ids: list[int]
) -> dict[int, list[ActionCourse]]:
    result: dict[int, list[ActionCourse]] = {staff_id: [] for staff_id in staff_ids}
    if not staff_ids:
        return result
    rows = status_rows(session, policy, on_date, staff_ids=staff_ids, with_due=True)
    query = (
        select(rows.c.staff_id, rows.c.course_code, rows.c.status, rows.c.due_on)
        .add_columns(rows.c.last_completed_on)
        .where(rows.c.needs_action == 1)
        .order_by(rows.c.staff_id, rows.c.due_on, rows.c.course_code)
    )
    for staff_id, code, status, due, last in session.execute(query):
        result[staff_id].append(
            ActionCourse(
                code,
                policy.courses[code].title,
                Status(status),
                due,
                days_overdue(on_date, due),
                days_left(on_date, due),
                last,
            )
        )
    return result


def list_up_to_date(
    session: Session,
    policy: TrainingPolicy,
    on_date: dt.date,
    *,
    team_ids: TeamIds | None = None,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """One page of the people with nothing to do now, by name, and how many there are."""
    per, query = _people(session, policy, on_date, team_ids)
    page = max(page, 1)
    query = _search(query.where(per.c.n_action == 0), search)
    found = session.execute(
        query.order_by(Staff.name, Staff.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    if found:
        total = found[0].total
    else:  # a page past the end: count them anyway, for the summary
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    people = [
        UpToDatePerson(
            staff.id,
            staff.staff_number,
            staff.name,
            team,
            status_from_severity(worst) or Status.COMPLIANT,
        )
        for staff, team, worst, _total in found
    ]
    return Page(people, page, per_page, total)


HEADER: list[object] = [
    "Staff number",
    "Name",
    "Team",
    "Course",
    "Status",
    "Completed on",
    "Expires on",
    "Days overdue",
]


def manager_csv(
    session: Session,
    policy: TrainingPolicy,
    on_date: dt.date,
    *,
    team_ids: TeamIds | None = None,
    show: str = "all",
) -> Iterator[str]:
    """Each required course of each person in scope, one header row then one row a course
    (streamed): everyone by team and name, or only the courses needing action, worst first.
    """
    rows = status_rows(session, policy, on_date, team_ids=team_ids, with_due=True)
    query = (
        select(Staff.staff_number, Staff.name, Team.name, rows.c.course_code, rows.c.status)
        .add_columns(rows.c.last_completed_on, rows.c.due_on)
        .join(Staff, Staff.id == rows.c.staff_id)
        .join(Team, Team.id == rows.c.team_id)
    )
    if show == "all" or show not in CSV_FILTERS:
        query = query.order_by(Team.name, Staff.name, Staff.id, rows.c.course_code)
    else:
        query = query.where(rows.c.needs_action == 1)
        if show == "overdue":
            query = query.where(rows.c.status == OVERDUE)
        elif show == "due_soon":
            query = query.where(rows.c.status != OVERDUE)
        query = query.order_by(rows.c.due_on, Staff.name, Staff.id, rows.c.course_code)

    def lines() -> Iterator[list[object]]:
        yield HEADER
        for number, name, team, code, state, done, due in session.execute(query).yield_per(1000):
            status = Status(state)
            expiry = expires_on(policy.courses[code], done) if done else None
            late = days_overdue(on_date, due) if status is Status.OVERDUE else None
            yield [number, name, team, code, status.label, done, expiry, late]

    return csv_lines(lines())

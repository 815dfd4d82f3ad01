"""Staff with their training status: the manager's list, and the CSV exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ig.audit.service import Page
from ig.people.models import Staff, Team
from ig.people.service import TeamIds
from ig.policies import TrainingPolicy
from ig.training.compliance import counted_columns, severity, status_rows
from ig.training.rules import Status, expires_on, percent

FILTERS = {
    "all": "Everyone",
    "overdue": "Overdue",
    "expiring_soon": "Expiring soon",
    "not_yet_due": "Not yet due",
    "exempt": "Exempt",
}
SORTS = {"name": "Name", "worst": "Most urgent first", "team": "Team"}


@dataclass(frozen=True)
class StaffStatus:
    """A person in a list, their worst status and each required course's status."""

    staff_id: int
    staff_number: str
    name: str
    job_title: str
    team_name: str
    worst: Status
    courses: list[tuple[str, Status]]


def _per_staff(rows: Any) -> Any:
    counts = counted_columns(rows)
    return (
        select(
            rows.c.staff_id,
            rows.c.team_id,
            func.max(severity(rows.c.status)).label("worst"),
            *counts,
        )
        .group_by(rows.c.staff_id, rows.c.team_id)
        .subquery("per_staff")
    )


def staff_statuses(
    session: Session,
    policy: TrainingPolicy,
    on_date: dt.date,
    *,
    team_ids: TeamIds | None = None,
    status: str = "all",
    search: str = "",
    sort: str = "name",
    page: int = 1,
    per_page: int = 50,
) -> Page:
    """One page of staff in post with their status, filtered and sorted in SQL (2 queries)."""
    per_staff = _per_staff(status_rows(session, policy, on_date, team_ids=team_ids))
    query = (
        select(Staff, Team.name, per_staff.c.worst, func.count().over().label("total"))
        .join(per_staff, per_staff.c.staff_id == Staff.id)
        .join(Team, Team.id == per_staff.c.team_id)
    )
    if status in FILTERS and status != "all":
        query = query.where(per_staff.c[status] > 0)
    if search.strip():
        term = (
            "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        )
        query = query.where(
            or_(Staff.name.ilike(term, escape="\\"), Staff.staff_number.ilike(term, escape="\\"))
        )
    order = {
        "worst": [per_staff.c.worst.desc(), Staff.name],
        "team": [Team.name, Staff.name],
    }.get(sort, [Staff.name])
    page = max(page, 1)
    result = session.execute(
        query.order_by(*order, Staff.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    total = result[0].total if result else 0
    details = _course_statuses(session, policy, on_date, [row[0].id for row in result])
    rows = [
        StaffStatus(
            staff.id,
            staff.staff_number,
            staff.name,
            staff.job_title,
            team_name,
            _from_rank(worst),
            details.get(staff.id, []),
        )
        for staff, team_name, worst, _total in result
    ]
    return Page(rows, page, per_page, total)


def _from_rank(rank: int) -> Status:
    from ig.training.compliance import status_from_severity

    return status_from_severity(rank) or Status.COMPLIANT


def _course_statuses(
    session: Session, policy: TrainingPolicy, on_date: dt.date, staff_ids: list[int]
) -> dict[int, list[tuple[str, Status]]]:
    if not staff_ids:
        return {}
    rows = status_rows(session, policy, on_date, staff_ids=staff_ids)
    result: dict[int, list[tuple[str, Status]]] = {}
    for staff_id, code, status in session.execute(
        select(rows.c.staff_id, rows.c.course_code, rows.c.status).order_by(rows.c.course_code)
    ):
        result.setdefault(staff_id, []).append((code, Status(status)))
    return result


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(rows: Iterator[list[object]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


STAFF_HEADER: list[object] = [
    "Staff number",
    "Name",
    "Team",
    "Job title",
    "Course",
    "Course title",
    "Status",
    "Last completed",
    "Expires on",
]


def staff_csv(
    session: Session,
    policy: TrainingPolicy,
    on_date: dt.date,
    *,
    team_ids: TeamIds | None = None,
    status: str = "all",
) -> Iterator[str]:
    """Each required course of each person in scope, as CSV lines (streamed)."""
    rows = status_rows(session, policy, on_date, team_ids=team_ids)
    query = (
        select(
            Staff.staff_number,
            Staff.name,
            Team.name,
            Staff.job_title,
            rows.c.course_code,
            rows.c.status,
            rows.c.last_completed_on,
        )
        .join(Staff, Staff.id == rows.c.staff_id)
        .join(Team, Team.id == rows.c.team_id)
        .order_by(Team.name, Staff.name, Staff.id, rows.c.course_code)
    )
    if status in FILTERS and status != "all":
        per_staff = _per_staff(status_rows(session, policy, on_date, team_ids=team_ids))
        query = query.where(
            Staff.id.in_(select(per_staff.c.staff_id).where(per_staff.c[status] > 0))
        )

    def lines() -> Iterator[list[object]]:
        yield [f"Training status on {on_date.isoformat()}"]
        yield STAFF_HEADER
        for number, name, team, title, code, state, done in session.execute(query).yield_per(1000):
            course = policy.courses[code]
            expiry = expires_on(course, done) if done else None
            yield [number, name, team, title, code, course.title, Status(state).label, done, expiry]

    return _csv(lines())


Totals = dict[tuple[int | None, str], list[int]]


def evidence_totals(
    session: Session, policy: TrainingPolicy, on_date: dt.date
) -> tuple[list[tuple[int, str]], Totals]:
    """The teams in order, and the counts per (team or None for all, course) on a date.

    One query classifies every pair and counts them per team and course; those few
    thousand counts are then added up each team's path, which is cheaper than asking
    the database to join every team to every team below it.
    """
    rows = status_rows(session, policy, on_date)
    per_team = select(rows.c.team_id, rows.c.course_code, *counted_columns(rows)).group_by(
        rows.c.team_id, rows.c.course_code
    )
    teams = session.execute(select(Team.id, Team.name, Team.path).order_by(Team.path)).all()
    totals: dict[tuple[int | None, str], list[int]] = {}
    paths = {team_id: path for team_id, _name, path in teams}
    for row in session.execute(per_team):
        counts = [int(getattr(row, s.value) or 0) for s in Status]
        ancestors = [int(part) for part in paths[row.team_id].strip("/").split("/")]
        for key in [None, *ancestors]:
            sums = totals.setdefault((key, row.course_code), [0] * len(Status))
            for index, value in enumerate(counts):
                sums[index] += value
    return [(team_id, name) for team_id, name, _path in teams], totals


def evidence_csv(
    session: Session,
    policy: TrainingPolicy,
    on_date: dt.date,
    generated_at: dt.datetime,
    today: dt.date | None = None,
) -> Iterator[str]:
    """DSPT evidence as CSV: each team (with the teams below it) and course, and in all."""
    from ig.training.cache import cached

    past = today is not None and on_date < today
    teams, totals = cached(
        session,
        ("evidence", id(policy), on_date),
        lambda: evidence_totals(session, policy, on_date),
        past=past,
    )

    def lines() -> Iterator[list[object]]:
        yield ["Data security and protection training compliance"]
        yield ["As at", on_date.isoformat(), "Target %", policy.target_percent]
        yield ["Policy version", policy.version, "Generated", generated_at.isoformat()]
        yield ["Team", "Course", *[s.label for s in Status], "Compliance %", "Meets target"]
        for team_id, name in [(None, "Whole organisation"), *teams]:
            for code in policy.courses:
                if (team_id, code) in totals:
                    yield _evidence_row(name, code, totals[(team_id, code)], policy)

    return _csv(lines())


def _evidence_row(label: str, code: str, counts: list[int], policy: TrainingPolicy) -> list[object]:
    by_status = dict(zip(Status, counts, strict=True))
    good = by_status[Status.COMPLIANT] + by_status[Status.EXPIRING_SOON]
    value = percent(good, good + by_status[Status.OVERDUE])
    return [label, code, *counts, value, "yes" if value >= policy.target_percent else "no"]

"""Compliance in SQL: each required course's status for each person on a date.

Everything here builds SELECTs; the database classifies every (person, course) pair
in one statement, so a page or a figure costs one query however many staff it covers.
The classification is the same as ``rules.status_on`` (a test holds them together).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    String,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from ig.db import LONDON
from ig.people.models import Staff
from ig.people.service import TeamIds, staff_in_post
from ig.training.audience import Posting, audience
from ig.training.due import due_and_action, due_columns, known_by, pending_query
from ig.training.models import Assignment, AssignmentStaff, Completion, Exemption
from ig.training.policy import Course, TrainingPolicy
from ig.training.rules import SEVERITY, Basis, Status, window


def end_of_day(on_date: dt.date) -> dt.datetime:
    """The instant the UK day ``on_date`` ends: data recorded before it counts on that date."""
    midnight = dt.datetime.combine(on_date + dt.timedelta(days=1), dt.time(), LONDON)
    return midnight.astimezone(dt.UTC)


def _pending(code: str, on_date: dt.date, end_at: dt.datetime | None, overdue: bool) -> Any:
    """EXISTS an assignment of ``code`` to this person not yet done on ``on_date``."""
    query = pending_query(code, on_date, end_at, AssignmentStaff.id)
    if overdue:
        query = query.where(Assignment.due_on < on_date)
    return query.exists()


@dataclass(frozen=True)
class _Scope:
    """What every branch of ``status_rows`` shares."""

    on_date: dt.date
    end_at: dt.datetime | None
    posting: Posting
    where: Sequence[ColumnElement[bool]]
    special: tuple[frozenset[str], frozenset[str]]
    with_due: bool


def _last_completed(code: str, on_date: dt.date, end_at: dt.datetime | None) -> Any:
    """The date of this person's last completion of ``code`` on or before ``on_date``
    (one probe of the completions index)."""
    return (
        select(func.max(Completion.completed_on))
        .where(
            Completion.staff_id == Staff.id,
            Completion.course_code == code,
            Completion.completed_on <= on_date,
            known_by(Completion.recorded_at, end_at),
        )
        .scalar_subquery()
    )


def _exempt(code: str, on_date: dt.date, end_at: dt.datetime | None) -> ColumnElement[bool]:
    """EXISTS an exemption of this person from ``code`` that covers ``on_date``."""
    return exists().where(
        Exemption.staff_id == Staff.id,
        Exemption.course_code == code,
        Exemption.starts_on <= on_date,
        Exemption.ends_on >= on_date,
        known_by(Exemption.recorded_at, end_at),
    )


def _branch(course: Course, scope: _Scope) -> Select[Any]:
    """The pairs (person, ``course``) required on ``on_date``, with what decides the status.

    Columns: staff_id, team_id, course_code; last_completed_on (one probe of the
    completions index); ``settled``, the status whatever the completions say (exempt,
    or an overdue assignment) or NULL; ``unless_current``, the status without a current
    completion; and the course's cut-off dates, so ``status_rows`` can grade the last
    completion. ``special`` names the courses with any exemptions and any assignments:
    for the others those probes cannot match, so they are left out of the statement.
    """
    on_date, end_at, posting, special = scope.on_date, scope.end_at, scope.posting, scope.special
    win = window(course, on_date)
    code = course.code
    last = _last_completed(code, on_date, end_at)
    exempt = _exempt(code, on_date, end_at)
    has_exemptions, has_assignments = code in special[0], code in special[1]
    in_audience = audience(course, posting)
    assigned = _pending(code, on_date, end_at, overdue=False) if has_assignments else false()
    settled = case(
        (exempt if has_exemptions else false(), Status.EXEMPT.value),
        (
            _pending(code, on_date, end_at, overdue=True) if has_assignments else false(),
            Status.OVERDUE.value,
        ),
    )
    unless_current = case(
        (and_(in_audience, Staff.started_on > win.starter_after), Status.NOT_YET_DUE.value),
        (in_audience, Status.OVERDUE.value),
        else_=Status.NOT_YET_DUE.value,  # required only by an assignment not yet due
    )
    columns: list[Any] = [
        Staff.id.label("staff_id"),
        posting.team_id.label("team_id"),
        literal(code, String(40)).label("course_code"),
        last.label("last_completed_on"),
        settled.label("settled"),
        unless_current.label("unless_current"),
        literal(win.current_after, Date).label("current_after"),
        literal(win.safe_after, Date).label("safe_after"),
    ]
    if scope.with_due:
        columns.append(case((in_audience, 1), else_=0).label("in_audience"))
        columns.extend(due_columns(course, on_date, end_at, has_assignments))
    return posting.join(select(*columns), on_date).where(
        *staff_in_post(on_date),
        or_(in_audience, assigned),
        *scope.where,
    )


def special_courses(session: Session) -> tuple[frozenset[str], frozenset[str]]:
    """The codes of courses with any exemption, and with any assignment (one query)."""
    query = union_all(
        select(literal("exemption").label("kind"), Exemption.course_code).distinct(),
        select(literal("assignment").label("kind"), Assignment.course_code).distinct(),
    )
    found = session.execute(query).all()
    return (
        frozenset(code for kind, code in found if kind == "exemption"),
        frozenset(code for kind, code in found if kind == "assignment"),
    )


def status_rows(
    session: Session,
    policy: TrainingPolicy,
    on_date: dt.date,
    *,
    team_ids: TeamIds | None = None,
    staff_ids: Sequence[int] | TeamIds | None = None,
    course_codes: Sequence[str] | None = None,
    basis: Basis = Basis.AS_RECORDED,
    with_due: bool = False,
) -> Any:
    """A subquery of (staff_id, team_id, course_code, status, last_completed_on), one row
    per required pair: the last completion is the latest dated on or before ``on_date``.

    ``basis`` says which completions (and exemptions and assignments) count: those
    recorded by the end of ``on_date`` ("as recorded then", reproducible), or all of them
    ("as now known", which also counts a late export's). Today both are the same.
    ``with_due`` adds ``due_on`` (the last day to do the course: ``rules.due_on``, or an
    assignment's due date; NULL if exempt) and ``needs_action`` (1 if overdue, or due
    within the course's warning window).

    Each course is one branch of a UNION ALL over the people in post, in the team and
    job title they held on ``on_date`` (``team_ids`` scopes by that team); each pair costs
    one probe of the completions index (plus exemption and assignment probes for the
    courses that have any, found by one small query first).
    """
    end_at = end_of_day(on_date) if basis is Basis.AS_RECORDED else None
    special = special_courses(session)
    posting = Posting.on(session, on_date)
    where: list[ColumnElement[bool]] = []
    if team_ids is not None:
        where.append(posting.team_id.in_(team_ids))
    if staff_ids is not None:
        where.append(Staff.id.in_(staff_ids))
    courses = [c for c in policy.courses.values() if course_codes is None or c.code in course_codes]
    if not courses:
        courses = list(policy.courses.values())[:1]
        where.append(false())
    scope = _Scope(on_date, end_at, posting, where, special, with_due)
    branches = [_branch(course, scope) for course in courses]
    # OFFSET 0 keeps the planner from merging the pairs into the queries above: merged,
    # each reference to last_completed_on would repeat its probe for every pair.
    pairs = union_all(*branches).offset(0).subquery("pairs")
    return _graded(pairs, with_due)


def _graded(pairs: Any, with_due: bool) -> Any:
    """The ``required`` subquery: each pair's settled status, else the grade of its last
    completion, else its status without a current one."""
    graded = case(
        (pairs.c.last_completed_on > pairs.c.safe_after, Status.COMPLIANT.value),
        (pairs.c.last_completed_on > pairs.c.current_after, Status.EXPIRING_SOON.value),
    )
    status = func.coalesce(pairs.c.settled, graded, pairs.c.unless_current)
    columns: list[Any] = [
        pairs.c.staff_id,
        pairs.c.team_id,
        pairs.c.course_code,
        status.label("status"),
        pairs.c.last_completed_on,
    ]
    if with_due:
        columns.extend(due_and_action(pairs, status))
    return select(*columns).subquery("required")


def severity(status_column: Any) -> ColumnElement[int]:
    """A status as its severity number, so SQL can find a person's worst status."""
    return case(
        *((status_column == status.value, rank) for status, rank in SEVERITY.items()),
        else_=0,
    )


def status_from_severity(rank: int | None) -> Status | None:
    for status, value in SEVERITY.items():
        if value == rank:
            return status
    return None


def counted_columns(rows: Any) -> list[Any]:
    """Per-status counts of a status subquery, as labelled SUM columns."""
    return [
        func.sum(case((rows.c.status == status.value, 1), else_=0)).label(status.value)
        for status in Status
    ]

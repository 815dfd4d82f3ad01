"""The SQL of a pair's due date and whether a manager must act on it, and of "known by".

Kept apart from compliance.py, which builds the pairs: these are the parts that differ
between the figures (which need only statuses) and the manager's list (which needs
each pair's due date, worst first).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    literal_column,
    null,
    select,
    true,
    type_coerce,
)

from ig.people.models import Staff
from ig.sqldates import expiry, plus_days
from ig.training.models import Assignment, AssignmentStaff, Completion
from ig.training.policy import Course
from ig.training.rules import Status


def known_by(column: Any, end_at: dt.datetime | None) -> ColumnElement[bool]:
    """``column`` (when a row was recorded) is before ``end_at``; always, when it is None
    (the figure "as now known" counts whatever has been recorded since)."""
    return true() if end_at is None else column < end_at


def pending_query(code: str, on_date: dt.date, end_at: dt.datetime | None, column: Any) -> Any:
    """``column`` of the assignments of ``code`` to this person not yet done on ``on_date``."""
    done = exists().where(
        Completion.staff_id == AssignmentStaff.staff_id,
        Completion.course_code == code,
        Completion.completed_on >= Assignment.assigned_on,
        Completion.completed_on <= on_date,
        known_by(Completion.recorded_at, end_at),
    )
    return (
        select(column)
        .select_from(AssignmentStaff)
        .join(Assignment, Assignment.id == AssignmentStaff.assignment_id)
        .where(
            AssignmentStaff.staff_id == Staff.id,
            Assignment.course_code == code,
            Assignment.assigned_on <= on_date,
            known_by(Assignment.created_at, end_at),
            ~done,
        )
    )


def due_columns(
    course: Course, on_date: dt.date, end_at: dt.datetime | None, has_assignments: bool
) -> list[Any]:
    """What ``due_on`` is worked out from, for a branch of the pairs (see ``status_rows``)."""
    if has_assignments:
        first_due = func.min(Assignment.due_on)
        assigned_due: Any = pending_query(course.code, on_date, end_at, first_due).scalar_subquery()
    else:
        assigned_due = cast(null(), Date)
    return [
        Staff.started_on.label("started_on"),
        literal_column(str(int(course.valid_months)), Integer).label("valid_months"),
        literal_column(str(int(course.new_starter_days)), Integer).label("starter_days"),
        literal(on_date + dt.timedelta(days=course.expiring_soon_days), Date).label("warn_until"),
        assigned_due.label("assigned_due"),
    ]


def due_and_action(pairs: Any, status: Any) -> list[Any]:
    """``due_on`` and ``needs_action`` of each pair, as ``rules.due_on`` and
    ``rules.needs_action`` work them out (an assignment's due date where one decides)."""
    completion_due = plus_days(expiry(pairs.c.last_completed_on, pairs.c.valid_months), -1)
    starter_due = plus_days(pairs.c.started_on, pairs.c.starter_days)
    due = case(
        (pairs.c.settled == Status.EXEMPT.value, cast(null(), Date)),
        (pairs.c.settled == Status.OVERDUE.value, pairs.c.assigned_due),
        (pairs.c.in_audience == 0, pairs.c.assigned_due),
        (pairs.c.last_completed_on.is_(None), starter_due),
        (completion_due > starter_due, completion_due),
        else_=starter_due,
    )
    action = case(
        (status == Status.OVERDUE.value, 1),
        (
            and_(
                status.in_([Status.EXPIRING_SOON.value, Status.NOT_YET_DUE.value]),
                due <= pairs.c.warn_until,
            ),
            1,
        ),
        else_=0,
    )
    return [type_coerce(due, Date).label("due_on"), action.label("needs_action")]

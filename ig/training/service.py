"""Training use cases: status on a date, completions, exemptions and course assignments.

Other features use ``get_training_status_on``, ``assign_course`` and
``get_assignment_progress``; their signatures are stable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.db import london_today, utcnow
from ig.errors import ValidationFailed
from ig.people.models import Staff
from ig.training.assignments import (  # noqa: F401 - part of this module's stable interface
    AssignmentProgress,
    assign_course,
    get_assignment_progress,
)
from ig.training.cache import cached, is_settled
from ig.training.compliance import status_rows
from ig.training.models import (
    Completion,
    CompletionSource,
    Exemption,
)
from ig.training.policy import TrainingPolicy, current_policy, get_course
from ig.training.rules import Basis, Status, expires_on, starter_due_on


@dataclass(frozen=True)
class StatusRow:
    """One required course for one person on one date."""

    staff_id: int
    course_code: str
    course_title: str
    status: Status
    last_completed_on: dt.date | None
    expires_on: dt.date | None
    due_on: dt.date | None


def get_training_status_on(
    session: Session,
    staff_ids: list[int],
    on_date: dt.date,
    *,
    policy: TrainingPolicy | None = None,
) -> dict[int, list[StatusRow]]:
    """Each required course's status for each person on ``on_date`` (one query). A past
    day's is kept in the shared cache: it changes only with the staff and teams, since
    completions recorded later do not count.

    Only completions recorded by the end of ``on_date`` count, so the answer for a past
    date does not change when later data arrives. People not employed on that date,
    or unknown, are absent from the result.
    """
    policy = policy or current_policy()
    if not staff_ids:
        return {}
    if not is_settled(on_date, london_today(), Basis.AS_RECORDED):
        return _status_on(session, policy, staff_ids, on_date)  # today's moves with every record
    key = ("status-on", policy.fingerprint, tuple(sorted(set(staff_ids))), on_date)
    return cached(session, key, lambda: _status_on(session, policy, staff_ids, on_date), past=True)


def _status_on(
    session: Session, policy: TrainingPolicy, staff_ids: list[int], on_date: dt.date
) -> dict[int, list[StatusRow]]:
    result: dict[int, list[StatusRow]] = {}
    rows = status_rows(session, policy, on_date, staff_ids=staff_ids)
    pairs = session.execute(
        select(
            rows.c.staff_id,
            rows.c.course_code,
            rows.c.status,
            rows.c.last_completed_on,
            Staff.started_on,
        )
        .join(Staff, Staff.id == rows.c.staff_id)
        .order_by(rows.c.staff_id, rows.c.course_code)
    ).all()
    for staff_id, code, status, last, started_on in pairs:
        course = policy.courses[code]
        result.setdefault(staff_id, []).append(
            StatusRow(
                staff_id=staff_id,
                course_code=code,
                course_title=course.title,
                status=Status(status),
                last_completed_on=last,
                expires_on=expires_on(course, last) if last else None,
                due_on=starter_due_on(course, started_on),
            )
        )
    return result


ALREADY_RECORDED = "This completion is already recorded for this person on that date"


def record_completion(
    session: Session,
    actor: Actor,
    staff: Staff,
    course_code: str,
    completed_on: dt.date,
    today: dt.date,
    *,
    policy: TrainingPolicy | None = None,
    source: CompletionSource = CompletionSource.MANUAL,
    now: dt.datetime | None = None,
) -> Completion:
    """Record that ``staff`` completed a course; ValidationFailed if it cannot be true."""
    course = get_course(policy or current_policy(), course_code)
    if completed_on > today:
        raise ValidationFailed("completed_on", "The completion date cannot be in the future")
    if completed_on < staff.started_on - dt.timedelta(days=3650):
        raise ValidationFailed("completed_on", "The completion date is implausibly old")
    if _is_recorded(session, staff.id, course.code, completed_on):
        raise ValidationFailed("completed_on", ALREADY_RECORDED)
    completion = Completion(
        staff_id=staff.id,
        course_code=course.code,
        completed_on=completed_on,
        source=source,
        recorded_at=now or utcnow(),
        recorded_by_id=actor.user_id,
    )
    try:
        # In a savepoint: an identical completion saved by a request running at the
        # same moment fails here on the unique key, and this request can still answer.
        with session.begin_nested():
            session.add(completion)
    except IntegrityError:
        if not _is_recorded(session, staff.id, course.code, completed_on):
            raise
        raise ValidationFailed("completed_on", ALREADY_RECORDED) from None
    record(
        session,
        actor,
        "training.completion_recorded",
        "staff",
        staff.id,
        {"course": course.code, "completed_on": completed_on.isoformat(), "source": source.value},
    )
    return completion


def _is_recorded(session: Session, staff_id: int, course_code: str, on: dt.date) -> bool:
    found = session.scalar(
        select(Completion.id).where(
            Completion.staff_id == staff_id,
            Completion.course_code == course_code,
            Completion.completed_on == on,
        )
    )
    return found is not None


def add_exemption(
    session: Session,
    actor: Actor,
    staff: Staff,
    course_code: str,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date,
    *,
    policy: TrainingPolicy | None = None,
    now: dt.datetime | None = None,
) -> Exemption:
    """Exempt ``staff`` from a course between two dates (inclusive), with a reason."""
    course = get_course(policy or current_policy(), course_code)
    if not reason.strip():
        raise ValidationFailed("reason", "Enter why this person is exempt")
    if ends_on < starts_on:
        raise ValidationFailed("ends_on", "The end date must be on or after the start date")
    exemption = Exemption(
        staff_id=staff.id,
        course_code=course.code,
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_at=now or utcnow(),
        recorded_by_id=actor.user_id,
    )
    session.add(exemption)
    session.flush()
    record(
        session,
        actor,
        "training.exemption_added",
        "staff",
        staff.id,
        {"course": course.code, "starts_on": str(starts_on), "ends_on": str(ends_on)},
    )
    return exemption


# For the reminder engine (ig/training/reminders.py); this only builds a query.


def due_training_query(
    session: Session, on_date: dt.date, policy: TrainingPolicy | None = None
) -> Select[int, str, str, dt.date | None]:
    """Every required course that is overdue, expiring soon or not yet due (a starter's)
    on ``on_date``, with its last completion, for the whole organisation in one statement.
    Columns: staff_id, course_code, status, last_completed_on."""
    rows = status_rows(session, policy or current_policy(), on_date)
    return select(
        rows.c.staff_id, rows.c.course_code, rows.c.status, rows.c.last_completed_on
    ).where(
        rows.c.status.in_(
            [s.value for s in (Status.OVERDUE, Status.EXPIRING_SOON, Status.NOT_YET_DUE)]
        )
    )

"""Courses assigned to people by a date (for example after an incident), and progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.db import utcnow
from ig.errors import ValidationFailed
from ig.people.models import Staff
from ig.training.models import Assignment, AssignmentStaff, Completion
from ig.training.policy import TrainingPolicy, current_policy, get_course


def _existing_staff_ids(session: Session, staff_ids: Iterable[int]) -> set[int]:
    return set(session.scalars(select(Staff.id).where(Staff.id.in_(set(staff_ids)))))


def _check_assignment(
    session: Session, wanted: list[int], due_on: dt.date, reason: str, today: dt.date
) -> None:
    """Raise ValidationFailed for no people, an unknown person, a due date before
    ``today`` or an empty reason."""
    if not wanted:
        raise ValidationFailed("staff_ids", "Choose at least one person to assign the course to")
    missing = set(wanted) - _existing_staff_ids(session, wanted)
    if missing:
        raise ValidationFailed("staff_ids", f"No member of staff has the id {min(missing)}")
    if due_on < today:
        raise ValidationFailed("due_on", "The due date must be today or later")
    if not reason.strip():
        raise ValidationFailed("reason", "Enter why the course is being assigned")


def assign_course(
    session: Session,
    actor: Actor,
    staff_ids: Sequence[int],
    course_code: str,
    due_on: dt.date,
    reason: str,
    source_ref: str,
    *,
    today: dt.date | None = None,
    policy: TrainingPolicy | None = None,
    now: dt.datetime | None = None,
) -> Assignment:
    """Require ``staff_ids`` to complete a course by ``due_on``, whatever the policy says.

    It is done for a person when they complete the course on or after the day it was
    assigned. Raises ValidationFailed for an unknown course or person, no people, an
    empty reason or a due date before today.
    """
    course = get_course(policy or current_policy(), course_code)
    now = now or utcnow()
    today = today or now.date()
    wanted = sorted(set(staff_ids))
    _check_assignment(session, wanted, due_on, reason, today)
    assignment = Assignment(
        course_code=course.code,
        assigned_on=today,
        due_on=due_on,
        reason=reason.strip(),
        source_ref=source_ref.strip()[:100],
        created_by_id=actor.user_id,
        created_at=now,
        people=[AssignmentStaff(staff_id=staff_id) for staff_id in wanted],
    )
    session.add(assignment)
    session.flush()
    record(
        session,
        actor,
        "training.course_assigned",
        "training_assignment",
        assignment.id,
        {"course": course.code, "people": len(wanted), "due_on": str(due_on), "ref": source_ref},
    )
    return assignment


@dataclass(frozen=True)
class AssignmentProgress:
    """How far an assignment has got: who has done it and who has not."""

    assignment_id: int
    course_code: str
    assigned_on: dt.date
    due_on: dt.date
    done_staff_ids: tuple[int, ...]
    outstanding_staff_ids: tuple[int, ...]

    @property
    def total(self) -> int:
        return len(self.done_staff_ids) + len(self.outstanding_staff_ids)

    @property
    def is_done(self) -> bool:
        return not self.outstanding_staff_ids

    def is_overdue(self, today: dt.date) -> bool:
        return not self.is_done and today > self.due_on


def get_assignment_progress(
    session: Session, assignment_ids: Sequence[int]
) -> dict[int, AssignmentProgress]:
    """Progress of each assignment (one query); unknown ids are absent from the result."""
    done = (
        select(Completion.id)
        .where(
            Completion.staff_id == AssignmentStaff.staff_id,
            Completion.course_code == Assignment.course_code,
            Completion.completed_on >= Assignment.assigned_on,
        )
        .exists()
    )
    rows = session.execute(
        select(Assignment, AssignmentStaff.staff_id, done.label("done"))
        .join(AssignmentStaff, AssignmentStaff.assignment_id == Assignment.id)
        .where(Assignment.id.in_(list(assignment_ids)))
        .order_by(Assignment.id, AssignmentStaff.staff_id)
    ).all()
    grouped: dict[int, tuple[Assignment, list[int], list[int]]] = {}
    for assignment, staff_id, is_done in rows:
        entry = grouped.setdefault(assignment.id, (assignment, [], []))
        (entry[1] if is_done else entry[2]).append(staff_id)
    return {
        key: AssignmentProgress(
            assignment_id=key,
            course_code=a.course_code,
            assigned_on=a.assigned_on,
            due_on=a.due_on,
            done_staff_ids=tuple(finished),
            outstanding_staff_ids=tuple(outstanding),
        )
        for key, (a, finished, outstanding) in grouped.items()
    }

"""Writing the checked rows of an import, in batches, inside the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Integer, String, func, insert, literal, select, tuple_
from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import london_today
from ig.people.accounts import link_staff_to_users
from ig.people.leavers import record_leaving_dates
from ig.people.models import Staff
from ig.people.postings import Move, record_moves
from ig.training.import_rows import CompletionRow, StaffRow
from ig.training.models import Completion, CompletionSource, TrainingImport

BATCH = 2000
T = TypeVar("T")


def _batches(rows: Iterable[T]) -> Iterator[list[T]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def insert_completions(
    session: Session,
    actor: Actor,
    rows: list[CompletionRow],
    source: CompletionSource,
    now: dt.datetime,
    import_id: int | None = None,
) -> tuple[int, int]:
    """Insert the completions not already on record; returns (added, unchanged)."""
    keys = [(row.staff_id, row.course_code, row.completed_on) for row in rows]
    known = existing_completions(session, keys)
    new = [
        {
            "staff_id": row.staff_id,
            "course_code": row.course_code,
            "completed_on": row.completed_on,
            "source": source.value,
            "import_id": import_id,
            "recorded_at": now,
            "recorded_by_id": actor.user_id,
        }
        for row, key in zip(rows, keys, strict=True)
        if key not in known
    ]
    if new:
        session.execute(insert(Completion), new)
    return len(new), len(rows) - len(new)


def write_staged_completions(
    session: Session, actor: Actor, job: TrainingImport, now: dt.datetime
) -> None:
    """Insert an import's staged completions not already on record, in one statement."""
    from ig.db import UTCDateTime
    from ig.training.models import ImportRow

    already = (
        select(Completion.id)
        .where(
            Completion.staff_id == ImportRow.staff_id,
            Completion.course_code == ImportRow.course_code,
            Completion.completed_on == ImportRow.completed_on,
        )
        .exists()
    )
    rows = select(
        ImportRow.staff_id,
        ImportRow.course_code,
        ImportRow.completed_on,
        literal(CompletionSource.IMPORT.value, String(40)),
        literal(job.id, Integer),
        literal(now, UTCDateTime()),
        literal(actor.user_id, Integer),
    ).where(ImportRow.import_id == job.id, ~already)
    columns = ["staff_id", "course_code", "completed_on", "source", "import_id", "recorded_at"]
    session.execute(insert(Completion).from_select([*columns, "recorded_by_id"], rows))
    # Counted rather than read from rowcount, which not every driver reports here.
    job.rows_added = (
        session.scalar(
            select(func.count()).select_from(Completion).where(Completion.import_id == job.id)
        )
        or 0
    )
    job.rows_unchanged = job.rows_valid - job.rows_added


def write_staff(
    session: Session,
    actor: Actor,
    job: TrainingImport,
    rows: Iterable[StaffRow],
    now: dt.datetime,
    progress: object = None,
) -> None:
    """Add new staff and update changed records, matched on the staff number.

    A change of team or job title takes effect on the day of the import (in London);
    the posting it ends is kept, so figures for earlier dates do not change. New staff
    are linked to user accounts with their work e-mail. The import's own audit entry
    covers every row; a leaving date given or changed has its own (ig.people.leavers),
    so the IG report reads it as recorded then.
    """
    effective_on = london_today(now)
    job.rows_added = job.rows_updated = job.rows_unchanged = 0
    for batch in _batches(rows):
        numbers = [row.staff_number for row in batch]
        known = {
            staff.staff_number: staff
            for staff in session.scalars(select(Staff).where(Staff.staff_number.in_(numbers)))
        }
        moves = [
            Move(known[row.staff_number], row.team_id, row.job_title)
            for row in batch
            if row.staff_number in known
        ]
        record_moves(session, moves, effective_on, now)
        leaving = _add_or_update(session, job, batch, known)
        session.flush()
        record_leaving_dates(session, actor, leaving, now)
        _report(session, job, progress)
    link_staff_to_users(session, actor)


def _add_or_update(
    session: Session, job: TrainingImport, batch: list[StaffRow], known: dict[str, Staff]
) -> list[tuple[Staff, dt.date | None]]:
    """Add the batch's new staff and update the known; the leaving dates given or changed,
    each with the one it replaced (None for a new member of staff)."""
    leaving: list[tuple[Staff, dt.date | None]] = []
    for row in batch:
        staff = known.get(row.staff_number)
        if staff is None:
            staff = Staff(**_fields(row))
            session.add(staff)
            job.rows_added += 1
            if row.left_on is not None:
                leaving.append((staff, None))
            continue
        left_on = staff.left_on
        if _update(staff, row):
            job.rows_updated += 1
            if staff.left_on != left_on:
                leaving.append((staff, left_on))
        else:
            job.rows_unchanged += 1
    return leaving


def _fields(row: StaffRow) -> dict[str, object]:
    return {
        "staff_number": row.staff_number,
        "name": row.name,
        "work_email": row.work_email,
        "team_id": row.team_id,
        "job_title": row.job_title,
        "started_on": row.started_on,
        "left_on": row.left_on,
    }


def _update(staff: Staff, row: StaffRow) -> bool:
    """Copy the row onto the record; whether anything changed."""
    changed = False
    for name, value in _fields(row).items():
        if getattr(staff, name) != value:
            setattr(staff, name, value)
            changed = True
    return changed


def _report(session: Session, job: TrainingImport, progress: object) -> None:
    session.flush()
    if callable(progress):
        progress(job)


def existing_completions(session: Session, keys: list[tuple[int, str, dt.date]]) -> set[Any]:
    """Which of these (staff, course, date) completions are already recorded."""
    if not keys:
        return set()
    query = select(Completion.staff_id, Completion.course_code, Completion.completed_on).where(
        tuple_(Completion.staff_id, Completion.course_code, Completion.completed_on).in_(keys)
    )
    return {tuple(row) for row in session.execute(query)}

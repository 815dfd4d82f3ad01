"""Checking an uploaded import: every row read and judged, nothing but bookkeeping written.

Rejected rows are recorded by line number; valid completions are staged for
``apply_import`` (in ig.training.imports), and repeats among them are found in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.orm import Session

from ig.errors import InvalidTransition
from ig.people.models import Staff, Team
from ig.training.import_files import drop_file, load_file
from ig.training.import_rows import (
    COMPLETION_COLUMNS,
    STAFF_COLUMNS,
    FileRejected,
    check_completion,
    check_staff,
    read_rows,
)
from ig.training.models import ImportKind, ImportRejection, ImportRow, ImportStatus, TrainingImport
from ig.training.policy import TrainingPolicy

BATCH = 2000
Progress = Callable[[TrainingImport], None]


def check_import(
    session: Session,
    job: TrainingImport,
    policy: TrainingPolicy,
    today: dt.date,
    progress: Progress | None = None,
) -> TrainingImport:
    """Check every row; record rejections and counts, and stage valid completions.

    Writes no staff or training data: only the import's own bookkeeping.
    """
    if job.status is not ImportStatus.CHECKING:
        raise InvalidTransition("This import has already been checked")
    lookup = row_lookup(session, job.kind)
    # Counted in plain integers and copied to the record once a batch: setting ORM
    # attributes for every row would cost more than checking the row.
    checked = valid = rejected = 0
    pending: dict[str, list[dict[str, Any]]] = {"rejected": [], "staged": []}
    try:
        data = load_file(session, job)
        for line, row, reason in checked_rows(job, data, lookup, policy, today):
            checked += 1
            if reason is None:
                valid += 1
                if job.kind is ImportKind.COMPLETIONS:
                    pending["staged"].append(_staged(job, line, row))
            else:
                rejected += 1
                pending["rejected"].append({"import_id": job.id, "line": line, "reason": reason})
            if checked % BATCH == 0:
                job.rows_checked, job.rows_valid, job.rows_rejected = checked, valid, rejected
                _write_pending(session, pending, job, progress)
    except FileRejected as error:
        job.message = f"The file cannot be imported: {error}."
        job.status = ImportStatus.FAILED
        drop_file(session, job)  # never read again
    else:
        job.status = ImportStatus.CHECKED
    job.rows_checked, job.rows_valid, job.rows_rejected = checked, valid, rejected
    _write_pending(session, pending, job, progress)
    if job.status is ImportStatus.CHECKED and job.kind is ImportKind.COMPLETIONS:
        _reject_repeats(session, job)
    return job


def _staged(job: TrainingImport, line: int, row: Any) -> dict[str, Any]:
    return {
        "import_id": job.id,
        "line": line,
        "staff_id": row.staff_id,
        "course_code": row.course_code,
        "completed_on": row.completed_on,
    }


def _write_pending(
    session: Session,
    pending: dict[str, list[dict[str, Any]]],
    job: TrainingImport,
    progress: Progress | None,
) -> None:
    # Core inserts on the tables: the ORM's bulk path costs several times more a row.
    for table, key in (
        ("training_import_rejections", "rejected"),
        ("training_import_rows", "staged"),
    ):
        if pending[key]:
            session.execute(insert(ImportRow.metadata.tables[table]), pending[key])
            pending[key].clear()
    session.flush()
    if progress is not None:
        progress(job)


def _reject_repeats(session: Session, job: TrainingImport) -> None:
    """Reject each staged completion that repeats an earlier line of the same file."""
    key = (ImportRow.staff_id, ImportRow.course_code, ImportRow.completed_on)
    first = (
        select(*key, func.min(ImportRow.line).label("first"))
        .where(ImportRow.import_id == job.id)
        .group_by(*key)
        .having(func.count() > 1)
        .subquery()
    )
    repeats = session.execute(
        select(ImportRow.id, ImportRow.line, first.c.first)
        .join(
            first,
            and_(*(column == first.c[column.key] for column in key)),
        )
        .where(ImportRow.import_id == job.id, ImportRow.line > first.c.first)
    ).all()
    for start in range(0, len(repeats), BATCH):
        chunk = repeats[start : start + BATCH]
        session.execute(
            insert(ImportRejection),
            [
                {"import_id": job.id, "line": line, "reason": f"repeats line {first_line}"}
                for _id, line, first_line in chunk
            ],
        )
        session.execute(delete(ImportRow).where(ImportRow.id.in_([row[0] for row in chunk])))
    job.rows_valid -= len(repeats)
    job.rows_rejected += len(repeats)
    session.flush()


def row_lookup(session: Session, kind: ImportKind) -> dict[str, int]:
    """What a row's references resolve to: staff numbers for completions, else team names."""
    if kind is ImportKind.COMPLETIONS:
        return dict(session.execute(select(Staff.staff_number, Staff.id)).all())
    names: dict[str, int] = {}
    for name, team_id in session.execute(select(Team.name, Team.id).order_by(Team.path.desc())):
        names[name.casefold()] = team_id  # the highest team of a repeated name wins
    return names


def checked_rows(
    job: TrainingImport,
    data: bytes,
    lookup: dict[str, int],
    policy: TrainingPolicy,
    today: dt.date,
) -> Iterator[tuple[int, Any, str | None]]:
    """(line, parsed row or None, reason or None) for every row of ``data``, the file of
    ``job`` (ig.training.import_files.load_file).

    Repeated staff numbers are caught here (a staff file is as long as the register);
    repeated completions are caught in SQL (``_reject_repeats``), so memory stays flat.
    """
    columns = COMPLETION_COLUMNS if job.kind is ImportKind.COMPLETIONS else STAFF_COLUMNS
    courses = set(policy.courses)
    seen: dict[str, int] = {}
    for line, values in read_rows(data, job.file_name, columns):
        try:
            if job.kind is ImportKind.COMPLETIONS:
                yield line, check_completion(values, lookup, courses, today), None
                continue
            row = check_staff(values, lookup)
        except ValueError as error:
            yield line, None, str(error)[:300]
            continue
        if row.staff_number in seen:
            yield line, None, f"repeats line {seen[row.staff_number]}"
            continue
        seen[row.staff_number] = line
        yield line, row, None

"""Importing the HR staff export and the learning system's completions (CSV or XLSX).

Two steps. ``check_import`` reads every row, records each rejected row by line number
and writes no data. The person then chooses: ``apply_import`` writes the valid rows in
the caller's one transaction (so it lands whole or not at all), or ``discard_import``
writes nothing. Files stream from disk, so memory does not grow with their length.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.orm import Session

from ig.audit.service import Page, record
from ig.auth.rules import Actor
from ig.db import utcnow
from ig.errors import InvalidTransition, NotFound
from ig.people.models import Staff, Team
from ig.training.import_rows import (
    COMPLETION_COLUMNS,
    STAFF_COLUMNS,
    FileRejected,
    check_completion,
    check_staff,
    file_hash,
    read_rows,
)
from ig.training.models import (
    ImportKind,
    ImportRejection,
    ImportRow,
    ImportStatus,
    TrainingImport,
)
from ig.training.policy import TrainingPolicy

BATCH = 2000
Progress = Callable[[TrainingImport], None]


def save_upload(stream: BinaryIO, directory: Path, name: str) -> Path:
    """Copy an uploaded file to ``directory`` in blocks; returns where it was stored.

    The stored name keeps an .xlsx ending, so that a file named as a workbook that is
    not one can be refused as such; the content alone decides how a file is read.
    """
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    suffix = ".xlsx" if name.lower().endswith(".xlsx") else ".csv"
    target = directory / f"upload-{utcnow():%Y%m%dT%H%M%S%f}-{abs(hash(name)) % 10**8}{suffix}"
    with target.open("wb") as handle:
        shutil.copyfileobj(stream, handle, 1 << 16)
    return target


def find_imported(session: Session, kind: ImportKind, digest: str) -> TrainingImport | None:
    """An earlier import of exactly this file that was applied, if any."""
    return session.scalar(
        select(TrainingImport)
        .where(
            TrainingImport.kind == kind,
            TrainingImport.file_hash == digest,
            TrainingImport.status == ImportStatus.IMPORTED,
        )
        .limit(1)
    )


def create_import(
    session: Session, actor: Actor, kind: ImportKind, path: Path, file_name: str
) -> TrainingImport:
    """Register an uploaded file, ready to check."""
    job = TrainingImport(
        kind=kind,
        status=ImportStatus.CHECKING,
        file_name=file_name[:255] or "upload.csv",
        file_hash=file_hash(path),
        stored_path=str(path),
        created_by_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(job)
    session.flush()
    record(session, actor, "training.import_uploaded", "training_import", job.id, {"kind": kind})
    return job


def get_import(session: Session, import_id: int) -> TrainingImport:
    job = session.get(TrainingImport, import_id)
    if job is None:
        raise NotFound("There is no such import")
    return job


def list_rejections(
    session: Session, job: TrainingImport, page: int = 1, per_page: int = 50
) -> Page:
    """The rejected rows of an import by line number, one page at a time."""
    query = select(ImportRejection).where(ImportRejection.import_id == job.id)
    rows = session.scalars(
        query.order_by(ImportRejection.line).limit(per_page).offset((max(page, 1) - 1) * per_page)
    ).all()
    return Page(list(rows), max(page, 1), per_page, job.rows_rejected)


def _lookups(session: Session, kind: ImportKind) -> dict[str, int]:
    if kind is ImportKind.COMPLETIONS:
        return dict(session.execute(select(Staff.staff_number, Staff.id)).all())
    names: dict[str, int] = {}
    for name, team_id in session.execute(select(Team.name, Team.id).order_by(Team.path.desc())):
        names[name.casefold()] = team_id  # the highest team of a repeated name wins
    return names


def _checked(
    job: TrainingImport, lookup: dict[str, int], policy: TrainingPolicy, today: dt.date
) -> Iterator[tuple[int, Any, str | None]]:
    """(line, parsed row or None, reason or None) for every row of the stored file.

    Repeated staff numbers are caught here (a staff file is as long as the register);
    repeated completions are caught in SQL (``_reject_repeats``), so memory stays flat.
    """
    columns = COMPLETION_COLUMNS if job.kind is ImportKind.COMPLETIONS else STAFF_COLUMNS
    courses = set(policy.courses)
    seen: dict[str, int] = {}
    for line, values in read_rows(Path(job.stored_path), columns):
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
    lookup = _lookups(session, job.kind)
    # Counted in plain integers and copied to the record once a batch: setting ORM
    # attributes for every row would cost more than checking the row.
    checked = valid = rejected = 0
    pending: dict[str, list[dict[str, Any]]] = {"rejected": [], "staged": []}
    try:
        for line, row, reason in _checked(job, lookup, policy, today):
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


def discard_import(session: Session, actor: Actor, job: TrainingImport) -> None:
    """Import nothing from a checked file."""
    if job.status is not ImportStatus.CHECKED:
        raise InvalidTransition("Only a checked import can be discarded")
    job.status = ImportStatus.DISCARDED
    job.finished_at = utcnow()
    job.message = "Nothing was imported."
    record(session, actor, "training.import_discarded", "training_import", job.id, {})
    _remove_file(job)
    session.execute(delete(ImportRow).where(ImportRow.import_id == job.id))


def _remove_file(job: TrainingImport) -> None:
    Path(job.stored_path).unlink(missing_ok=True)


def apply_import(
    session: Session,
    actor: Actor,
    job: TrainingImport,
    policy: TrainingPolicy,
    today: dt.date,
    progress: Progress | None = None,
) -> TrainingImport:
    """Write the valid rows of a checked file in the caller's transaction.

    Rows already on record (the same completion, or an unchanged staff record) are
    counted as unchanged, so importing the same data twice changes nothing.
    """
    if job.status not in (ImportStatus.CHECKED, ImportStatus.IMPORTING):
        raise InvalidTransition("Only a checked import can be imported")
    earlier = find_imported(session, job.kind, job.file_hash)
    if earlier is not None:
        job.status = ImportStatus.DISCARDED
        job.message = f"This file was already imported (import {earlier.id}); nothing has changed."
        return job
    from ig.training.import_apply import write_staff, write_staged_completions

    now = utcnow()
    if job.kind is ImportKind.COMPLETIONS:
        write_staged_completions(session, actor, job, now)
        session.execute(delete(ImportRow).where(ImportRow.import_id == job.id))
    else:
        lookup = _lookups(session, job.kind)
        rows = (row for _line, row, _reason in _checked(job, lookup, policy, today) if row)
        write_staff(session, actor, job, rows, now, progress)
    job.status = ImportStatus.IMPORTED
    job.finished_at = now
    job.message = _summary(job)
    record(
        session,
        actor,
        "training.import_applied",
        "training_import",
        job.id,
        {
            "kind": job.kind,
            "added": job.rows_added,
            "updated": job.rows_updated,
            "unchanged": job.rows_unchanged,
            "rejected": job.rows_rejected,
        },
    )
    session.flush()
    _remove_file(job)
    return job


def _summary(job: TrainingImport) -> str:
    parts = [f"{job.rows_added} added"]
    if job.kind is ImportKind.STAFF:
        parts.append(f"{job.rows_updated} updated")
    parts.append(f"{job.rows_unchanged} already on record")
    if job.rows_rejected:
        parts.append(f"{job.rows_rejected} rejected rows left out")
    return "Imported: " + ", ".join(parts) + "."

"""Importing the HR staff export and the learning system's completions (CSV or XLSX).

Two steps. ``check_import`` (in ig.training.import_check) reads every row, records each
rejected row by line number and writes no data. The person then chooses: ``apply_import``
writes the valid rows in the caller's one transaction (so it lands whole or not at all),
or ``discard_import`` writes nothing. The file is kept in the database, encrypted, while
the import is open (ig.training.import_files), so whichever app server runs the check or
the write reads it; its rows are read one at a time.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ig.audit.service import Page, record
from ig.auth.rules import Actor
from ig.db import utcnow
from ig.errors import InvalidTransition, NotFound
from ig.training.import_check import Progress, checked_rows, row_lookup
from ig.training.import_files import drop_file, load_file, store_file
from ig.training.import_rows import file_hash
from ig.training.models import ImportKind, ImportRejection, ImportRow, ImportStatus, TrainingImport
from ig.training.policy import TrainingPolicy


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
    session: Session, actor: Actor, kind: ImportKind, data: bytes, file_name: str
) -> TrainingImport:
    """Register an uploaded file (its bytes, within ig.training.import_files.MAX_BYTES),
    ready to check; the file is kept with it, encrypted.

    ``file_name`` is kept for display, and so that a file named .xlsx that is not a
    workbook can be refused as such; the content alone decides how a file is read.
    """
    job = TrainingImport(
        kind=kind,
        status=ImportStatus.CHECKING,
        file_name=file_name[:255] or "upload.csv",
        file_hash=file_hash(data),
        created_by_id=actor.user_id,
        created_at=utcnow(),
    )
    session.add(job)
    session.flush()
    store_file(session, job, data)
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


def discard_import(session: Session, actor: Actor, job: TrainingImport) -> None:
    """Import nothing from a checked file."""
    if job.status is not ImportStatus.CHECKED:
        raise InvalidTransition("Only a checked import can be discarded")
    job.status = ImportStatus.DISCARDED
    job.finished_at = utcnow()
    job.message = "Nothing was imported."
    record(session, actor, "training.import_discarded", "training_import", job.id, {})
    drop_file(session, job)
    session.execute(delete(ImportRow).where(ImportRow.import_id == job.id))


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
        drop_file(session, job)
        return job
    now = utcnow()
    _write_rows(session, actor, job, policy, today, now, progress)
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
    drop_file(session, job)
    session.flush()
    return job


def _write_rows(
    session: Session,
    actor: Actor,
    job: TrainingImport,
    policy: TrainingPolicy,
    today: dt.date,
    now: dt.datetime,
    progress: Progress | None,
) -> None:
    """Completions from their staged rows; staff from the file, read again and checked."""
    from ig.training.import_apply import write_staff, write_staged_completions

    if job.kind is ImportKind.COMPLETIONS:
        write_staged_completions(session, actor, job, now)
        session.execute(delete(ImportRow).where(ImportRow.import_id == job.id))
        return
    lookup, data = row_lookup(session, job.kind), load_file(session, job)
    checked = checked_rows(job, data, lookup, policy, today)
    rows = (row for _line, row, _reason in checked if row)
    write_staff(session, actor, job, rows, now, progress)


def _summary(job: TrainingImport) -> str:
    parts = [f"{job.rows_added} added"]
    if job.kind is ImportKind.STAFF:
        parts.append(f"{job.rows_updated} updated")
    parts.append(f"{job.rows_unchanged} already on record")
    if job.rows_rejected:
        parts.append(f"{job.rows_rejected} rejected rows left out")
    return "Imported: " + ", ".join(parts) + "."

"""Running an import's check and write away from the request that asked for them.

A 100,000-row file takes longer than a request should, so the upload page starts the
work in a background thread and the import's page refreshes until it is done. The
check commits its progress as it goes (it writes no data, only its own bookkeeping);
the write is one transaction, so its progress is kept in memory instead.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable

from flask import Flask

from ig.auth.rules import Actor
from ig.db import Database, utcnow
from ig.training import pages
from ig.training.import_check import check_import
from ig.training.import_files import drop_file
from ig.training.imports import apply_import, get_import
from ig.training.models import ImportStatus, TrainingImport
from ig.training.policy import TrainingPolicy

log = logging.getLogger(__name__)
# Rows written so far by imports being applied in this process, by import id.
WRITING: dict[int, int] = {}


def run_check(database: Database, import_id: int, policy: TrainingPolicy, today: dt.date) -> None:
    """Check an uploaded file, committing progress every batch."""
    with database.session_scope() as session:
        job = get_import(session, import_id)
        check_import(session, job, policy, today, progress=lambda _job: session.commit())


def run_apply(
    database: Database, actor: Actor, import_id: int, policy: TrainingPolicy, today: dt.date
) -> None:
    """Write a checked import in one transaction; on failure, record why and write nothing."""

    def progress(job: TrainingImport) -> None:
        WRITING[job.id] = job.rows_added + job.rows_updated + job.rows_unchanged

    try:
        with database.session_scope() as session:
            job = get_import(session, import_id)
            apply_import(session, actor, job, policy, today, progress=progress)
    except Exception:
        log.exception("import %s failed; nothing was written", import_id)
        with database.session_scope() as session:
            job = get_import(session, import_id)
            job.status = ImportStatus.FAILED
            job.finished_at = utcnow()
            job.message = "The import failed and nothing was written. Try again, or ask for help."
            drop_file(session, job)  # a failed import is not applied again
        return
    finally:
        WRITING.pop(import_id, None)
    _warm(database, policy, today)


def _warm(database: Database, policy: TrainingPolicy, today: dt.date) -> None:
    """Compute today's organisation figures into this worker's cache after an import,
    so the next visitor does not wait for them; a failure here loses nothing."""
    try:
        with database.session_scope() as session:
            pages.organisation(session, policy, today, today, "hierarchy", 1)
    except Exception:
        log.exception("could not warm the training figures")


def start(app: Flask, work: Callable[..., None], *args: object) -> None:
    """Run ``work(*args)`` in a background thread (inline when testing, for determinism)."""
    if app.testing:
        work(*args)
        return
    thread = threading.Thread(target=work, args=args, name="ig-import", daemon=True)
    thread.start()

"""The upload, progress and decision pages shared by staff and completion imports."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, request, url_for

from ig.auth.access import current_actor
from ig.db import LONDON, get_session, london_today
from ig.errors import ValidationFailed
from ig.training import jobs
from ig.training.forms import ConfirmImportForm, UploadForm
from ig.training.import_files import read_upload
from ig.training.import_rows import file_hash
from ig.training.imports import (
    create_import,
    discard_import,
    find_imported,
    get_import,
    list_rejections,
)
from ig.training.models import ImportKind, ImportStatus

TITLES = {
    ImportKind.COMPLETIONS: "Import training completions",
    ImportKind.STAFF: "Import the staff register",
}
COLUMNS = {
    ImportKind.COMPLETIONS: "staff number, course code, completion date",
    ImportKind.STAFF: "staff number, name, work e-mail, team, job title, start date, "
    "leaving date (may be blank)",
}


def _policy() -> Any:
    return current_app.extensions["ig.policies"].training


def upload(kind: ImportKind, show_endpoint: str) -> Any:
    """GET: the upload form. POST: store the file (in the database), start the check, go
    to its page."""
    form = UploadForm()
    data = None
    if form.validate_on_submit():
        try:
            data = read_upload(form.file.data.stream)
        except ValidationFailed as error:
            form.file.errors = [error.message]
    if data is None:
        status = 422 if request.method == "POST" else 200
        page = render_template(
            "training/upload.html", form=form, title=TITLES[kind], columns=COLUMNS[kind]
        )
        return page, status
    name = form.file.data.filename or ""
    session = get_session()
    earlier = find_imported(session, kind, file_hash(data))
    if earlier is not None:
        flash(
            f"This file was already imported on {earlier.created_at.astimezone(LONDON):%-d %B %Y}"
            f" (import {earlier.id}): nothing has changed"
        )
        return redirect(url_for(show_endpoint, import_id=earlier.id))
    job = create_import(session, current_actor(), kind, data, name)
    session.commit()
    database = current_app.extensions["ig.db"]
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    jobs.start(app, jobs.run_check, database, job.id, _policy(), london_today())
    return redirect(url_for(show_endpoint, import_id=job.id))


def show(kind: ImportKind, import_id: int, decide_endpoint: str) -> Any:
    """The import's progress (refreshing while it works), its rejections and the choice."""
    session = get_session()
    job = get_import(session, import_id)
    if job.kind is not kind:
        return render_template("errors/error.html", status=404, title="Page not found"), 404
    rejections = list_rejections(session, job, page=request.args.get("page", 1, type=int) or 1)
    return render_template(
        "training/import.html",
        job=job,
        title=TITLES[kind],
        rejections=rejections,
        working=job.status in (ImportStatus.CHECKING, ImportStatus.IMPORTING),
        written=jobs.WRITING.get(job.id),
        form=ConfirmImportForm(),
        decide_endpoint=decide_endpoint,
        page_args={**request.args.to_dict(), "import_id": job.id},
    )


def decide(kind: ImportKind, import_id: int, show_endpoint: str) -> Any:
    """Import the valid rows (in the background, one transaction) or import nothing."""
    session = get_session()
    job = get_import(session, import_id)
    form = ConfirmImportForm()
    if job.kind is not kind or not form.validate_on_submit():
        return redirect(url_for(show_endpoint, import_id=import_id))
    if form.discard.data:
        discard_import(session, current_actor(), job)
        session.commit()
        flash("Nothing was imported")
        return redirect(url_for(show_endpoint, import_id=import_id))
    if job.status is not ImportStatus.CHECKED:
        flash("This import has already been decided")
        return redirect(url_for(show_endpoint, import_id=import_id))
    job.status = ImportStatus.IMPORTING
    session.commit()
    database = current_app.extensions["ig.db"]
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    jobs.start(app, jobs.run_apply, database, current_actor(), job.id, _policy(), london_today())
    return redirect(url_for(show_endpoint, import_id=import_id))

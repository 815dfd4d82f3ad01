"""Pages for the search of information assets: the team asks an asset's owner to
search; the owner sees their open searches and records what they found."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for

from ig.assets.lookup import PICKER as ASSET_PICKER
from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.errors import InvalidTransition, ValidationFailed
from ig.people.picker_views import suggestions
from ig.rights import consent, fanout
from ig.rights.policy import RightsPolicy
from ig.rights.presenter import rows_of
from ig.rights.records import get_request
from ig.rights.task_forms import AskForm, ConsentForm, TaskForm, result_of
from ig.rights.task_presenter import task_rows
from ig.rights.task_rules import REMOVAL_TYPES
from ig.rights.views import bp


def _policy() -> RightsPolicy:
    return current_app.extensions["ig.policies"].rights


def _refused(form: Any, failed: ValidationFailed | InvalidTransition) -> None:
    field = getattr(form, getattr(failed, "field", ""), None) or form.submit
    field.errors = [failed.message]


@bp.get("/assets/search")
@requires("rights.manage")
def asset_suggestions() -> Any:
    """Assets by name, for the search form's autocomplete: for the team only."""
    return suggestions(ASSET_PICKER)


@bp.route("/<int:request_id>/ask", methods=["GET", "POST"])
@requires("rights.manage")
def ask(request_id: int) -> Any:
    session = get_session()
    item = get_request(session, request_id)
    form = AskForm()
    if request.method == "GET":
        search = fanout.find_search(session, item.id)
        form.note.data = search.note if search else ""
    elif form.validate_on_submit():
        try:
            fanout.add_tasks(
                session, current_actor(), item.id, [form.asset.data or ""],
                form.note.data or "", utcnow(),
            )  # fmt: skip
            session.commit()
            return redirect(url_for("rights.show", request_id=item.id, _anchor="searches"))
        except (ValidationFailed, InvalidTransition) as failed:
            _refused(form, failed)
    row = rows_of([item], _policy(), london_today())[0]
    page = render_template("rights/ask.html", form=form, item=item, row=row)
    return page, (422 if form.errors else 200)


@bp.route("/<int:request_id>/consent", methods=["GET", "POST"])
@requires("rights.manage")
def withdraw(request_id: int) -> Any:
    session = get_session()
    item = get_request(session, request_id)
    if item.type_key != consent.CONSENT:
        abort(404)
    form = ConsentForm()
    form.activities.choices = [(a.id, a.name) for a in consent.list_consent_activities(session)]
    if request.method == "GET":
        search = fanout.find_search(session, item.id)
        form.note.data = search.note if search else ""
    elif form.validate_on_submit():
        try:
            consent.withdraw_consent(session, current_actor(), item.id, form.activities.data or [],
                                     form.note.data or "", utcnow())  # fmt: skip
            session.commit()
            return redirect(url_for("rights.show", request_id=item.id, _anchor="consent"))
        except (ValidationFailed, InvalidTransition) as failed:
            _refused(form, failed)
    row = rows_of([item], _policy(), london_today())[0]
    page = render_template("rights/consent.html", form=form, item=item, row=row)
    return page, (422 if form.errors else 200)


@bp.get("/tasks")
@requires("home.view")
def my_tasks() -> Any:
    session, actor = get_session(), current_actor()
    number = request.args.get("page", 1, type=int) or 1
    page = fanout.list_owner_tasks(session, actor.user_id or -1, number)
    rows = task_rows(session, page.rows, _policy(), london_today())
    return render_template("rights/tasks.html", page=page, rows=rows)


@bp.route("/tasks/<int:task_id>", methods=["GET", "POST"])
@requires("home.view")
def task(task_id: int) -> Any:
    session, actor, policy = get_session(), current_actor(), _policy()
    found = fanout.get_task(session, task_id)
    if not fanout.can_view_task(actor, found):
        abort(404)
    form = TaskForm()
    form.exemption.choices = {"": "Choose", **{k: e.label for k, e in policy.exemptions.items()}}
    if request.method == "GET":
        form.version.data = found.version
    elif form.validate_on_submit():
        try:
            fanout.record_task(session, actor, policy, found.id, result_of(form), utcnow(),
                               form.version.data)  # fmt: skip
            session.commit()
            return redirect(url_for("rights.my_tasks"))
        except (ValidationFailed, InvalidTransition) as failed:
            _refused(form, failed)
    fanout.note_task_viewed(session, actor, found, utcnow())
    session.commit()  # the reading of who the request is about is audited
    return render_template(
        "rights/task.html",
        form=form,
        row=task_rows(session, [found], policy, london_today())[0],
        request_row=rows_of([found.request], policy, london_today())[0],
        asks_removal=found.request.type_key in REMOVAL_TYPES,
        can_record=actor.user_id == found.owner_user_id and found.status.value == "open",
    ), (422 if form.errors else 200)

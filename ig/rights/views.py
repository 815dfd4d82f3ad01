"""Information rights pages: log a request, the register, a request and its clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.errors import InvalidTransition, ValidationFailed
from ig.rights import consent, disclosures, fanout, handlers, handling, refusals, register, service
from ig.rights.export import requests_csv
from ig.rights.forms import (
    CloseForm,
    ExtendForm,
    FilterForm,
    LogForm,
    PauseForm,
    RestartForm,
    outcome_of,
    pause_reason_of,
)
from ig.rights.models import RightsRequest
from ig.rights.policy import Clock, RightsPolicy
from ig.rights.presenter import rows_of, timeline
from ig.rights.records import get_request, list_earlier_requests
from ig.rights.refusal_forms import HandlerForm
from ig.rights.refusal_presenter import has_notice, refusal_events, refusal_view
from ig.rights.task_presenter import task_rows

bp = Blueprint("rights", __name__, url_prefix="/rights")


def _policy() -> RightsPolicy:
    return current_app.extensions["ig.policies"].rights


def _refused(form: Any, failed: ValidationFailed | InvalidTransition) -> None:
    field = getattr(form, getattr(failed, "field", ""), None) or form.submit
    field.errors = [failed.message]


def _filters() -> tuple[FilterForm, register.RequestFilter]:
    form = FilterForm(request.args)
    form.type.choices = {"": "Any", **{k: t.label for k, t in _policy().types.items()}}
    valid = form.validate()
    if not valid:
        return form, register.RequestFilter()
    regime = form.regime.data
    return form, register.RequestFilter(
        form.type.data or None,
        register.State(form.state.data) if form.state.data else None,
        current_actor().user_id if form.mine.data else None,
        received_from=form.received_from.data,
        received_to=form.received_to.data,
        sent_from=form.sent_from.data,
        sent_to=form.sent_to.data,
        type_keys=tuple(register.regime_keys(_policy(), regime)) if regime else None,
        paused_from=form.paused_from.data,
        paused_to=form.paused_to.data,
        extended_from=form.extended_from.data,
        extended_to=form.extended_to.data,
    )


@bp.get("/")
@requires("rights.read")
def index() -> Any:
    form, filters = _filters()
    today = london_today()
    page = register.list_requests(
        get_session(), filters, today, request.args.get("page", 1, type=int) or 1
    )
    rows = rows_of(page.rows, _policy(), today)
    return render_template("rights/index.html", form=form, page=page, rows=rows)


@bp.get("/export.csv")
@requires("rights.read")
def export() -> Any:
    _form, filters = _filters()
    today = london_today()
    items = register.export_requests(get_session(), filters, today)
    return Response(
        requests_csv(items, _policy(), today),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=information-rights-{today}.csv"},
    )


def _input(form: LogForm) -> service.RequestInput:
    return service.RequestInput(
        type_key=form.type_key.data or "",
        received_on=form.received_on.data,
        channel=form.channel.data or "",
        requester_name=form.requester_name.data or "",
        requester_identifier=form.requester_identifier.data or "",
        requester_contact=form.requester_contact.data or "",
        summary=form.summary.data or "",
        representative_name=form.representative_name.data or "",
        authority=form.authority.data or "",
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("rights.log")
def new() -> Any:
    form = LogForm()
    form.type_key.choices = {k: t.label for k, t in _policy().types.items()}
    if form.validate_on_submit():
        actor = current_actor()
        try:
            item = service.log_request(get_session(), actor, _policy(), _input(form), utcnow())
            get_session().commit()
            if actor.can("rights.read"):
                return redirect(url_for("rights.show", request_id=item.id))
            return redirect(url_for("rights.new", sent=item.reference))
        except ValidationFailed as failed:
            _refused(form, failed)
    sent = request.args.get("sent", "")[:20]
    page = render_template("rights/new.html", form=form, sent=sent)
    return page, (422 if form.errors else 200)


@bp.get("/<int:request_id>")
@requires("rights.read")
def show(request_id: int) -> Any:
    session, actor, today = get_session(), current_actor(), london_today()
    item = get_request(session, request_id)
    row = rows_of([item], _policy(), today)[0]
    earlier = list_earlier_requests(session, item)
    refusal = refusals.find_refusal(session, item.id)
    refused = refusal_view(refusal, _policy()) if refusal else None
    disclosure = disclosures.find_disclosure(session, item.id)
    service.note_detail_viewed(session, actor, item, utcnow())
    session.commit()  # the reading is audited
    return render_template(
        "rights/show.html",
        item=item,
        row=row,
        request_type=_policy().types.get(item.type_key),
        timeline=timeline(item, row, _policy(), refusal_events(refused, disclosure)),
        refusal=refused,
        has_notice=has_notice(item, refusal, _policy()),
        can_refuse=bool(_policy().grounds_for(item.type_key)) and refusal is None,
        disclosure=disclosure,
        is_team=actor.can("rights.manage"),
        publishable=_policy().types[item.type_key].family in disclosures.PUBLISHABLE
        and item.outcome is not None
        and item.outcome.value != "withdrawn",
        handler_form=handler_form(item) if actor.can("rights.manage") else None,
        earlier=rows_of(earlier, _policy(), today),
        tasks=task_rows(session, fanout.list_tasks(session, item.id), _policy(), today),
        search=fanout.find_search(session, item.id),
        withdrawn=(
            consent.list_withdrawn(session, item.id) if item.type_key == consent.CONSENT else None
        ),
        can_manage=actor.can("rights.manage") and row.item.status.value != "closed",
    )


def handler_form(item: RightsRequest) -> HandlerForm:
    """The form to change a request's handler, its choices the team's members; on GET,
    the request's handler and version (a POST keeps what was sent: a stale edit is caught)."""
    form = HandlerForm()
    people = handlers.list_handlers(get_session(), current_app.extensions["ig.policies"].roles)
    form.handler.choices = [("", "No one"), *((str(u.id), u.name) for u in people)]
    if request.method == "GET":
        form.version.data = item.version
        form.handler.data = str(item.handler_user_id or "")
    return form


def _action(request_id: int, form: Any, template: str, act: Callable[[Any], Any]) -> Any:
    """Render an action page for the request, or do ``act`` and go back to the request."""
    item = get_request(get_session(), request_id)
    if request.method == "GET":
        form.version.data = item.version
    elif form.validate_on_submit():
        try:
            act(item)
            get_session().commit()
            return redirect(url_for("rights.show", request_id=item.id))
        except (ValidationFailed, InvalidTransition) as failed:
            _refused(form, failed)
    row = rows_of([item], _policy(), london_today())[0]
    extra = {"monthly": _policy().types[item.type_key].clock is Clock.CALENDAR_MONTH}
    page = render_template(template, form=form, item=item, row=row, **extra)
    return page, (422 if form.errors else 200)


@bp.route("/<int:request_id>/pause", methods=["GET", "POST"])
@requires("rights.manage")
def pause(request_id: int) -> Any:
    form = PauseForm()
    return _action(request_id, form, "rights/pause.html", lambda item: handling.pause_clock(
        get_session(), current_actor(), _policy(), item.id, pause_reason_of(form),
        form.start.data, form.end.data, utcnow(), form.version.data,
    ))  # fmt: skip


@bp.route("/<int:request_id>/restart", methods=["GET", "POST"])
@requires("rights.manage")
def restart(request_id: int) -> Any:
    form = RestartForm()
    return _action(request_id, form, "rights/restart.html", lambda item: handling.restart_clock(
        get_session(), current_actor(), _policy(), item.id, form.end.data, utcnow(),
        form.version.data,
    ))  # fmt: skip


@bp.route("/<int:request_id>/extend", methods=["GET", "POST"])
@requires("rights.manage")
def extend(request_id: int) -> Any:
    form = ExtendForm()
    return _action(request_id, form, "rights/extend.html", lambda item: handling.extend_deadline(
        get_session(), current_actor(), _policy(), item.id, form.told_on.data,
        form.length.data or 0, form.reason.data or "", utcnow(), form.version.data,
    ))  # fmt: skip


@bp.route("/<int:request_id>/close", methods=["GET", "POST"])
@requires("rights.manage")
def close(request_id: int) -> Any:
    form = CloseForm()
    return _action(request_id, form, "rights/close.html", lambda item: handling.close_request(
        get_session(), current_actor(), item.id, outcome_of(form), form.sent_on.data,
        form.note.data or "", utcnow(), form.version.data,
    ))  # fmt: skip

"""Pages for refusing a request, its refusal notice, its handler, and the public FOI
disclosure log."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, redirect, render_template, request, url_for

from ig.auth.access import current_actor, public, requires
from ig.db import get_session, london_today, utcnow
from ig.errors import InvalidTransition, ValidationFailed
from ig.policies import RolesPolicy
from ig.rights import disclosures, handlers, refusals, service
from ig.rights.policy import RightsPolicy
from ig.rights.presenter import rows_of
from ig.rights.records import get_request
from ig.rights.refusal_forms import SCOPE_LABELS, PublishForm, RefusalForm, UnpublishForm
from ig.rights.refusal_models import RefusalScope
from ig.rights.refusal_presenter import (
    TEST_LABELS,
    disclosure_csv,
    disclosure_rows,
    has_notice,
    notice_law,
    refusal_view,
)
from ig.rights.views import bp, handler_form


def _policy() -> RightsPolicy:
    return current_app.extensions["ig.policies"].rights


def _roles() -> RolesPolicy:
    return current_app.extensions["ig.policies"].roles  # type: ignore[no-any-return]


def _refused(form: Any, failed: ValidationFailed | InvalidTransition) -> None:
    field = getattr(form, getattr(failed, "field", ""), None) or form.submit
    field.errors = [failed.message]


@bp.route("/<int:request_id>/refuse", methods=["GET", "POST"])
@requires("rights.manage")
def refuse(request_id: int) -> Any:
    session, policy = get_session(), _policy()
    item = get_request(session, request_id)
    allowed = policy.grounds_for(item.type_key)
    if not allowed:
        abort(404)
    form = RefusalForm()
    fee_allowed = any(g.fee_alternative for g in allowed.values())
    if not fee_allowed:  # UK GDPR Art. 12(5)(a) only: the service refuses it too
        form.scope.choices = {
            scope.value: label
            for scope, label in SCOPE_LABELS.items()
            if scope is not RefusalScope.FEE
        }
    choices = [("", "Choose a ground"), *((k, g.label) for k, g in allowed.items())]
    for number in (1, 2, 3):
        getattr(form, f"ground_{number}").choices = choices
    if request.method == "GET":
        form.version.data = item.version
    elif form.validate_on_submit():
        try:
            refusals.record_refusal(session, current_actor(), policy, item.id, form.refusal(),
                                    utcnow(), form.version.data)  # fmt: skip
            session.commit()
            return redirect(url_for("rights.show", request_id=item.id, _anchor="refusal"))
        except (ValidationFailed, InvalidTransition) as failed:
            _refused(form, failed)
    row = rows_of([item], policy, london_today())[0]
    page = render_template(
        "rights/refuse.html", form=form, item=item, row=row, grounds=list(allowed.values()),
        fee_allowed=fee_allowed,
        ncnd_allowed=any(g.ncnd for g in allowed.values()), test_labels=TEST_LABELS,
    )  # fmt: skip
    return page, (422 if form.errors else 200)


@bp.get("/<int:request_id>/notice")
@requires("rights.read")
def notice(request_id: int) -> Any:
    session, policy = get_session(), _policy()
    item = get_request(session, request_id)
    refusal = refusals.find_refusal(session, item.id)
    if refusal is None or not has_notice(item, refusal, policy):
        abort(404)
    service.note_detail_viewed(session, current_actor(), item, utcnow())
    session.commit()  # the notice names the requester: its reading is audited
    return render_template(
        "rights/notice.html",
        item=item,
        row=rows_of([item], policy, london_today())[0],
        refusal=refusal_view(refusal, policy),
        law=notice_law(item, policy),
        text=policy.notice,
    )


@bp.route("/<int:request_id>/handler", methods=["GET", "POST"])
@requires("rights.manage")
def handler(request_id: int) -> Any:
    session = get_session()
    item = get_request(session, request_id)
    form = handler_form(item)
    if form.validate_on_submit():
        try:
            handlers.assign_handler(session, current_actor(), _roles(), item.id,
                                    form.handler_id(), utcnow(), form.version.data)  # fmt: skip
            session.commit()
            return redirect(url_for("rights.show", request_id=item.id))
        except (ValidationFailed, InvalidTransition) as failed:
            _refused(form, failed)
    row = rows_of([item], _policy(), london_today())[0]
    page = render_template("rights/handler.html", form=form, item=item, row=row)
    return page, (422 if form.errors else 200)


@bp.route("/<int:request_id>/publish", methods=["GET", "POST"])
@requires("rights.manage")
def publish(request_id: int) -> Any:
    session, policy = get_session(), _policy()
    item = get_request(session, request_id)
    form = PublishForm()
    if request.method == "GET":
        form.request_summary.data = item.summary
    elif form.validate_on_submit():
        try:
            disclosures.publish(session, current_actor(), policy, item.id, form.title.data or "",
                                form.request_summary.data or "", form.response_summary.data or "",
                                utcnow())  # fmt: skip
            session.commit()
            return redirect(url_for("rights.show", request_id=item.id, _anchor="disclosure"))
        except (ValidationFailed, InvalidTransition) as failed:
            _refused(form, failed)
    row = rows_of([item], policy, london_today())[0]
    page = render_template("rights/publish.html", form=form, item=item, row=row)
    return page, (422 if form.errors else 200)


@bp.post("/<int:request_id>/unpublish")
@requires("rights.manage")
def unpublish(request_id: int) -> Any:
    session = get_session()
    item = get_request(session, request_id)
    form = UnpublishForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        disclosures.unpublish(session, current_actor(), item.id, utcnow())
    except InvalidTransition:
        abort(409)
    session.commit()
    return redirect(url_for("rights.show", request_id=item.id, _anchor="disclosure"))


@bp.get("/disclosure-log")
@public
def disclosure_log() -> Any:
    page = disclosures.list_log(get_session(), request.args.get("page", 1, type=int) or 1)
    rows = disclosure_rows(page.rows, _policy())
    return render_template("rights/disclosure_log.html", rows=rows, page=page)


@bp.get("/disclosure-log.csv")
@public
def disclosure_log_csv() -> Any:
    rows = disclosure_rows(disclosures.list_log(get_session()).rows, _policy())
    return Response(
        disclosure_csv(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=disclosure-log.csv"},
    )

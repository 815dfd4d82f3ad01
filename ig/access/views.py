"""Access pages: ask for access, a line manager's approvals, an asset keeper's grants."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from ig.access import register, service
from ig.access.forms import DecisionForm, GrantForm, RemoveForm, RequestForm
from ig.access.pick import ASSETS, STAFF, staff_scope
from ig.access.policy import AccessPolicy
from ig.access.rules import STATUS_LABELS, AccessStatus
from ig.assets.lookup import asset_names, kept_asset_ids
from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.errors import ValidationFailed
from ig.people.picker_views import picked_in, suggestions

bp = Blueprint("access", __name__, url_prefix="/access")


def _policy() -> AccessPolicy:
    return current_app.extensions["ig.policies"].access


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.get("/assets/search")
@requires("access.request")
def asset_suggestions() -> Any:
    return suggestions(ASSETS)


@bp.get("/staff/search")
@requires("access.request")
def staff_suggestions() -> Any:
    """The signed-in manager's own staff (none for anyone else)."""
    return suggestions(STAFF, staff_scope(get_session(), current_actor().user_id))


@bp.route("/request", methods=["GET", "POST"])
@requires("access.request")
def new() -> Any:
    form = RequestForm()
    form.level.choices = list(_policy().levels.items())
    valid = form.validate_on_submit()
    scope = staff_scope(get_session(), current_actor().user_id)
    asset = picked_in(
        ASSETS, form.asset_name, form.asset_id, required="Enter the information asset"
    )
    staff = picked_in(STAFF, form.staff_name, form.staff_id, scope=scope)
    if valid and not form.errors:
        data = service.AccessInput(
            form.asset_id.data, form.level.data or "", form.reason.data or "", form.staff_id.data
        )
        try:
            service.request_access(get_session(), current_actor(), _policy(), data, utcnow())
            get_session().commit()
            return redirect(url_for("access.new", sent=1))
        except ValidationFailed as failed:
            names = {"asset": "asset_name", "staff": "staff_name"}
            getattr(form, names.get(failed.field, failed.field)).errors = [failed.message]
    page = render_template(
        "access/request.html",
        form=form,
        asset=asset,
        staff=staff,
        sent=bool(request.args.get("sent")),
    )
    return page, (422 if form.errors else 200)


@bp.get("/approvals")
@requires("home.view")
def approvals() -> Any:
    """Requests from the signed-in manager's staff awaiting their decision."""
    session, user_id = get_session(), current_actor().user_id
    page = register.list_requests(session, register.awaiting_approval(session, user_id), _page())
    return render_template("access/approvals.html", page=page, levels=_policy().levels)


@bp.get("/keeper")
@requires("home.view")
def keeper() -> Any:
    """Approved access to grant, and granted access, on the signed-in person's assets."""
    session, user_id = get_session(), current_actor().user_id
    kept = kept_asset_ids(session, user_id)
    where = register.awaiting_keeper(kept, AccessStatus.APPROVED, AccessStatus.GRANTED)
    return render_template(
        "access/keeper.html",
        page=register.list_requests(session, where, _page()),
        levels=_policy().levels,
        approved=AccessStatus.APPROVED,
        today=london_today(),
    )


def _render(template: str, item: Any, form: Any) -> tuple[str, int]:
    name = asset_names(get_session(), [item.asset_id]).get(item.asset_id, "")
    page = render_template(
        template,
        item=item,
        asset_name=name,
        form=form,
        level=_policy().level_label(item.level),
        status=STATUS_LABELS[item.status],
    )
    return page, (422 if form.errors else 200)


@bp.route("/<int:request_id>/decide", methods=["GET", "POST"])
@requires("home.view")
def decide(request_id: int) -> Any:
    item = service.get_request(get_session(), request_id)
    if service.decision_refused(get_session(), current_actor(), item):
        abort(403)
    form = DecisionForm()
    if form.validate_on_submit():
        service.decide_request(
            get_session(),
            current_actor(),
            item.id,
            form.decision.data == "approve",
            form.reason.data or "",
            utcnow(),
        )
        get_session().commit()
        return redirect(url_for("access.approvals"))
    return _render("access/decide.html", item, form)


@bp.route("/<int:request_id>/grant", methods=["GET", "POST"])
@requires("home.view")
def grant(request_id: int) -> Any:
    item = service.get_request(get_session(), request_id)
    if service.keeper_refused(get_session(), current_actor(), item):
        abort(403)
    form = GrantForm(data={"granted_on": london_today()} if request.method == "GET" else None)
    if form.validate_on_submit() and form.granted_on.data:
        try:
            service.record_granted(
                get_session(), current_actor(), _policy(), item.id, form.granted_on.data, utcnow()
            )
            get_session().commit()
            return redirect(url_for("access.keeper"))
        except ValidationFailed as failed:
            form.granted_on.errors = [failed.message]
    return _render("access/grant.html", item, form)


@bp.route("/<int:request_id>/remove", methods=["GET", "POST"])
@requires("home.view")
def remove(request_id: int) -> Any:
    item = service.get_request(get_session(), request_id)
    if service.keeper_refused(get_session(), current_actor(), item):
        abort(403)
    form = RemoveForm(data={"removed_on": london_today()} if request.method == "GET" else None)
    if form.validate_on_submit() and form.removed_on.data:
        try:
            service.record_removed(
                get_session(),
                current_actor(),
                item.id,
                form.removed_on.data,
                form.removal_reason.data or "",
                utcnow(),
            )
            get_session().commit()
            return redirect(url_for("access.keeper"))
        except ValidationFailed as failed:
            getattr(form, failed.field).errors = [failed.message]
    return _render("access/remove.html", item, form)

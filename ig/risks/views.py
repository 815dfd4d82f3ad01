"""IG risk register pages: the register, a risk, adding, editing, reviewing, closing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.errors import ValidationFailed
from ig.people import pickers
from ig.people.picker_views import filter_id, picked_from, picked_in, suggestions
from ig.risks import lifecycle, register, service
from ig.risks.forms import CloseForm, EditRiskForm, NewRiskForm, ReviewForm, RiskFilterForm
from ig.risks.policy import RisksPolicy
from ig.risks.presenter import (
    filters_from,
    form_data,
    review_input,
    risk_input,
    risk_rows,
    set_choices,
)

bp = Blueprint("risks", __name__, url_prefix="/risks")


def policy() -> RisksPolicy:
    return current_app.extensions["ig.policies"].risks  # type: ignore[no-any-return]


def show_error(form: Any, failed: ValidationFailed, names: dict[str, str] | None = None) -> None:
    """Put a service's refusal beside the field it names (the form's own name for it)."""
    name = (names or {}).get(failed.field, failed.field)
    field = getattr(form, name, None)
    if field is None:
        field = form.submit
    field.errors = [*field.errors, failed.message]


def _filters() -> tuple[RiskFilterForm, register.RiskFilter, pickers.Picked]:
    """The filter form from the query string, the filter it asks for, the owner picked."""
    form = RiskFilterForm(request.args)
    set_choices(form, policy())
    filters = filters_from(form)
    if form.errors:
        return form, filters, pickers.Picked(form.owner_name.data or "")
    owner = picked_from(pickers.USERS, form.owner_name, form.owner, scope=register.owner_ids())
    return form, replace(filters, owner_user_id=filter_id(owner)), owner


@bp.get("/")
@requires("risks.read")
def index() -> Any:
    form, filters, owner = _filters()
    today = london_today()
    page = register.list_risks(
        get_session(),
        filters,
        policy(),
        today,
        page=request.args.get("page", 1, type=int) or 1,
    )
    return render_template(
        "risks/index.html",
        form=form,
        owner=owner,
        page=page,
        rows=risk_rows(page.rows, policy(), today),
        can_manage=current_actor().can("risks.manage"),
    )


@bp.get("/export.csv")
@requires("risks.read")
def export() -> Any:
    _form, filters, _owner = _filters()
    now = utcnow()
    text = register.export_csv(
        get_session(), current_actor(), filters, policy(), london_today(now), now
    )
    get_session().commit()  # the export is audited
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=ig-risks-{now.date()}.csv"},
    )


@bp.get("/owners/search")
@requires("risks.read")
def owner_suggestions() -> Any:
    """The risks' owners, for the register's owner filter."""
    return suggestions(pickers.USERS, register.owner_ids())


@bp.get("/mine")
@requires("home.view")
def mine() -> Any:
    """The open risks the signed-in person owns, overdue reviews first (their task's page)."""
    filters = register.RiskFilter(owner_user_id=current_actor().user_id or -1)
    today = london_today()
    risks = register.list_risks(get_session(), filters, policy(), today, per_page=500).rows
    return render_template("risks/mine.html", rows=risk_rows(risks, policy(), today))


@bp.get("/people/search")
@requires("risks.manage")
def people_suggestions() -> Any:
    """Active users, for a risk's or an action's owner."""
    return suggestions(pickers.USERS)


def _owner(form: Any, current: int | None = None, what: str = "the risk's owner") -> Any:
    return picked_in(
        pickers.USERS,
        form.owner_name,
        form.owner_user_id,
        current=current,
        required=f"Enter {what}",
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("risks.manage")
def new() -> Any:
    form = NewRiskForm()
    set_choices(form, policy())
    valid = form.validate_on_submit()
    owner = _owner(form)
    if valid and not form.errors:
        try:
            now = utcnow()
            first = review_input(form, london_today(now), "Risk recorded")
            risk = service.create_risk(
                get_session(), current_actor(), policy(), risk_input(form), first, now
            )
            get_session().commit()
            return redirect(url_for("risks.show", risk_id=risk.id))
        except ValidationFailed as failed:
            show_error(form, failed, {"owner_user_id": "owner_name"})
    page = render_template("risks/form.html", form=form, risk=None, owner=owner)
    return page, (422 if form.errors else 200)


@bp.route("/<int:risk_id>/edit", methods=["GET", "POST"])
@requires("risks.manage")
def edit(risk_id: int) -> Any:
    risk = service.get_risk(get_session(), risk_id)
    service.require_open(risk)
    form = EditRiskForm(data=form_data(risk))
    set_choices(form, policy())
    valid = form.validate_on_submit()
    owner = _owner(form, risk.owner_user_id)
    if valid and not form.errors:
        try:
            service.update_risk(
                get_session(),
                current_actor(),
                policy(),
                risk.id,
                risk_input(form),
                form.version.data,
                utcnow(),
            )
            get_session().commit()
            return redirect(url_for("risks.show", risk_id=risk.id))
        except ValidationFailed as failed:
            show_error(form, failed, {"owner_user_id": "owner_name"})
    page = render_template("risks/form.html", form=form, risk=risk, owner=owner)
    return page, (422 if form.errors else 200)


@bp.route("/<int:risk_id>/review", methods=["GET", "POST"])
@requires("home.view")
def review(risk_id: int) -> Any:
    risk = service.get_risk(get_session(), risk_id)
    if not service.can_review(current_actor(), risk):
        abort(403)
    service.require_open(risk)
    form = ReviewForm(data={"version": risk.version, "reviewed_on": london_today()})
    set_choices(form, policy())
    if form.validate_on_submit():
        try:
            data = review_input(form, form.reviewed_on.data, form.note.data or "")
            lifecycle.review_risk(
                get_session(), current_actor(), policy(), risk.id, data, form.version.data, utcnow()
            )
            get_session().commit()
            return redirect(url_for("risks.show", risk_id=risk.id))
        except ValidationFailed as failed:
            show_error(form, failed)
    page = render_template("risks/review.html", form=form, risk=risk, policy=policy())
    return page, (422 if form.errors else 200)


@bp.route("/<int:risk_id>/close", methods=["GET", "POST"])
@requires("risks.manage")
def close(risk_id: int) -> Any:
    risk = service.get_risk(get_session(), risk_id)
    service.require_open(risk)
    form = CloseForm(data={"version": risk.version, "closed_on": london_today()})
    if form.validate_on_submit():
        try:
            lifecycle.close_risk(
                get_session(),
                current_actor(),
                risk.id,
                form.reason.data or "",
                form.closed_on.data,
                form.version.data,
                utcnow(),
            )
            get_session().commit()
            return redirect(url_for("risks.show", risk_id=risk.id))
        except ValidationFailed as failed:
            show_error(form, failed)
    return render_template("risks/close.html", form=form, risk=risk), (422 if form.errors else 200)

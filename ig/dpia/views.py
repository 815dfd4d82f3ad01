"""DPIA pages: the register and its CSV, a DPIA's record, adding and changing one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.dpia import register, service
from ig.dpia.forms import (
    ActivityLinkForm,
    AssetLinkForm,
    ConfirmForm,
    DpiaFilterForm,
    DpiaForm,
    EditDpiaForm,
    LinkForm,
)
from ig.dpia.links import linked_agreements
from ig.dpia.pages import (
    dpia_rows,
    filters_from,
    grid_cells,
    level_of,
    policy,
    risk_rows,
    show_error,
)
from ig.dpia.record_links import ACTIVITY, ASSET, linked
from ig.dpia.rules import needs_ico_consultation, screening_outcome
from ig.dpia.signoff import can_sign_off
from ig.errors import ValidationFailed
from ig.people import pickers
from ig.people.picker_views import picked_in, suggestions

bp = Blueprint("dpia", __name__, url_prefix="/dpias")


@bp.get("/")
@requires("dpia.read")
def index() -> Any:
    form = DpiaFilterForm(request.args)
    today = london_today()
    page = register.list_dpias(
        get_session(),
        policy(),
        filters_from(form),
        today,
        page=request.args.get("page", 1, type=int) or 1,
    )
    rows = dpia_rows(page.rows, policy(), today)
    return render_template("dpia/index.html", form=form, page=page, rows=rows)


@bp.get("/export.csv")
@requires("dpia.read")
def export() -> Any:
    today = london_today()
    filters = filters_from(DpiaFilterForm(request.args))
    dpias = register.export_dpias(get_session(), policy(), filters, today)
    return Response(
        register.dpias_csv(dpias, policy(), today),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename=dpias-{today.isoformat()}.csv"},
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("dpia.manage")
def new() -> Any:
    form = DpiaForm()
    valid = form.validate_on_submit()
    owner = _owner(form, current=current_actor().user_id)  # the author, until changed
    if valid and not form.errors:
        data = service.DpiaInput(form.title.data, form.description.data, _owner_id(form))
        try:
            dpia = service.create_dpia(get_session(), current_actor(), data, utcnow())
            get_session().commit()
            return redirect(url_for("dpia.show", dpia_id=dpia.id))
        except ValidationFailed as failed:
            _refused(form, failed)
    return render_template(
        "dpia/form.html", form=form, owner=owner, heading="Start a DPIA", caption="DPIA register"
    ), (422 if form.errors else 200)


@bp.get("/people/search")
@requires("dpia.manage")
def people_suggestions() -> Any:
    """Active users, for a DPIA's owner: for those who may start and change DPIAs only."""
    return suggestions(pickers.USERS)


def _owner(form: DpiaForm, current: int | None) -> pickers.Picked:
    return picked_in(
        pickers.USERS,
        form.owner_name,
        form.owner_user_id,
        current=current,
        required="Enter the DPIA's owner",
    )


def _owner_id(form: DpiaForm) -> int:
    return form.owner_user_id.data or 0  # 0: none (refused)


def _refused(form: DpiaForm, failed: ValidationFailed) -> None:
    if failed.field == "owner_user_id":
        form.owner_name.errors = [failed.message]
    else:
        show_error(form, failed)


@bp.get("/<int:dpia_id>")
@requires("dpia.read")
def show(dpia_id: int) -> Any:
    session, actor, grid = get_session(), current_actor(), policy()
    dpia = service.get_dpia(session, dpia_id)
    service.note_detail_viewed(session, actor, dpia, utcnow())
    session.commit()
    row = dpia_rows([dpia], grid, london_today())[0]
    screening = (
        screening_outcome(dpia.screening_criteria, grid) if dpia.screened_at is not None else None
    )
    return render_template(
        "dpia/show.html",
        dpia=dpia,
        row=row,
        grid=grid,
        screening=screening,
        criteria=[grid.criteria[k] for k in dpia.screening_criteria if k in grid.criteria],
        risks=risk_rows(dpia.risks, grid),
        cells=grid_cells(dpia.risks, grid),
        residual=level_of(dpia.max_residual_score, grid),
        needs_ico=needs_ico_consultation(dpia.max_residual_score, grid),
        agreements=linked_agreements(session, dpia.id),
        activities=linked(session, ACTIVITY, dpia.id),
        assets=linked(session, ASSET, dpia.id),
        can_sign_off=can_sign_off(actor, dpia),
        confirm=ConfirmForm(data={"version": dpia.version}),
        link_form=LinkForm(),
        activity_form=ActivityLinkForm(),
        asset_form=AssetLinkForm(),
    )


@bp.route("/<int:dpia_id>/edit", methods=["GET", "POST"])
@requires("dpia.manage")
def edit(dpia_id: int) -> Any:
    dpia = service.get_dpia(get_session(), dpia_id)
    form = EditDpiaForm(obj=dpia)
    valid = form.validate_on_submit()
    owner = _owner(form, current=dpia.owner_user_id)
    if valid and not form.errors:
        data = service.DpiaInput(form.title.data, form.description.data, _owner_id(form))
        try:
            service.update_dpia(
                get_session(), current_actor(), dpia.id, data, form.version.data, utcnow()
            )
            get_session().commit()
            return redirect(url_for("dpia.show", dpia_id=dpia.id))
        except ValidationFailed as failed:
            _refused(form, failed)
    heading = "Change the DPIA's details"
    return render_template(
        "dpia/form.html", form=form, owner=owner, heading=heading, caption=dpia.title
    ), (422 if form.errors else 200)

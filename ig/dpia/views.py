"""DPIA pages: the register and its CSV, a DPIA's record, adding and changing one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.dpia import register, service
from ig.dpia.forms import ConfirmForm, DpiaFilterForm, DpiaForm, EditDpiaForm, LinkForm
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
from ig.dpia.rules import needs_ico_consultation, screening_outcome
from ig.dpia.signoff import can_sign_off
from ig.errors import ValidationFailed

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
    form = DpiaForm(data={"owner_user_id": current_actor().user_id})
    form.owner_user_id.choices = register.list_owner_choices(get_session())
    if form.validate_on_submit():
        data = service.DpiaInput(form.title.data, form.description.data, form.owner_user_id.data)
        try:
            dpia = service.create_dpia(get_session(), current_actor(), data, utcnow())
            get_session().commit()
            return redirect(url_for("dpia.show", dpia_id=dpia.id))
        except ValidationFailed as failed:
            show_error(form, failed)
    return render_template(
        "dpia/form.html", form=form, heading="Start a DPIA", caption="DPIA register"
    ), (422 if form.errors else 200)


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
        can_sign_off=can_sign_off(actor, dpia),
        confirm=ConfirmForm(data={"version": dpia.version}),
        link_form=LinkForm(),
    )


@bp.route("/<int:dpia_id>/edit", methods=["GET", "POST"])
@requires("dpia.manage")
def edit(dpia_id: int) -> Any:
    dpia = service.get_dpia(get_session(), dpia_id)
    form = EditDpiaForm(obj=dpia)
    form.owner_user_id.choices = register.list_owner_choices(get_session())
    if form.validate_on_submit():
        data = service.DpiaInput(form.title.data, form.description.data, form.owner_user_id.data)
        try:
            service.update_dpia(
                get_session(), current_actor(), dpia.id, data, form.version.data, utcnow()
            )
            get_session().commit()
            return redirect(url_for("dpia.show", dpia_id=dpia.id))
        except ValidationFailed as failed:
            show_error(form, failed)
    return render_template(
        "dpia/form.html", form=form, heading="Change the DPIA's details", caption=dpia.title
    ), (422 if form.errors else 200)

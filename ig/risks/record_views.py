"""A risk's page (heat map, score history, actions, links) and what is done from it."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, url_for

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.errors import ValidationFailed
from ig.people import pickers
from ig.people.picker_views import picked_in
from ig.risks import actions, rules, service
from ig.risks.forms import ActionForm, CompleteActionForm, LinkForm, UnlinkForm
from ig.risks.links import link_record, link_views, unlink_record
from ig.risks.models import Risk
from ig.risks.presenter import action_rows, review_rows, risk_rows, summary_rows
from ig.risks.rules import Status
from ig.risks.views import bp, policy, show_error


@bp.get("/<int:risk_id>")
@requires("home.view")
def show(risk_id: int) -> Any:
    risk = service.get_risk(get_session(), risk_id)
    if not service.can_view(current_actor(), risk):
        abort(403)
    return _show(risk, LinkForm())


def _show(risk: Risk, link_form: LinkForm, status: int = 200) -> Any:
    actor, today = current_actor(), london_today()
    can_manage = actor.can("risks.manage") and risk.status is Status.OPEN
    page = render_template(
        "risks/show.html",
        risk=risk,
        row=risk_rows([risk], policy(), today)[0],
        details=summary_rows(risk, policy()),
        heat_map=rules.heat_map(
            policy(), (risk.likelihood, risk.impact), (risk.target_likelihood, risk.target_impact)
        ),
        policy=policy(),
        history=review_rows(risk.reviews, policy()),
        actions=action_rows(risk.actions, today),
        can_complete={a.id for a in risk.actions if actions.can_complete(actor, risk, a)},
        links=link_views(get_session(), risk),
        can_manage=can_manage,
        can_review=service.can_review(actor, risk) and risk.status is Status.OPEN,
        back_to="risks.index" if actor.can("risks.read") else "risks.mine",
        link_form=link_form,
        unlink_form=UnlinkForm(),
        complete_form=CompleteActionForm(),
    )
    return page, status


@bp.route("/<int:risk_id>/actions/new", methods=["GET", "POST"])
@requires("risks.manage")
def new_action(risk_id: int) -> Any:
    risk = service.get_risk(get_session(), risk_id)
    service.require_open(risk)
    form = ActionForm()
    valid = form.validate_on_submit()
    owner = picked_in(
        pickers.USERS, form.owner_name, form.owner_user_id, required="Enter who will do it"
    )
    if valid and not form.errors:
        try:
            actions.add_action(
                get_session(),
                current_actor(),
                risk.id,
                form.description.data or "",
                form.owner_user_id.data or 0,
                form.due_on.data,
                utcnow(),
            )
            get_session().commit()
            return redirect(url_for("risks.show", risk_id=risk.id))
        except ValidationFailed as failed:
            show_error(form, failed, {"owner_user_id": "owner_name"})
    page = render_template("risks/action.html", form=form, risk=risk, owner=owner)
    return page, (422 if form.errors else 200)


@bp.post("/<int:risk_id>/actions/<int:action_id>/done")
@requires("home.view")
def complete_action(risk_id: int, action_id: int) -> Any:
    if not CompleteActionForm().validate_on_submit():
        abort(400)
    now = utcnow()
    actions.complete_action(
        get_session(), current_actor(), risk_id, action_id, london_today(now), now
    )
    get_session().commit()
    return redirect(url_for("risks.show", risk_id=risk_id))


@bp.post("/<int:risk_id>/links")
@requires("risks.manage")
def link(risk_id: int) -> Any:
    risk = service.get_risk(get_session(), risk_id)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            link_record(
                get_session(), current_actor(), risk, form.kind.data, form.reference.data, utcnow()
            )
            get_session().commit()
            return redirect(url_for("risks.show", risk_id=risk.id))
        except ValidationFailed as failed:
            show_error(form, failed)
    return _show(risk, form, 422)


@bp.post("/<int:risk_id>/links/remove")
@requires("risks.manage")
def unlink(risk_id: int) -> Any:
    risk = service.get_risk(get_session(), risk_id)
    form = UnlinkForm()
    if not form.validate_on_submit():
        abort(400)
    unlink_record(
        get_session(), current_actor(), risk, form.kind.data, form.reference.data, utcnow()
    )
    get_session().commit()
    return redirect(url_for("risks.show", risk_id=risk.id))

"""The DPIA's steps: screening, risks, the DPO's advice, the ICO, sign-off, review, links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, redirect, render_template, url_for
from sqlalchemy.orm import Session

from ig.auth.access import current_actor, requires
from ig.auth.rules import Actor
from ig.db import get_session, utcnow
from ig.dpia import links, service, signoff
from ig.dpia.forms import (
    ButtonForm,
    ConfirmForm,
    DpoAdviceForm,
    IcoForm,
    LinkForm,
    ReviewForm,
    RiskForm,
    ScreeningForm,
)
from ig.dpia.models import Dpia, IcoDecision
from ig.dpia.pages import level_of, policy, risk_input, set_grid_choices, show_error
from ig.dpia.rules import needs_ico_consultation
from ig.dpia.views import bp
from ig.errors import ValidationFailed

Step = Callable[[Session, Actor, int], object]


def _run(dpia: Dpia, form: Any, step: Step, heading: str, **page: Any) -> Any:
    """Validate the form, run one service call, commit once; or show the form again."""
    if form.validate_on_submit():
        try:
            step(get_session(), current_actor(), form.version.data)
            get_session().commit()
            return redirect(url_for("dpia.show", dpia_id=dpia.id))
        except ValidationFailed as failed:
            show_error(form, failed)
    return render_template(
        "dpia/form.html", form=form, dpia=dpia, heading=heading, caption=dpia.title, **page
    ), (422 if form.errors else 200)


@bp.route("/<int:dpia_id>/screening", methods=["GET", "POST"])
@requires("dpia.manage")
def screen(dpia_id: int) -> Any:
    dpia = service.get_dpia(get_session(), dpia_id)
    form = ScreeningForm(data={"version": dpia.version, "criteria": dpia.screening_criteria})
    form.criteria.choices = [
        (c.key, f"{c.text} ({c.source})")
        for c in sorted(policy().criteria.values(), key=lambda c: c.kind)
    ]
    rule = (
        f"A DPIA is required when any UK GDPR Art. 35(3) case applies, or "
        f"{policy().min_ico_criteria} or more of the ICO's high-risk criteria."
    )
    return _run(
        dpia,
        form,
        lambda s, a, v: service.screen_dpia(
            s, a, policy(), dpia.id, form.criteria.data or [], v, utcnow()
        ),
        "Screen the processing",
        intro=rule,
    )


@bp.route("/<int:dpia_id>/risks/new", methods=["GET", "POST"])
@bp.route("/<int:dpia_id>/risks/<int:risk_id>", methods=["GET", "POST"])
@requires("dpia.manage")
def risk(dpia_id: int, risk_id: int | None = None) -> Any:
    dpia = service.get_dpia(get_session(), dpia_id)
    existing = service.get_risk(dpia, risk_id) if risk_id is not None else None
    blank = dict.fromkeys(("likelihood", "severity", "residual_likelihood", "residual_severity"), 0)
    form = RiskForm(obj=existing, data={"version": dpia.version, **blank})
    set_grid_choices(form, policy())
    return _run(
        dpia,
        form,
        lambda s, a, v: service.save_risk(
            s, a, policy(), dpia.id, risk_id, risk_input(form), v, utcnow()
        ),
        "Change a risk" if existing else "Add a risk",
        intro="Score each risk on the grid before and after the measures taken against it.",
    )


@bp.post("/<int:dpia_id>/risks/<int:risk_id>/remove")
@requires("dpia.manage")
def remove_risk(dpia_id: int, risk_id: int) -> Any:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    service.remove_risk(
        get_session(), current_actor(), dpia_id, risk_id, form.version.data, utcnow()
    )
    get_session().commit()
    return redirect(url_for("dpia.show", dpia_id=dpia_id))


@bp.route("/<int:dpia_id>/dpo-advice", methods=["GET", "POST"])
@requires("dpia.manage")
def dpo_advice(dpia_id: int) -> Any:
    dpia = service.get_dpia(get_session(), dpia_id)
    form = DpoAdviceForm(data={"version": dpia.version})

    def step(s: Session, a: Actor, v: int) -> object:
        advice = signoff.DpoAdvice(
            form.advice.data or "",
            form.given_on.data,
            form.followed.data == "yes",
            form.reason_not_followed.data or "",
        )
        return signoff.record_dpo_advice(s, a, dpia.id, advice, v, utcnow())

    return _run(dpia, form, step, "Record the DPO's advice")


@bp.route("/<int:dpia_id>/submit", methods=["GET", "POST"])
@requires("dpia.manage")
def submit(dpia_id: int) -> Any:
    dpia = service.get_dpia(get_session(), dpia_id)
    form = ConfirmForm(data={"version": dpia.version})
    form.submit.label.text = "Send for sign-off"
    return _run(
        dpia,
        form,
        lambda s, a, v: signoff.submit_for_sign_off(s, a, dpia.id, v, utcnow()),
        "Send the DPIA for sign-off",
        intro="The SIRO signs it off. Its risks and the DPO's advice can no longer change "
        "without sending it back into assessment.",
    )


@bp.route("/<int:dpia_id>/ico", methods=["GET", "POST"])
@requires("dpia.read")
def ico(dpia_id: int) -> Any:
    actor = current_actor()
    if not (actor.can("dpia.manage") or actor.can("dpia.sign_off")):
        abort(403)
    dpia = service.get_dpia(get_session(), dpia_id)
    form = IcoForm(data={"version": dpia.version})

    def step(s: Session, a: Actor, v: int) -> object:
        decision = signoff.IcoConsultation(
            IcoDecision(form.decision.data),
            form.consulted_on.data,
            form.reference.data or "",
            form.notes.data or "",
        )
        return signoff.record_ico_consultation(s, a, dpia.id, decision, v, utcnow())

    return _run(
        dpia,
        form,
        step,
        "Record the ICO prior consultation",
        intro="UK GDPR Art. 36(1): where the risk remaining after the measures is high, the "
        "ICO must be consulted before the processing starts.",
    )


@bp.route("/<int:dpia_id>/sign-off", methods=["GET", "POST"])
@requires("dpia.sign_off")
def sign_off(dpia_id: int) -> Any:
    dpia = service.get_dpia(get_session(), dpia_id)
    if not signoff.can_sign_off(current_actor(), dpia):
        abort(403)
    form = ConfirmForm(data={"version": dpia.version})
    form.submit.label.text = "Sign off this DPIA"
    residual = level_of(dpia.max_residual_score, policy())
    return _run(
        dpia,
        form,
        lambda s, a, v: signoff.sign_off_dpia(s, a, policy(), dpia.id, v, utcnow()),
        "Sign off the DPIA",
        intro=f"Highest residual risk: {residual.label if residual else 'none assessed'}.",
        needs_ico=needs_ico_consultation(dpia.max_residual_score, policy()),
    )


@bp.route("/<int:dpia_id>/review", methods=["GET", "POST"])
@requires("dpia.manage")
def review(dpia_id: int) -> Any:
    dpia = service.get_dpia(get_session(), dpia_id)
    form = ReviewForm(data={"version": dpia.version})
    return _run(
        dpia,
        form,
        lambda s, a, v: signoff.record_review(
            s, a, policy(), dpia.id, form.reviewed_on.data, v, utcnow()
        ),
        "Record a review",
        intro="A review that finds the processing unchanged sets the next review date. "
        "If the processing has changed, start a new DPIA.",
    )


@bp.post("/<int:dpia_id>/agreements")
@requires("dpia.manage")
def link(dpia_id: int) -> Any:
    dpia = service.get_dpia(get_session(), dpia_id)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            links.link_agreement(
                get_session(), current_actor(), dpia.id, form.reference.data, utcnow()
            )
            get_session().commit()
            return redirect(url_for("dpia.show", dpia_id=dpia.id))
        except ValidationFailed as failed:
            show_error(form, failed)
    return render_template(
        "dpia/form.html", form=form, dpia=dpia, heading="Link an agreement", caption=dpia.title
    ), 422


@bp.post("/<int:dpia_id>/agreements/<int:agreement_id>/unlink")
@requires("dpia.manage")
def unlink(dpia_id: int, agreement_id: int) -> Any:
    if not ButtonForm().validate_on_submit():
        abort(400)
    links.unlink_agreement(get_session(), current_actor(), dpia_id, agreement_id, utcnow())
    get_session().commit()
    return redirect(url_for("dpia.show", dpia_id=dpia_id))

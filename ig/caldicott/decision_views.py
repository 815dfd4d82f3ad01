"""Decision pages: assessment, decision and sign-off, amendment, identifier look-up."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ig.auth.access import current_actor, requires
from ig.caldicott import assessment, forms, links, present, rules, service
from ig.caldicott.models import CaldicottRequest
from ig.caldicott.signoff import DecisionInput, ReauthenticationFailed, sign_decision
from ig.caldicott.views import bp, invalid, policy
from ig.db import get_session, utcnow
from ig.errors import EditConflict, InvalidTransition, ValidationFailed
from ig.forms import version_of


def _assessment_data(form: Any) -> assessment.AssessmentInput:
    return assessment.AssessmentInput(
        article6=form.article6.data,
        article9=form.article9.data,
        article10=form.article10.data,
        confidentiality_basis=form.confidentiality_basis.data,
        legal_basis_note=form.legal_basis_note.data or "",
        principle_notes={
            p.key: getattr(form, f"principle_{p.key}").data or "" for p in policy().principles
        },
        consultations=assessment.parse_consultations(form.consultations.data or ""),
        recommended_outcome=form.recommended_outcome.data or "",
        recommendation=form.recommendation.data or "",
        row_version=version_of(form.row_version.data),
    )


def _posted_version() -> int | None:
    """The version the posted form was loaded with (None on a GET, or if it carried none)."""
    return version_of(request.form.get("row_version")) if request.method == "POST" else None


def _assessment_form(found: CaldicottRequest) -> Any:
    draft = assessment.draft_of(found)
    if draft is None and found.versions:
        if _posted_version() is not None:
            raise EditConflict()  # the version the form was loaded from has been signed since
        raise InvalidTransition(
            "This decision is signed and cannot be changed. Start an amendment to change it"
        )
    # Version 0: there was no assessment when the form was loaded, so one saved by
    # someone else in the meantime is a conflict, not something to overwrite unseen.
    prefill = (
        None if request.method == "POST" else {"row_version": 0, **present.assessment_data(draft)}
    )
    form = forms.assessment_form_class(policy())(data=prefill)
    form.set_choices(policy())
    return form


@bp.route("/requests/<reference>/assess", methods=["GET", "POST"])
@requires("caldicott.assess")
def assess(reference: str) -> Any:
    session, actor = get_session(), current_actor()
    found = service.get_request(session, actor, reference)
    form = _assessment_form(found)
    context = {"reference": reference, "principles": policy().principles}
    if form.validate_on_submit():
        try:
            data = _assessment_data(form)
            assessment.save_assessment(session, actor, policy(), found, data, utcnow())
        except ValidationFailed as error:
            return invalid(form, error, "caldicott/assess.html", **context)
        session.commit()
        flash("Assessment saved")
        return redirect(url_for(".show", reference=reference))
    status = 422 if form.errors else 200
    return render_template("caldicott/assess.html", form=form, **context), status


def _decision_data(form: forms.DecisionForm) -> DecisionInput:
    return DecisionInput(
        outcome=form.outcome.data or "",
        conditions=tuple(rules.split_lines(form.conditions.data or "")),
        reasons=form.reasons.data or "",
        review_on=form.review_on.data,
        password=form.password.data or "",
        code=form.code.data or "",
        row_version=version_of(form.row_version.data),
    )


@bp.route("/requests/<reference>/decide", methods=["GET", "POST"])
@requires("caldicott.decide")
def decide(reference: str) -> Any:
    session, actor = get_session(), current_actor()
    found = service.get_request(session, actor, reference)
    draft = assessment.draft_of(found)
    if draft is None or not draft.is_assessed:
        if _posted_version() is not None:
            raise EditConflict()  # the version the form was loaded from has been signed since
        raise InvalidTransition("There is no assessed decision awaiting sign-off on this request")
    rules.check_may_sign(actor.user_id, actor.roles, found.raised_by_id)
    form = forms.DecisionForm(
        data=None if request.method == "POST" else present.decision_data(draft)
    )
    context = {
        "reference": reference,
        "version": present.version_view(policy(), found, draft),
        "uses_code": current_user.user.has_totp,
    }
    if form.validate_on_submit():
        try:
            sign_decision(
                session, actor, policy(), found, current_user.user, _decision_data(form), utcnow()
            )
        except ValidationFailed as error:
            if isinstance(error, ReauthenticationFailed):
                session.commit()  # keep the audit entry of the failed confirmation
            return invalid(form, error, "caldicott/decide.html", **context)
        session.commit()
        flash(f"Decision on {reference} signed")
        return redirect(url_for(".show", reference=reference))
    status = 422 if form.errors else 200
    return render_template("caldicott/decide.html", form=form, **context), status


@bp.route("/requests/<reference>/amend", methods=["GET", "POST"])
@requires("caldicott.assess")
def amend(reference: str) -> Any:
    session, actor = get_session(), current_actor()
    found = service.get_request(session, actor, reference)
    form = forms.AmendmentForm()
    if form.validate_on_submit():
        try:
            assessment.start_amendment(session, actor, found, form.reason.data, utcnow())
        except ValidationFailed as error:
            return invalid(form, error, "caldicott/amend.html", reference=reference)
        session.commit()
        flash("Amendment started: update the assessment, then ask the Guardian to sign it")
        return redirect(url_for(".assess", reference=reference))
    status = 422 if form.errors else 200
    return render_template("caldicott/amend.html", form=form, reference=reference), status


@bp.route("/search", methods=["GET", "POST"])
@requires("caldicott.read")
def search() -> Any:
    # POST, not GET: the identifier must not end up in addresses, history or logs.
    form = forms.IdentifierSearchForm()
    found = None
    if form.validate_on_submit():
        session = get_session()
        found = service.find_by_identifier(session, current_actor(), form.identifier.data, utcnow())
        session.commit()
    status = 422 if form.errors else 200
    return render_template("caldicott/search.html", form=form, found=found), status


@bp.route("/requests/<reference>/link", methods=["GET", "POST"])
@requires("caldicott.assess")
def link(reference: str) -> Any:
    session, actor = get_session(), current_actor()
    found = service.get_request(session, actor, reference)
    form = forms.LinkForm()
    if form.validate_on_submit():
        try:
            links.link_record(session, actor, found, form.kind.data, form.reference.data, utcnow())
        except ValidationFailed as error:
            return invalid(form, error, "caldicott/link.html", reference=reference)
        session.commit()
        flash(f"Linked {form.reference.data.strip().upper()}")
        return redirect(url_for(".show", reference=reference))
    status = 422 if form.errors else 200
    return render_template("caldicott/link.html", form=form, reference=reference), status

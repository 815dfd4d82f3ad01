"""Agreement pages: draft, edit, parties, signatures, renewal, termination, documents."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.dpia.linked import list_dpias_for_agreement
from ig.errors import ValidationFailed
from ig.sharing import agreements, documents, lifecycle, service
from ig.sharing.agreement_pages import agreement_context, agreement_input, fill_agreement_form
from ig.sharing.forms import (
    AgreementForm,
    DocumentForm,
    PartyForm,
    RenewForm,
    SignForm,
    TerminateForm,
)
from ig.sharing.models import PartyRole
from ig.sharing.pages import attach, notices_policy, policy, read_upload

bp = Blueprint("agreements", __name__, url_prefix="/agreements")


@bp.route("/new", methods=["GET", "POST"])
@requires("sharing.manage")
def new() -> Any:
    db = get_session()
    notices = notices_policy()
    form = fill_agreement_form(AgreementForm(), policy(), db, services=notices.services)
    if form.validate_on_submit():
        try:
            agreement = agreements.create_agreement(
                db, current_actor(), policy(), agreement_input(db, form), notices=notices
            )
        except ValidationFailed as error:
            attach(form, error)
        else:
            db.commit()
            flash(f"Agreement {agreement.reference} drafted: now add the other parties")
            return redirect(url_for(".show", agreement_id=agreement.id))
    return render_template(
        "sharing/agreement_form.html", form=form, agreement=None
    ), 422 if form.errors else 200


@bp.get("/<int:agreement_id>")
@requires("sharing.read")
def show(agreement_id: int) -> Any:
    db = get_session()
    agreement = service.get_agreement(db, agreement_id)
    actor = current_actor()
    context = agreement_context(
        db, agreement, actor, london_today(), policy(), notices_policy().services
    )
    dpias = list_dpias_for_agreement(db, agreement.id) if actor.can("dpia.read") else None
    return render_template(
        "sharing/agreement.html",
        party_form=PartyForm(),
        document_form=DocumentForm(),
        dpias=dpias,
        **context,
    )


@bp.route("/<int:agreement_id>/edit", methods=["GET", "POST"])
@requires("sharing.manage")
def edit(agreement_id: int) -> Any:
    db = get_session()
    agreement = service.get_agreement(db, agreement_id)
    notices = notices_policy()
    form = fill_agreement_form(
        AgreementForm(obj=None if request.method == "POST" else agreement),
        policy(),
        db,
        agreement,
        services=notices.services,
    )
    if form.validate_on_submit():
        try:
            agreements.update_agreement(
                db,
                current_actor(),
                policy(),
                agreement,
                agreement_input(db, form),
                form.version.data or 0,
                london_today(),
                notices=notices,
            )
        except ValidationFailed as error:
            attach(form, error)
        else:
            db.commit()
            flash("Agreement saved")
            return redirect(url_for(".show", agreement_id=agreement.id))
    return render_template(
        "sharing/agreement_form.html", form=form, agreement=agreement
    ), 422 if form.errors else 200


@bp.post("/<int:agreement_id>/parties")
@requires("sharing.manage")
def add_party(agreement_id: int) -> Any:
    db = get_session()
    agreement = service.get_agreement(db, agreement_id)
    form = PartyForm()
    if form.validate_on_submit():
        try:
            organisation = service.resolve_organisation(
                db, form.organisation.data or "", "organisation"
            )
            agreements.add_party(
                db,
                current_actor(),
                agreement,
                organisation.id,
                PartyRole(form.role.data),
                london_today(),
            )
        except ValidationFailed as error:
            attach(form, error)
        else:
            db.commit()
            flash(f"{organisation.name} added as a party")
            return redirect(url_for(".show", agreement_id=agreement.id))
    context = agreement_context(
        db, agreement, current_actor(), london_today(), policy(), notices_policy().services
    )
    return render_template(
        "sharing/agreement.html",
        party_form=form,
        document_form=DocumentForm(),
        form=form,
        **context,
    ), 422


@bp.post("/<int:agreement_id>/parties/<int:party_id>/remove")
@requires("sharing.manage")
def remove_party(agreement_id: int, party_id: int) -> Any:
    db = get_session()
    agreement = service.get_agreement(db, agreement_id)
    agreements.remove_party(db, current_actor(), agreement, party_id, london_today())
    db.commit()
    flash("Party removed")
    return redirect(url_for(".show", agreement_id=agreement.id))


@bp.route("/<int:agreement_id>/parties/<int:party_id>/sign", methods=["GET", "POST"])
@requires("sharing.sign")
def sign(agreement_id: int, party_id: int) -> Any:
    db = get_session()
    agreement = service.get_agreement(db, agreement_id)
    party = next((p for p in agreement.parties if p.id == party_id), None)
    if party is None:
        abort(404)
    form = SignForm()
    if form.validate_on_submit():
        data = lifecycle.SignatureInput(
            form.signatory_name.data or "",
            form.signatory_title.data or "",
            form.signed_on.data,
            form.evidence.data or "",  # type: ignore[arg-type]
        )
        try:
            lifecycle.sign_agreement(
                db, current_actor(), agreement, party.id, data, london_today(), utcnow()
            )
        except ValidationFailed as error:
            attach(form, error)
        else:
            db.commit()
            flash(f"Signature recorded for {party.organisation.name}")
            return redirect(url_for(".show", agreement_id=agreement.id))
    return render_template(
        "sharing/sign.html", form=form, agreement=agreement, party=party
    ), 422 if form.errors else 200


@bp.route("/<int:agreement_id>/renew", methods=["GET", "POST"])
@requires("sharing.manage")
def renew(agreement_id: int) -> Any:
    db = get_session()
    agreement = service.get_agreement(db, agreement_id)
    form = RenewForm()
    if form.validate_on_submit():
        try:
            renewal = lifecycle.renew_agreement(
                db,
                current_actor(),
                agreement,
                form.starts_on.data,
                form.review_on.data,
                form.ends_on.data,  # type: ignore[arg-type]
            )
        except ValidationFailed as error:
            attach(form, error)
        else:
            db.commit()
            flash(f"Version {renewal.revision} made: every party signs it again")
            return redirect(url_for(".show", agreement_id=renewal.id))
    return render_template(
        "sharing/renew.html", form=form, agreement=agreement
    ), 422 if form.errors else 200


@bp.route("/<int:agreement_id>/terminate", methods=["GET", "POST"])
@requires("sharing.manage")
def terminate(agreement_id: int) -> Any:
    db = get_session()
    agreement = service.get_agreement(db, agreement_id)
    form = TerminateForm()
    if form.validate_on_submit():
        try:
            lifecycle.terminate_agreement(
                db,
                current_actor(),
                agreement,
                form.terminated_on.data,
                form.reason.data or "",
                london_today(),  # type: ignore[arg-type]
            )
        except ValidationFailed as error:
            attach(form, error)
        else:
            db.commit()
            flash("Agreement terminated")
            return redirect(url_for(".show", agreement_id=agreement.id))
    return render_template(
        "sharing/terminate.html", form=form, agreement=agreement
    ), 422 if form.errors else 200


@bp.post("/<int:agreement_id>/documents")
@requires("sharing.manage")
def upload(agreement_id: int) -> Any:
    db = get_session()
    agreement = service.get_agreement(db, agreement_id)
    form = DocumentForm()
    if form.validate_on_submit():
        upload = form.document.data
        try:
            documents.store_document(
                db,
                current_actor(),
                agreement,
                upload.filename or "",
                read_upload(upload, policy().upload_max_bytes + 1),
                policy().upload_max_bytes,
                utcnow(),
            )
        except ValidationFailed as error:
            attach(form, error)
        else:
            db.commit()
            flash("Document uploaded")
            return redirect(url_for(".show", agreement_id=agreement.id))
    context = agreement_context(
        db, agreement, current_actor(), london_today(), policy(), notices_policy().services
    )
    return render_template(
        "sharing/agreement.html", party_form=PartyForm(), document_form=form, form=form, **context
    ), 422


@bp.get("/documents/<int:document_id>")
@requires("sharing.read")
def download(document_id: int) -> Any:
    db = get_session()
    document, data = documents.open_document(db, current_actor(), document_id)
    db.commit()  # the download is audited
    # Always an attachment, never shown inline: the browser does not render or run it.
    response = send_file(
        io.BytesIO(data),
        mimetype="application/pdf",
        as_attachment=True,
        download_name=document.original_name,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

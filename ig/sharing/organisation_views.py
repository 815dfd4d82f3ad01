"""The partner register: organisations, what is shared with each, signatories, CSV loads."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today
from ig.errors import ValidationFailed
from ig.people.models import OrganisationKind
from ig.sharing import gss, organisations, register, service
from ig.sharing.forms import (
    KIND_LABELS,
    LoadOrganisationsForm,
    OrganisationFilterForm,
    OrganisationForm,
    SignatoryForm,
)
from ig.sharing.pages import attach, policy, read_upload

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.get("/")
@requires("sharing.read")
def index() -> Any:
    form = OrganisationFilterForm(request.args)
    valid = not request.args or form.validate()
    page = service.list_organisations(
        get_session(),
        (form.q.data or None) if valid else None,
        OrganisationKind(form.kind.data) if valid and form.kind.data else None,
        page=request.args.get("page", 1, type=int) or 1,
        unsigned_on=form.unsigned_on.data if valid else None,
        notice_days=policy().review_notice_days,
    )
    return render_template("sharing/organisations.html", page=page, form=form, kinds=KIND_LABELS)


@bp.get("/<int:organisation_id>")
@requires("sharing.read")
def show(organisation_id: int) -> Any:
    db = get_session()
    organisation = service.get_organisation(db, organisation_id)
    notice = policy().review_notice_days
    filters = register.RegisterFilter(organisation_id=organisation.id)
    page_number = request.args.get("page", 1, type=int) or 1
    return render_template(
        "sharing/organisation.html",
        organisation=organisation,
        kind_label=KIND_LABELS[organisation.kind],
        counts=register.state_counts(db, organisation.id, london_today(), notice),
        categories=[
            policy().label("categories", key)
            for key in register.categories_in_force(db, organisation.id, london_today(), notice)
        ],
        page=register.list_agreements(db, filters, london_today(), notice, page=page_number),
        signatories=organisations.list_signatories(db, organisation.id),
        listing=gss.find_council_listing(db, organisation),
    )


def _input(form: OrganisationForm) -> organisations.OrganisationInput:
    return organisations.OrganisationInput(
        name=form.name.data or "",
        kind=OrganisationKind(form.kind.data),
        code=form.code.data,
        address=form.address.data or "",
        assurance_status=form.assurance_status.data or "",
        assurance_on=form.assurance_on.data,
        dpo_contact=form.dpo_contact.data or "",
        is_self=bool(form.is_self.data),
    )


@bp.route("/new", methods=["GET", "POST"])
@requires("organisations.manage")
def new() -> Any:
    db = get_session()
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = organisations.create_organisation(db, current_actor(), _input(form))
        except ValidationFailed as error:
            attach(form, error)
        else:
            db.commit()
            flash(f"{organisation.name} added to the partner register")
            return redirect(url_for(".show", organisation_id=organisation.id))
    status = 422 if form.errors else 200
    return render_template("sharing/organisation_form.html", form=form, organisation=None), status


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@requires("organisations.manage")
def edit(organisation_id: int) -> Any:
    db = get_session()
    organisation = service.get_organisation(db, organisation_id)
    form = OrganisationForm(obj=organisation if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = organisation.kind.value
    if form.validate_on_submit():
        try:
            organisations.update_organisation(
                db, current_actor(), organisation, _input(form), form.version.data or 0
            )
        except ValidationFailed as error:
            attach(form, error)
        else:
            db.commit()
            flash("Organisation saved")
            return redirect(url_for(".show", organisation_id=organisation.id))
    status = 422 if form.errors else 200
    return render_template(
        "sharing/organisation_form.html", form=form, organisation=organisation
    ), status


@bp.route("/<int:organisation_id>/signatories", methods=["GET", "POST"])
@requires("organisations.manage")
def add_signatory(organisation_id: int) -> Any:
    db = get_session()
    organisation = service.get_organisation(db, organisation_id)
    form = SignatoryForm()
    if form.validate_on_submit():
        try:
            user = organisations.add_signatory(
                db, current_actor(), organisation, form.email.data or ""
            )
        except ValidationFailed as error:
            attach(form, error)
        else:
            db.commit()
            flash(f"{user.name} can now sign for {organisation.name}")
            return redirect(url_for(".show", organisation_id=organisation.id))
    status = 422 if form.errors else 200
    return render_template(
        "sharing/signatory_form.html", form=form, organisation=organisation
    ), status


@bp.route("/load", methods=["GET", "POST"])
@requires("organisations.manage")
def load() -> Any:
    db = get_session()
    form = LoadOrganisationsForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            text = read_upload(upload, 8 * 1024 * 1024).decode("utf-8-sig")
            result = organisations.load_organisations_csv(
                db, current_actor(), text, upload.filename or "upload.csv"
            )
        except UnicodeDecodeError:
            attach(form, ValidationFailed("file", "The file must be a CSV saved as UTF-8"))
        except ValidationFailed as error:
            attach(form, error)
        else:
            db.commit()
            flash(
                f"Loaded: {result.added} added, {result.updated} renamed, "
                f"{result.unchanged} unchanged"
            )
            return redirect(url_for(".index"))
    status = 422 if form.errors else 200
    return render_template("sharing/load_organisations.html", form=form), status

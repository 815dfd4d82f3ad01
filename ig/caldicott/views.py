"""Decision log pages: raising a request, the decision page, assessment, sign-off, amendment."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm

from ig.auth.access import current_actor, requires
from ig.caldicott import forms, links, present, rules, service
from ig.caldicott.integrity import signed_content
from ig.caldicott.policy import CaldicottPolicy
from ig.db import get_session, utcnow
from ig.errors import ValidationFailed
from ig.people import pickers
from ig.people.forms import optional_id
from ig.people.picker_views import picked_in

bp = Blueprint("caldicott", __name__, url_prefix="/caldicott")


def policy() -> CaldicottPolicy:
    return current_app.extensions["ig.policies"].caldicott  # type: ignore[no-any-return]


def invalid(form: FlaskForm, error: ValidationFailed, template: str, **context: Any) -> Any:
    """Show a service's refusal beside the field it names (or the first field); beside
    a picker's text for its chosen id."""
    name = "organisation_name" if error.field == "organisation_id" else error.field
    field = getattr(form, name, None) or next(iter(form))
    field.errors = [error.message]
    return render_template(template, form=form, **context), 422


def _prefill() -> dict[str, Any]:
    """Values passed by a link, such as the "may we share?" check's "ask the Guardian"."""
    args = request.args
    return {
        "received_on": utcnow().date(),
        "purpose": args.get("purpose", "")[: forms.TEXT],
        "categories": rules.parse_categories(args.get("categories", ""), policy().data_categories),
        "request_type": args.get("type") if args.get("type") in policy().request_types else None,
        "channel": "form",
    }


@bp.route("/requests/new", methods=["GET", "POST"])
@requires("caldicott.request")
def new_request() -> Any:
    form = forms.RequestForm(data=None if request.method == "POST" else _prefill())
    form.set_choices(policy())
    valid = form.validate_on_submit()
    asking = picked_in(
        pickers.ORGANISATIONS,
        form.organisation_name,
        form.organisation_id,
        current=optional_id(request.args.get("organisation")),  # from "ask the Guardian"
        required="Enter the organisation asking",
    )
    if valid and not form.errors:
        session = get_session()
        try:
            created = service.raise_request(
                session, current_actor(), policy(), _new_request(form, asking.chosen), utcnow()
            )
        except ValidationFailed as error:
            return invalid(form, error, "caldicott/new.html", organisation=asking)
        session.commit()
        flash(f"Request {created.reference} raised")
        return redirect(url_for(".show", reference=created.reference))
    return render_template("caldicott/new.html", form=form, organisation=asking), (
        422 if form.errors else 200
    )


def _new_request(
    form: forms.RequestForm, organisation: pickers.Choice | None
) -> service.NewRequest:
    # The form has validated: both dates are present (InputRequired).
    return service.NewRequest(
        received_on=cast(dt.date, form.received_on.data),
        requester_name=form.requester_name.data,
        requester_role=form.requester_role.data,
        organisation_id=organisation.id if organisation else None,
        channel=form.channel.data,
        request_type=form.request_type.data,
        urgency=form.urgency.data,
        purpose=form.purpose.data,
        information=form.information.data,
        categories=tuple(form.categories.data or ()),
        people_count=form.people_count.data,
        includes_deceased=form.includes_deceased.data == "yes",
        needed_by=cast(dt.date, form.needed_by.data),
        case_details=form.case_details.data,
        identifiers=tuple(rules.split_lines(form.identifiers.data or "")),
    )


@bp.get("/requests/<reference>")
@requires("caldicott.view")
def show(reference: str) -> Any:
    session, actor, now = get_session(), current_actor(), utcnow()
    found = service.get_request(session, actor, reference)
    service.record_detail_viewed(session, actor, found, now)
    session.commit()
    can_read = actor.can("caldicott.read")
    return render_template(
        "caldicott/show.html",
        view=present.request_view(policy(), found, now.date()),
        versions=present.history(policy(), found) if can_read else [],
        decision=present.version_view(policy(), found, found.versions[found.signed_number - 1])
        if found.signed_number
        else None,
        earlier=service.earlier_decisions(session, found) if can_read else [],
        links=links.link_views(session, found),
        actions=present.actions(actor, found),
    )


@bp.get("/requests/<reference>/record")
@requires("caldicott.read")
def printable(reference: str) -> Any:
    session, actor, now = get_session(), current_actor(), utcnow()
    found = service.get_request(session, actor, reference)
    service.record_detail_viewed(session, actor, found, now, what="printable record")
    session.commit()
    return render_template(
        "caldicott/record.html",
        printed_at=now,
        view=present.request_view(policy(), found, now.date()),
        versions=present.history(policy(), found),
    )


@bp.get("/requests/<reference>/versions/<int:number>/signed.json")
@requires("caldicott.read")
def signed_record(reference: str, number: int) -> Any:
    """Exactly what was signed, byte for byte: its SHA-256 is the digest shown."""
    session, actor, now = get_session(), current_actor(), utcnow()
    found = service.get_request(session, actor, reference)
    version = next((v for v in found.versions if v.number == number and v.is_signed), None)
    if version is None:
        abort(404)
    service.record_detail_viewed(session, actor, found, now, what=f"signed version {number}")
    session.commit()
    return Response(
        rules.canonical_json(signed_content(found, version)).encode("utf-8"),
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename={reference}-v{number}.json"},
    )

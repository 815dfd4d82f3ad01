"""Incident pages for everyone: reporting, the register, the dashboard and reading a record."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect
from wtforms import BooleanField, SelectField

from ig.auth.access import current_actor, requires
from ig.db import get_session, utcnow
from ig.errors import ValidationFailed
from ig.incidents import involved, register, service
from ig.incidents.dashboard import build_dashboard
from ig.incidents.export import export_csv
from ig.incidents.fields import london_instant, yes
from ig.incidents.forms import FilterForm, LookupForm, ReportForm
from ig.incidents.ico_report import build_ico_report
from ig.incidents.models import Kind, Status
from ig.incidents.policy import IncidentsPolicy
from ig.incidents.report_filters import NO_TYPE
from ig.incidents.summary import KIND_LABELS, NOT_TRIAGED, incident_view, register_deadlines
from ig.people import pickers
from ig.people.picker_views import filter_id, picked_from, picked_in
from ig.people.service import find_staff_for_user

bp = Blueprint("incidents", __name__, url_prefix="/incidents")


def policy() -> IncidentsPolicy:
    return current_app.extensions["ig.policies"].incidents  # type: ignore[no-any-return]


def attach(form: Any, error: ValidationFailed) -> None:
    """Show a service's refusal beside the field it names (or the first field); beside
    the team picker's text for its chosen id."""
    name = "team_name" if error.field == "team_id" and hasattr(form, "team_name") else error.field
    field = getattr(form, name, None) or next(iter(form))
    field.errors = [*field.errors, error.message]


class RegisterForm(FilterForm):
    """The register's filters, with breach or near miss and both regulators' deadlines."""

    kind = SelectField(
        "Breach or near miss",
        choices={"": "Any", **{k.value: KIND_LABELS[k.value] for k in Kind}},
        widget=GovSelect(),
        default="",
    )
    overdue = BooleanField(
        "Only past a 72-hour deadline (ICO or DHSC) with something still to do",
        widget=GovCheckboxInput(),
    )


def filter_form() -> tuple[RegisterForm, register.RegisterFilter, pickers.Picked]:
    """The register's filter form from the query string, the filter it asks for, and
    the team typed or chosen."""
    form = RegisterForm(request.args)
    form.status.choices = {"": "Any", **{s.value: s.value.capitalize() for s in Status}}
    form.incident_type.choices = {"": "Any", **policy().types, NO_TYPE: "Not recorded"}
    if request.args and not form.validate():
        # As the audit trail does: errors shown, all listed.
        return form, register.RegisterFilter(), pickers.Picked(form.team_name.data or "")
    team = picked_from(pickers.TEAMS, form.team_name, form.team_id)
    return form, _register_filter(form, team), team


def _register_filter(form: RegisterForm, team: pickers.Picked) -> register.RegisterFilter:
    return register.RegisterFilter(
        status=Status(form.status.data) if form.status.data else None,
        incident_type=form.incident_type.data or None,
        types=tuple(policy().types),
        team_id=filter_id(team),
        date_from=form.date_from.data,
        date_to=form.date_to.data,
        notifiable={"yes": True, "no": False}.get(form.notifiable.data or ""),
        overdue=bool(form.overdue.data),
        reference=form.reference.data or None,
        kind=Kind(form.kind.data) if form.kind.data else None,
        counted=bool(form.counted.data),
        grade=form.grade.data or None,
        notified=form.notified.data or None,
        open_on=form.open_on.data,
    )


@bp.get("/")
@requires("incidents.read_own")
def index() -> Any:
    form, filters, team = filter_form()
    session, now = get_session(), utcnow()
    page = register.list_incidents(
        session,
        current_actor(),
        filters,
        now,
        sort=form.sort.data or "reported",
        descending=form.order.data != "asc",
        page=max(request.args.get("page", 1, type=int) or 1, 1),
    )
    return render_template(
        "incidents/index.html",
        form=form,
        team=team,
        page=page,
        types=policy().types,
        deadlines=register_deadlines(session, [row[0] for row in page.rows], now),
        kind_labels=KIND_LABELS,
        not_triaged=NOT_TRIAGED,
    )


@bp.get("/export.csv")
@requires("incidents.export")
def export() -> Any:
    _, filters, _team = filter_form()
    session = get_session()
    chunks = list(export_csv(session, current_actor(), filters, utcnow()))
    session.commit()  # the export is audited
    return Response(
        chunks,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=incident-register.csv"},
    )


@bp.get("/dashboard")
@requires("incidents.read")
def dashboard() -> Any:
    figures = build_dashboard(get_session(), policy(), utcnow())
    return render_template("incidents/dashboard.html", d=figures)


@bp.route("/report", methods=["GET", "POST"])
@requires("incidents.report")
def report() -> Any:
    session, actor = get_session(), current_actor()
    form = ReportForm()
    valid = form.validate_on_submit()
    own = find_staff_for_user(session, actor.user_id)
    team = picked_in(
        pickers.TEAMS,
        form.team_name,
        form.team_id,
        current=own.team_id if own else None,  # the reporter's own team to start with
        required="Enter the team involved",
    )
    if valid and not form.errors and team.chosen:
        try:
            incident = service.report_incident(
                session, actor, policy(), _report(form, team.chosen.id), utcnow()
            )
        except ValidationFailed as error:
            attach(form, error)
        else:
            session.commit()
            flash(f"Incident {incident.reference} reported. The IG team has been told.")
            return redirect(url_for("incidents.show", ref=incident.reference))
    return render_template("incidents/report.html", form=form, team=team), (
        422 if form.errors else 200
    )


def _report(form: ReportForm, team_id: int) -> service.Report:
    occurred = london_instant(form.occurred_on.data, form.occurred_time.data)
    found = london_instant(form.found_on.data, form.found_time.data)
    if occurred is None:
        raise ValidationFailed("occurred_on", "Enter when it happened")
    if found is None:
        raise ValidationFailed("found_on", "Enter when you found out")
    return service.Report(
        form.narrative.data or "",
        occurred,
        found,
        team_id,
        yes(form.is_ongoing.data),
    )


@bp.route("/lookup", methods=["GET", "POST"])
@requires("incidents.read")
def lookup() -> Any:
    # POST, so that a person's identifier never sits in a URL or a server log.
    form, found = LookupForm(), None
    if form.validate_on_submit():
        session = get_session()
        found = involved.find_incidents_affecting(
            session, current_actor(), form.identifier.data or "", utcnow()
        )
        session.commit()  # the look-up is audited
    return render_template(
        "incidents/lookup.html", form=form, found=found
    ), 422 if form.errors else 200


def _page(ref: str, template: str, purpose: str) -> Any:
    session, actor, now = get_session(), current_actor(), utcnow()
    incident = service.get_incident(session, actor, ref, full=True)
    service.note_detail_viewed(session, actor, incident, purpose, now)
    view = incident_view(session, actor, policy(), incident, now)
    session.commit()  # the reading is audited
    return render_template(template, **view)


@bp.get("/<ref>")
@requires("incidents.read_own")
def show(ref: str) -> Any:
    return _page(ref, "incidents/show.html", "incident page")


@bp.get("/<ref>/ico-report")
@requires("incidents.read")
def ico_report(ref: str) -> Any:
    session, actor, now = get_session(), current_actor(), utcnow()
    incident = service.get_incident(session, actor, ref, full=True)
    service.note_detail_viewed(session, actor, incident, "ICO report", now)
    report = build_ico_report(session, policy(), incident, now)
    session.commit()  # the reading is audited
    return render_template("incidents/ico_report.html", report=report)


@bp.get("/<ref>/print")
@requires("incidents.read")
def printable(ref: str) -> Any:
    return _page(ref, "incidents/print.html", "printable view")

"""Record of processing activities pages: the register, an activity, adding and editing,
the exports in the ICO template's columns and the printable record."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.dpia.linked import list_dpias_for_activity
from ig.errors import ValidationFailed
from ig.people import pickers
from ig.people.picker_views import picked_in, suggestions
from ig.processing import register, service
from ig.processing.export import activities_csv, activities_xlsx, columns, row
from ig.processing.forms import ActivityFilterForm, ActivityForm, EditActivityForm
from ig.processing.models import ProcessingActivity
from ig.processing.policy import ProcessingPolicy
from ig.processing.presenter import (
    activity_input,
    filters_from,
    form_data,
    set_choices,
    summary_rows,
)
from ig.processing.related import ExportRecords, export_records
from ig.processing.rules import BASIS_LABELS, ROLE_LABELS, Role

bp = Blueprint("processing", __name__, url_prefix="/processing")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _policy() -> ProcessingPolicy:
    return current_app.extensions["ig.policies"].processing


@bp.get("/")
@requires("processing.read")
def index() -> Any:
    form = ActivityFilterForm(request.args)
    filters = filters_from(form)
    page = register.list_activities(
        get_session(), filters, page=request.args.get("page", 1, type=int) or 1
    )
    actor = current_actor()
    return render_template(
        "processing/index.html",
        form=form,
        page=page,
        role=filters.role,
        roles=ROLE_LABELS,
        basis_labels=BASIS_LABELS,
        tab_args={k: v for k, v in request.args.items() if k not in ("role", "page")},
        can_manage=actor.can("processing.manage"),
        can_export=actor.can("processing.export"),
    )


@bp.get("/people/search")
@requires("processing.manage")
def people_suggestions() -> Any:
    """Active users, for an activity's owner: for those who may record activities only."""
    return suggestions(pickers.USERS)


def _export(how: str) -> tuple[Role, list[ProcessingActivity], ExportRecords]:
    filters = filters_from(ActivityFilterForm(request.args))
    session = get_session()
    activities = register.export_activities(session, current_actor(), filters, how, utcnow())
    records = export_records(session, [a.id for a in activities])
    session.commit()  # the reading is audited
    return filters.role, activities, records


def _link(endpoint: str, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values)


def _download(body: str | bytes, mimetype: str, role: Role, suffix: str) -> Response:
    name = f"record-of-processing-{role.value}-{london_today()}.{suffix}"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"}
    )


@bp.get("/export.csv")
@requires("processing.export")
def export_csv() -> Any:
    role, activities, records = _export("csv")
    body = activities_csv(role, activities, _policy(), records, _link)
    return _download(body, "text/csv", role, "csv")


@bp.get("/export.xlsx")
@requires("processing.export")
def export_xlsx() -> Any:
    role, activities, records = _export("xlsx")
    body = activities_xlsx(role, activities, _policy(), records, _link)
    return _download(body, XLSX, role, "xlsx")


@bp.get("/print")
@requires("processing.export")
def printable() -> Any:
    role, activities, records = _export("print")
    rows = [(a.name, row(a, _policy(), records, _link)) for a in activities]
    return render_template(
        "processing/print.html", role_label=ROLE_LABELS[role], columns=columns(role), rows=rows
    )


def _owner(form: ActivityForm, activity: ProcessingActivity | None) -> pickers.Picked:
    return picked_in(
        pickers.USERS,
        form.owner_name,
        form.owner_user_id,
        current=activity.owner_user_id if activity else current_actor().user_id,
        required="Enter the activity's owner",
    )


def _refused(form: ActivityForm, failed: ValidationFailed) -> None:
    field = "owner_name" if failed.field == "owner_user_id" else failed.field
    getattr(form, field).errors = [failed.message]


def _save(form: ActivityForm, activity: ProcessingActivity | None) -> Any:
    set_choices(form, _policy())
    valid = form.validate_on_submit()
    owner = _owner(form, activity)
    if valid and not form.errors:
        session, actor = get_session(), current_actor()
        try:
            if activity is None:
                activity = service.create_activity(
                    session, actor, _policy(), activity_input(form), utcnow()
                )
            else:
                assert isinstance(form, EditActivityForm)
                service.update_activity(
                    session,
                    actor,
                    _policy(),
                    activity.id,
                    activity_input(form),
                    form.version.data,
                    utcnow(),
                )
            session.commit()
            return redirect(url_for("processing.show", activity_id=activity.id))
        except ValidationFailed as failed:  # refused before anything was written
            _refused(form, failed)
    page = render_template("processing/form.html", form=form, activity=activity, owner=owner)
    return page, (422 if form.errors else 200)


@bp.route("/new", methods=["GET", "POST"])
@requires("processing.manage")
def new() -> Any:
    return _save(ActivityForm(), None)


@bp.get("/<int:activity_id>")
@requires("processing.read")
def show(activity_id: int) -> Any:
    activity = service.get_activity(get_session(), activity_id)
    assets = service.linked_assets(get_session(), [activity.id])[activity.id]
    actor = current_actor()
    return render_template(
        "processing/show.html",
        activity=activity,
        details=summary_rows(activity, _policy(), assets),
        can_manage=actor.can("processing.manage"),
        dpias=list_dpias_for_activity(get_session(), activity.id)
        if actor.can("dpia.read")
        else None,
    )


@bp.route("/<int:activity_id>/edit", methods=["GET", "POST"])
@requires("processing.manage")
def edit(activity_id: int) -> Any:
    activity = service.get_activity(get_session(), activity_id)
    assets = service.linked_assets(get_session(), [activity.id])[activity.id]
    return _save(EditActivityForm(data=form_data(activity, assets)), activity)

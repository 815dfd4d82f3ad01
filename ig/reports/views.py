"""The IG report's pages: the stored reports, generating one, the board paper, the
scrutiny-panel version and each section as CSV."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.routing import BuildError

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today, utcnow
from ig.errors import ValidationFailed
from ig.reports import service
from ig.reports.export import section_csv
from ig.reports.forms import GenerateForm
from ig.reports.policy import ReportsPolicy
from ig.reports.present import present_report
from ig.reports.rules import parse_quarter, quarter_containing, quarters_ending

bp = Blueprint("reports", __name__, url_prefix="/reports")
# Read once: the report's own style sheet, served to its readers only.


def _policy() -> ReportsPolicy:
    return current_app.extensions["ig.policies"].reports  # type: ignore[no-any-return]


def _form() -> GenerateForm:
    """The form, offering the completed quarters of the trend, newest first."""
    policy = _policy()
    starts = policy.year_starts_month
    current = quarter_containing(london_today(), starts)
    last = quarters_ending(current, 2, starts)[0]
    choices = quarters_ending(last, policy.trend_quarters, starts)[::-1]
    form = GenerateForm()
    form.quarter.choices = {"": "Choose a quarter", **{q.key: q.long_label for q in choices}}
    return form


def _index(form: GenerateForm) -> str:
    page = service.list_reports(get_session(), request.args.get("page", 1, type=int) or 1)
    return render_template(
        "reports/index.html",
        form=form,
        page=page,
        can_generate=current_actor().can(service.GENERATE),
    )


@bp.get("/")
@requires("reports.read")
def index() -> Any:
    return _index(_form())


def _period(form: GenerateForm) -> tuple[dt.date | None, dt.date | None]:
    if form.for_dates.data:
        return form.start.data, form.end.data
    q = parse_quarter(form.quarter.data or "", _policy().year_starts_month)
    return q.start, q.end


@bp.post("/")
@requires(service.GENERATE)
def generate() -> Any:
    form = _form()
    if form.validate_on_submit():
        try:
            start, end = _period(form)
            report = service.generate_report(
                get_session(),
                current_actor(),
                current_app.extensions["ig.policies"],
                current_app.extensions["ig.report_sections"],
                start,
                end,
                utcnow(),
            )
            get_session().commit()
            return redirect(url_for("reports.show", report_id=report.id))
        except ValidationFailed as failed:
            getattr(form, failed.field).errors = [failed.message]
    return _index(form), 422


def _link(endpoint: str, args: Mapping[str, Any], permission: str | None) -> str | None:
    """The records behind a figure, for a reader allowed to see them."""
    if permission and not current_actor().can(permission):
        return None
    try:
        return url_for(endpoint, **args)
    except BuildError:  # a page a stored report named that no longer exists
        return None


def _show(report_id: int, *, scrutiny: bool) -> str:
    report = service.get_report(get_session(), report_id)
    policy = _policy()
    view = present_report(report, _link, scrutiny=scrutiny, threshold=policy.suppression_threshold)
    return render_template(
        "reports/show.html",
        report=view,
        print_view=not scrutiny,
        marking=policy.protective_marking,
    )


@bp.get("/<int:report_id>")
@requires("reports.read")
def show(report_id: int) -> Any:
    return _show(report_id, scrutiny=False)


@bp.get("/<int:report_id>/scrutiny")
@requires("reports.read")
def scrutiny(report_id: int) -> Any:
    return _show(report_id, scrutiny=True)


def _csv(report_id: int, key: str, *, scrutiny: bool) -> Response:
    report = service.get_report(get_session(), report_id)
    text = section_csv(report, key, scrutiny=scrutiny, threshold=_policy().suppression_threshold)
    name = f"ig-report-{report.id}-{key}{'-scrutiny' if scrutiny else ''}.csv"
    return Response(
        text, mimetype="text/csv", headers={"Content-Disposition": f"attachment; filename={name}"}
    )


@bp.get("/<int:report_id>/<string(minlength=1, maxlength=40):key>.csv")
@requires("reports.read")
def section(report_id: int, key: str) -> Any:
    return _csv(report_id, key, scrutiny=False)


@bp.get("/<int:report_id>/scrutiny/<string(minlength=1, maxlength=40):key>.csv")
@requires("reports.read")
def scrutiny_section(report_id: int, key: str) -> Any:
    return _csv(report_id, key, scrutiny=True)

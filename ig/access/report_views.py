"""The access report: who held which access on any date, or had it removed between two,
per asset or per team, and CSV."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, render_template, request

from ig.access.forms import ReportForm
from ig.access.pick import ASSETS
from ig.access.policy import AccessPolicy
from ig.access.report import ReportFilter, access_report, access_report_csv
from ig.access.views import bp
from ig.auth.access import requires
from ig.db import get_session, london_today
from ig.people import pickers
from ig.people.picker_views import filter_id, picked_from, suggestions


def _policy() -> AccessPolicy:
    return current_app.extensions["ig.policies"].access


def _filters() -> tuple[ReportForm, ReportFilter, pickers.Picked, pickers.Picked]:
    form = ReportForm(request.args)
    today = london_today()
    if not form.validate():
        # Nothing matches a refused filter: the page shows why, never unfiltered rows.
        empty = ReportFilter(today, asset_id=-1)
        return form, empty, pickers.Picked(form.asset_name.data or ""), pickers.Picked()
    asset = picked_from(ASSETS, form.asset_name, form.asset)
    team = picked_from(pickers.TEAMS, form.team_name, form.team)
    filters = ReportFilter(
        form.on.data or today,
        filter_id(asset),
        filter_id(team),
        bool(form.leavers.data),
        form.removed_from.data,
        form.removed_to.data,
    )
    return form, filters, asset, team


def _csv_name(filters: ReportFilter) -> str:
    if filters.is_removals:
        return (
            f"access-removed-{filters.removed_from or 'any'}-to-{filters.removed_to or 'any'}.csv"
        )
    return f"access-held-{filters.on}.csv"


@bp.get("/report/assets/search")
@requires("access.report")
def report_asset_suggestions() -> Any:
    return suggestions(ASSETS)


@bp.get("/report")
@requires("access.report")
def report() -> Any:
    form, filters, asset, team = _filters()
    page = access_report(
        get_session(), _policy(), filters, request.args.get("page", 1, type=int) or 1
    )
    return render_template(
        "access/report.html", form=form, filters=filters, asset=asset, team=team, page=page
    )


@bp.get("/report.csv")
@requires("access.report")
def report_csv() -> Any:
    _form, filters, _asset, _team = _filters()
    return Response(
        access_report_csv(get_session(), _policy(), filters),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={_csv_name(filters)}"},
    )

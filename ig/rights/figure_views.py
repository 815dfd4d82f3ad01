"""The information rights figures page, its CSV and its API: on time month by month by
kind, open requests by days left, the year's pauses and extensions."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response, current_app, jsonify, render_template

from ig.api import endpoint
from ig.auth.access import requires
from ig.charts import bars, percent_bars
from ig.csv_cells import safe_cell
from ig.db import get_session, london_today
from ig.rights.dashboard import RightsFigures, rights_figures
from ig.rights.policy import RightsPolicy
from ig.rights.views import bp

CSV_HEADER = ["month", "kind", "answered", "on time", "percent on time", "target"]


def _policy() -> RightsPolicy:
    return current_app.extensions["ig.policies"].rights


def _figures() -> RightsFigures:
    return rights_figures(get_session(), _policy(), london_today())


def _rows(figures: RightsFigures, policy: RightsPolicy) -> list[dict[str, Any]]:
    """One row a kind a month, for the CSV and the API."""
    return [
        {
            "month": month.label,
            "kind": kind,
            "answered": month.kinds[kind].answered,
            "on_time": month.kinds[kind].on_time,
            "percent_on_time": month.kinds[kind].percent,
            "target": policy.types[kind].on_time_target,
        }
        for month in figures.months
        for kind in figures.kinds
        if kind in month.kinds
    ]


@bp.get("/figures")
@requires("rights.read")
def figures() -> Any:
    found = _figures()
    answered = [m for m in found.months if m.overall.answered]
    return render_template(
        "rights/figures.html",
        figures=found,
        policy=_policy(),
        month_bars=percent_bars((m.label, m.overall.percent or 0.0) for m in answered),
        open_bars=bars(found.open_bands),
    )


@bp.get("/figures.csv")
@requires("rights.read")
def figures_csv() -> Any:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in _rows(_figures(), _policy()):
        writer.writerow([safe_cell("" if value is None else value) for value in row.values()])
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=information-rights-figures.csv"},
    )


FIGURES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "months": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "month": {"type": "string"},
                    "kind": {"type": "string"},
                    "answered": {"type": "integer"},
                    "on_time": {"type": "integer"},
                    "percent_on_time": {"type": ["number", "null"]},
                    "target": {"type": "integer"},
                },
            },
        },
        "open_by_days_left": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"band": {"type": "string"}, "requests": {"type": "integer"}},
            },
        },
        "paused": {"type": "integer"},
        "extended": {"type": "integer"},
    },
}


@endpoint(
    "/rights/figures",
    "GET",
    "Information rights figures: on time month by month by kind, open by days left",
    "rights.read",
    response=FIGURES_SCHEMA,
)
def figures_api() -> Any:
    found = _figures()
    return jsonify(
        {
            "months": _rows(found, _policy()),
            "open_by_days_left": [
                {"band": band, "requests": count} for band, count in found.open_bands
            ],
            "paused": found.paused,
            "extended": found.extended,
        }
    )

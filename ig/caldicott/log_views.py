"""Log pages: the filtered log, its CSV export, the Guardian's queue and the figures."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request, stream_with_context

from ig.auth.access import current_actor, requires
from ig.caldicott import log, present, rules
from ig.caldicott.log_forms import LogFilterForm
from ig.caldicott.views import bp, policy
from ig.db import get_session, utcnow
from ig.people import pickers
from ig.people.picker_views import filter_id, picked_from


def _filters() -> tuple[LogFilterForm, log.LogFilter, pickers.Picked]:
    form = LogFilterForm(request.args)
    form.set_choices(policy())
    if request.args and not form.validate():
        return form, log.LogFilter(), pickers.Picked(form.organisation_name.data or "")
    picked = picked_from(pickers.ORGANISATIONS, form.organisation_name, form.organisation)
    return (
        form,
        log.LogFilter(
            status=form.status.data or None,
            request_type=form.request_type.data or None,
            outcome=form.outcome.data or None,
            organisation_id=filter_id(picked),
            received_from=form.received_from.data,
            received_to=form.received_to.data,
            decided_from=form.decided_from.data,
            decided_to=form.decided_to.data,
            awaiting_on=form.awaiting_on.data,
            first_outcome=form.first_outcome.data or None,
            on_time=bool(form.on_time.data),
            sort=form.sort.data or "received",
            descending=form.order.data != "asc",
        ),
        picked,
    )


@bp.get("/")
@requires("caldicott.view")
def index() -> Any:
    form, filters, organisation = _filters()
    actor, today = current_actor(), utcnow().date()
    page = log.list_log(
        get_session(),
        actor,
        policy(),
        filters,
        today,
        page=request.args.get("page", 1, type=int) or 1,
    )
    rows = [(r, present.row_labels(policy(), r, today)) for r in page.rows]
    status = 422 if form.errors else 200
    return render_template(
        "caldicott/index.html",
        form=form,
        organisation=organisation,
        page=page,
        rows=rows,
        own_only=not actor.can("caldicott.read"),
    ), status


@bp.get("/export.csv")
@requires("caldicott.export")
def export() -> Any:
    _form, filters, _picked = _filters()
    actor, today = current_actor(), utcnow().date()
    rows = log.iter_log(get_session(), actor, policy(), filters, today)
    return Response(
        stream_with_context(log.csv_lines(rows, policy(), today)),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=caldicott-log.csv"},
    )


@bp.get("/queue")
@requires("caldicott.read")
def queue() -> Any:
    today = utcnow().date()
    found = log.guardian_queue(get_session(), policy(), today)
    labels = {
        r.id: present.row_labels(policy(), r, today)
        for r in [*found.awaiting_decision, *found.reviews_due]
    }
    return render_template("caldicott/queue.html", queue=found, labels=labels, today=today)


@bp.get("/figures")
@requires("caldicott.read")
def figures() -> Any:
    this_year = log.financial_year(utcnow().date())
    year = request.args.get("year", this_year, type=int) or this_year
    year = min(max(year, 2000), this_year)
    found = log.annual_figures(get_session(), year)
    return render_template(
        "caldicott/figures.html",
        figures=found,
        year=year,
        chart=present.outcome_chart(found),
        this_year=this_year,
        type_label=lambda key: policy().label("request_types", key),
        outcome_label=lambda key: rules.OUTCOME_LABELS.get(key, key),
    )

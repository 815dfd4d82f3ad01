"""The sharing register, its calendar and CSV export, and the "may we share?" page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, render_template, request, url_for

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today
from ig.errors import DomainError
from ig.sharing import (
    agreement_views,
    organisation_views,
    register,
    service,
    tasks,  # noqa: F401 - registers the home-page tasks
)
from ig.sharing.forms import CheckForm, RegisterFilterForm, with_choices
from ig.sharing.pages import attach, caldicott_link, policy
from ig.sharing.rules import AgreementState
from ig.sharing.states import IN_FORCE_CHOICE

bp = Blueprint("sharing", __name__, url_prefix="/sharing")
bp.register_blueprint(agreement_views.bp)
bp.register_blueprint(organisation_views.bp)


def _filters(form: RegisterFilterForm) -> register.RegisterFilter:
    """The register filter from valid form input (a partner that matches nothing: none)."""
    partner_id = None
    if form.partner.data:
        try:
            partner_id = service.resolve_organisation(
                get_session(), form.partner.data, "partner"
            ).id
        except DomainError as error:
            attach(form, error)  # type: ignore[arg-type]
            partner_id = -1
    in_force = form.state.data == IN_FORCE_CHOICE
    return register.RegisterFilter(
        organisation_id=partner_id,
        state=None if in_force or not form.state.data else AgreementState(form.state.data),
        in_force=in_force,
        on=form.on.data,
        lawful_basis=form.lawful_basis.data or None,
        review_from=form.review_from.data,
        review_to=form.review_to.data,
        end_from=form.end_from.data,
        end_to=form.end_to.data,
        search=form.search.data or None,
        open_only=form.open_only.data == "1",
    )


def _filter_form() -> tuple[RegisterFilterForm, register.RegisterFilter]:
    form = RegisterFilterForm(request.args)
    with_choices(form.lawful_basis, dict(policy().lawful_bases), "Any")
    if request.args and not form.validate():
        return form, register.RegisterFilter()
    return form, _filters(form)


@bp.get("/")
@requires("sharing.read")
def index() -> Any:
    form, filters = _filter_form()
    sort = request.args.get("sort", "reference")
    page = register.list_agreements(
        get_session(),
        filters,
        london_today(),
        policy().review_notice_days,
        sort=sort,
        descending=request.args.get("order") == "desc",
        page=request.args.get("page", 1, type=int) or 1,
    )
    args = {k: request.args.getlist(k) for k in request.args if k not in ("sort", "order", "page")}
    status = 422 if form.errors else 200
    return render_template(
        "sharing/register.html",
        form=form,
        page=page,
        sort=sort,
        args=args,
        export_url=_with_query(url_for(".export")),
        policy=policy(),
    ), status


@bp.get("/register.csv")
@requires("sharing.read")
def export() -> Any:
    _form, filters = _filter_form()
    lines = register.export_csv(get_session(), filters, london_today(), policy().review_notice_days)
    return Response(
        lines,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="sharing-agreements.csv"'},
    )


@bp.get("/calendar")
@requires("sharing.read")
def calendar() -> Any:
    months = register.calendar(get_session(), london_today())
    return render_template("sharing/calendar.html", months=[_month(m) for m in months])


def _month(month: register.CalendarMonth) -> dict[str, Any]:
    """A calendar row with links to the register narrowed to that month."""

    def link(prefix: str, sort: str) -> str:
        days = {f"{prefix}_from": month.first_day, f"{prefix}_to": month.last_day}
        query = [(name, part) for name, day in days.items() for part in _parts(day)]
        query += [("sort", sort), ("open_only", "1")]
        return f"{url_for('.index')}?{urlencode(query)}"

    return {
        "label": month.first_day.strftime("%B %Y"),
        "month": month,
        "reviews_url": link("review", "review_on"),
        "endings_url": link("end", "ends_on"),
    }


def _parts(day: Any) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _with_query(path: str) -> str:
    """``path`` with the current filters, so the export matches the page."""
    query = request.query_string.decode("utf-8", "replace")
    return f"{path}?{query}" if query else path


@bp.get("/check")
@requires("sharing.check")
def check() -> Any:
    form = CheckForm(request.args)
    with_choices(form.category, dict(policy().categories), "Choose a kind of data")
    with_choices(form.purpose, dict(policy().purposes), "Choose a purpose")
    result = None
    if request.args and form.validate():
        try:
            organisation = service.resolve_organisation(
                get_session(), form.organisation.data or "", "organisation"
            )
            result = service.check_sharing_with(
                get_session(),
                organisation,
                form.category.data,
                form.purpose.data,
                london_today(),
                notice_days=policy().review_notice_days,
                care_purposes=policy().direct_care_purposes,
            )
        except DomainError as error:
            attach(form, error)  # type: ignore[arg-type]
    status = 422 if form.errors else 200
    return render_template(
        "sharing/check.html",
        form=form,
        result=result,
        policy=policy(),
        caldicott_url=caldicott_link(result, current_actor()) if result else None,
    ), status

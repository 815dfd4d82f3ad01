"""Pages for teams and the staff register, and the import of the HR staff export."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from ig.auth.access import current_actor, requires
from ig.db import get_session, utcnow
from ig.people.forms import StaffSearchForm
from ig.people.service import (
    StaffFilter,
    list_staff,
    list_teams,
    managers_by_team,
    visible_team_ids,
)
from ig.training import import_pages
from ig.training.models import ImportKind
from ig.web import LONDON

bp = Blueprint("people", __name__, url_prefix="/people")


@bp.get("/")
@requires("people.view_all")
def staff() -> Any:
    form = StaffSearchForm(request.args)
    valid = form.validate() if request.args else True
    session = get_session()
    filters = StaffFilter(
        on_date=utcnow().astimezone(LONDON).date(),
        team_ids=visible_team_ids(session, current_actor()),
        search=(form.q.data if valid else None) or "",
        include_leavers=bool(valid and form.leavers.data),
    )
    page = list_staff(session, filters, page=request.args.get("page", 1, type=int) or 1)
    return render_template("people/staff.html", form=form, page=page)


@bp.get("/teams")
@requires("people.view_all")
def teams() -> Any:
    session = get_session()
    return render_template(
        "people/teams.html", teams=list_teams(session), managers=managers_by_team(session)
    )


@bp.route("/imports/new", methods=["GET", "POST"])
@requires("people.manage")
def new_import() -> Any:
    return import_pages.upload(ImportKind.STAFF, "people.show_import")


@bp.get("/imports/<int:import_id>")
@requires("people.manage")
def show_import(import_id: int) -> Any:
    return import_pages.show(ImportKind.STAFF, import_id, "people.decide_import")


@bp.post("/imports/<int:import_id>")
@requires("people.manage")
def decide_import(import_id: int) -> Any:
    return import_pages.decide(ImportKind.STAFF, import_id, "people.show_import")

"""Pages for the staff register, the team hierarchy and its administration (teams and
their managers), and the import of the HR staff export."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today
from ig.errors import ValidationFailed
from ig.people import hierarchy, picker_views, service
from ig.people.forms import (
    AT_THE_TOP,
    ManagerForm,
    MoveTeamForm,
    RenameTeamForm,
    StaffSearchForm,
    TeamForm,
)
from ig.people.models import Team, TeamKind
from ig.people.service import (
    StaffFilter,
    list_staff,
    list_teams,
    managers_by_team,
    visible_team_ids,
)
from ig.training import import_pages
from ig.training.models import ImportKind

bp = Blueprint("people", __name__, url_prefix="/people")
bp.register_blueprint(picker_views.bp)
MANAGE = "people.manage"


@bp.get("/")
@requires("people.view_all")
def staff() -> Any:
    form = StaffSearchForm(request.args)
    valid = form.validate() if request.args else True
    session = get_session()
    filters = StaffFilter(
        on_date=london_today(),
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
        "people/teams.html",
        teams=list_teams(session),
        managers=managers_by_team(session),
        can_manage=current_actor().can(MANAGE),
    )


@bp.route("/teams/new", methods=["GET", "POST"])
@requires(MANAGE)
def new_team() -> Any:
    session = get_session()
    form = TeamForm(parent_id=request.args.get("parent", ""))
    form.parent_id.choices = _parent_choices(service.team_choices(session))
    if form.validate_on_submit():
        try:
            parent = hierarchy.find_parent(session, form.parent_id.data)
            kind = TeamKind(form.kind.data)
            team = hierarchy.create_team(
                session, current_actor(), form.name.data or "", kind, parent
            )
            session.commit()
            flash(f"{team.name} is added")
            return redirect(url_for("people.team", team_id=team.id))
        except ValidationFailed as failed:
            getattr(form, failed.field).errors = [failed.message]
    return render_template("people/new_team.html", form=form), 422 if form.errors else 200


@bp.get("/teams/<int:team_id>")
@requires("people.view_all")
def team(team_id: int) -> Any:
    session = get_session()
    found = service.get_team(session, team_id)
    return render_template(
        "people/team.html",
        team=found,
        trail=service.team_trail(session, found),
        managers=service.list_team_managers(session, found),
        can_manage=current_actor().can(MANAGE),
    )


@bp.route("/teams/<int:team_id>/rename", methods=["GET", "POST"])
@requires(MANAGE)
def rename(team_id: int) -> Any:
    session = get_session()
    found = service.get_team(session, team_id)
    form = RenameTeamForm(name=found.name, version=found.version)
    if form.validate_on_submit():
        try:
            old, name = found.name, form.name.data or ""
            if hierarchy.rename_team(session, current_actor(), found, name, form.version.data):
                session.commit()
                flash(f"{old} is now called {found.name}")
            else:
                flash("Nothing changed: the name is the same")
            return redirect(url_for("people.team", team_id=found.id))
        except ValidationFailed as failed:
            getattr(form, failed.field).errors = [failed.message]
    return render_template("people/rename_team.html", form=form, team=found), (
        422 if form.errors else 200
    )


@bp.route("/teams/<int:team_id>/move", methods=["GET", "POST"])
@requires(MANAGE)
def move(team_id: int) -> Any:
    session = get_session()
    found = service.get_team(session, team_id)
    form = MoveTeamForm(parent_id=str(found.parent_id or ""), version=found.version)
    form.parent_id.choices = _parent_choices(service.team_choices(session, outside=found))
    if form.validate_on_submit():
        try:
            parent = hierarchy.find_parent(session, form.parent_id.data)
            moved = hierarchy.move_team(session, current_actor(), found, parent, form.version.data)
            session.commit()
            flash(_moved_message(found, moved))
            return redirect(url_for("people.team", team_id=found.id))
        except ValidationFailed as failed:
            getattr(form, failed.field).errors = [failed.message]
    return render_template("people/move_team.html", form=form, team=found), (
        422 if form.errors else 200
    )


@bp.route("/teams/<int:team_id>/managers/new", methods=["GET", "POST"])
@requires(MANAGE)
def add_manager(team_id: int) -> Any:
    session = get_session()
    found = service.get_team(session, team_id)
    form = ManagerForm()
    form.user_id.choices = {
        "": "Choose a user account",
        **dict(service.manager_choices(session, found)),
    }
    if form.validate_on_submit():
        try:
            user = hierarchy.assign_team_manager(session, current_actor(), found, form.user_id.data)
            session.commit()
            flash(f"{user.name} now manages {found.name} and every team below it")
            return redirect(url_for("people.team", team_id=found.id))
        except ValidationFailed as failed:
            getattr(form, failed.field).errors = [failed.message]
    return render_template("people/add_manager.html", form=form, team=found), (
        422 if form.errors else 200
    )


@bp.post("/teams/<int:team_id>/managers/<int:user_id>/remove")
@requires(MANAGE)
def remove_manager(team_id: int, user_id: int) -> Any:
    session = get_session()
    found = service.get_team(session, team_id)
    user = hierarchy.remove_team_manager(session, current_actor(), found, user_id)
    session.commit()
    flash(f"{user.name} no longer manages {found.name}")
    return redirect(url_for("people.team", team_id=found.id))


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


def _parent_choices(teams: list[tuple[int, str]]) -> dict[str, str]:
    return {"": AT_THE_TOP, **{str(team_id): label for team_id, label in teams}}


def _moved_message(team: Team, moved: int) -> str:
    if moved == 0:
        return f"Nothing changed: {team.name} was already there"
    below = {1: "", 2: " and the team below it"}.get(moved, f" and the {moved - 1} teams below it")
    return f"{team.name}{below} moved"

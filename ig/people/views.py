"""Pages for the staff register, the team hierarchy and its administration (teams and
their managers), and the import of the HR staff export."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from ig.auth.access import current_actor, requires
from ig.db import get_session, london_today
from ig.errors import ValidationFailed
from ig.people import hierarchy, picker_views, pickers, service
from ig.people.forms import (
    AT_THE_TOP,
    ManagerForm,
    MoveTeamForm,
    RenameTeamForm,
    StaffSearchForm,
    TeamForm,
    optional_id,
)
from ig.people.models import Team, TeamKind
from ig.people.picker_views import picked_in
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
    session, form = get_session(), TeamForm()
    valid = form.validate_on_submit()
    current = optional_id(request.args.get("parent"))
    parent = picked_in(pickers.TEAMS, form.parent_name, form.parent_id, current=current)
    if valid and not form.errors:
        try:
            kind = TeamKind(form.kind.data)
            name = form.name.data or ""
            team = hierarchy.create_team(session, current_actor(), name, kind, _parent(parent))
            session.commit()
            flash(f"{team.name} is added")
            return redirect(url_for("people.team", team_id=team.id))
        except ValidationFailed as failed:
            _field(form, failed.field).errors = [failed.message]
    return render_template("people/new_team.html", form=form, parent=parent, hint=AT_THE_TOP), (
        422 if form.errors else 200
    )


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
    form = MoveTeamForm(version=found.version)
    valid = form.validate_on_submit()
    parent = picked_in(pickers.TEAMS, form.parent_name, form.parent_id, current=found.parent_id)
    if valid and not form.errors:
        try:
            moved = hierarchy.move_team(
                session, current_actor(), found, _parent(parent), form.version.data
            )
            session.commit()
            flash(_moved_message(found, moved))
            return redirect(url_for("people.team", team_id=found.id))
        except ValidationFailed as failed:
            _field(form, failed.field).errors = [failed.message]
    return render_template(
        "people/move_team.html", form=form, team=found, parent=parent, hint=AT_THE_TOP
    ), (422 if form.errors else 200)


@bp.route("/teams/<int:team_id>/managers/new", methods=["GET", "POST"])
@requires(MANAGE)
def add_manager(team_id: int) -> Any:
    session = get_session()
    found = service.get_team(session, team_id)
    form = ManagerForm()
    valid = form.validate_on_submit()
    user = picked_in(
        pickers.USERS,
        form.user_name,
        form.user_id,
        # Unscoped, so that naming a current manager is told so by the service.
        required="Enter the new manager's name or e-mail address",
    )
    if valid and not form.errors and user.chosen:
        try:
            added = hierarchy.assign_team_manager(session, current_actor(), found, user.chosen.id)
            session.commit()
            flash(f"{added.name} now manages {found.name} and every team below it")
            return redirect(url_for("people.team", team_id=found.id))
        except ValidationFailed as failed:
            _field(form, failed.field).errors = [failed.message]
    return render_template("people/add_manager.html", form=form, team=found, user=user), (
        422 if form.errors else 200
    )


@bp.get("/teams/<int:team_id>/managers/search")
@requires(MANAGE)
def manager_suggestions(team_id: int) -> Any:
    """Active users who do not yet manage the team, for the add-a-manager picker."""
    found = service.get_team(get_session(), team_id)
    return picker_views.suggestions(pickers.USERS, service.manager_candidates(found))


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


def _parent(picked: pickers.Picked) -> Team | None:
    """The team a parent picker chose; None (the top) when it was left blank."""
    return get_session().get(Team, picked.chosen.id) if picked.chosen else None


def _field(form: Any, name: str) -> Any:
    """The field to show a service's refusal beside: a picker's text for its id."""
    return getattr(form, {"parent_id": "parent_name", "user_id": "user_name"}.get(name, name))


def _moved_message(team: Team, moved: int) -> str:
    if moved == 0:
        return f"Nothing changed: {team.name} was already there"
    below = {1: "", 2: " and the team below it"}.get(moved, f" and the {moved - 1} teams below it")
    return f"{team.name}{below} moved"

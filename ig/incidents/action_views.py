"""The IG team's pages on an incident's people, actions and status: staff involved,
people affected, actions, investigation, withdrawal, duplicates, closing and reopening."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from ig.auth.access import current_actor, requires
from ig.db import get_session, utcnow
from ig.incidents import closure, involved, service
from ig.incidents.action_list import ActionFilter, list_actions
from ig.incidents.closure_forms import (
    ActionFilterForm,
    ActionForm,
    CloseForm,
    CompleteActionForm,
    DuplicateForm,
    ReasonForm,
)
from ig.incidents.involved_forms import AffectedForm, StaffForm
from ig.incidents.manage_views import actor_now, form_page
from ig.incidents.models import Incident
from ig.incidents.views import bp
from ig.people import pickers
from ig.people.picker_views import picked_in, suggestions
from ig.training.service import current_policy as training_policy


@bp.get("/actions")
@requires("incidents.read")
def actions() -> Any:
    """Every incident's actions, the earliest due first, optionally those overdue."""
    form = ActionFilterForm(request.args)
    valid = not request.args or form.validate()
    filters = ActionFilter(overdue_on=form.overdue_on.data if valid else None)
    page_number = max(request.args.get("page", 1, type=int) or 1, 1)
    page = list_actions(get_session(), filters, page=page_number)
    return render_template("incidents/actions.html", form=form, page=page)


@bp.route("/<ref>/staff", methods=["GET", "POST"])
@requires("incidents.manage")
def add_staff(ref: str) -> Any:
    def apply(incident: Incident, form: StaffForm) -> str:
        actor, now = actor_now()
        involved.add_staff(get_session(), actor, incident, form.staff_number.data or "", now)
        return "Member of staff added"

    return form_page(ref, StaffForm(), "Add a member of staff involved", apply)


@bp.route("/<ref>/people", methods=["GET", "POST"])
@requires("incidents.manage")
def add_person(ref: str) -> Any:
    def apply(incident: Incident, form: AffectedForm) -> str:
        actor, now = actor_now()
        earlier = involved.add_affected_person(
            get_session(),
            actor,
            incident,
            form.identifier.data or "",
            form.name.data or "",
            form.note.data or "",
            now,
        )
        seen = f" This person was also affected by {', '.join(earlier)}." if earlier else ""
        return "Person affected recorded." + seen

    return form_page(ref, AffectedForm(), "Add a person affected", apply)


@bp.route("/<ref>/actions/new", methods=["GET", "POST"])
@requires("incidents.manage")
def new_action(ref: str) -> Any:
    form = ActionForm()
    courses = training_policy().courses
    form.course_code.choices = {
        "": "No course",
        **{c: course.title for c, course in courses.items()},
    }

    def apply(incident: Incident, form: ActionForm) -> str:
        actor, now = actor_now()
        closure.add_action(
            get_session(),
            actor,
            incident,
            form.description.data or "",
            form.owner_id.data,
            form.due_on.data,
            now,
            course_code=form.course_code.data or None,
            assign_to=form.assign_to.data or "involved",
        )
        return "Action added"

    def pick() -> pickers.Picked:
        return picked_in(
            pickers.USERS, form.owner_name, form.owner_id, required="Enter who owns the action"
        )

    return form_page(
        ref, form, "Add an action", apply, template="incidents/action_form.html", pick=pick
    )


@bp.get("/owners/search")
@requires("incidents.manage")
def owner_suggestions() -> Any:
    """Active users, for the action owner's picker: those who may add actions only."""
    return suggestions(pickers.USERS)


@bp.route("/<ref>/actions/<int:action_id>/done", methods=["GET", "POST"])
@requires("incidents.manage")
def complete_action(ref: str, action_id: int) -> Any:
    def apply(incident: Incident, form: CompleteActionForm) -> str:
        actor, now = actor_now()
        closure.complete_action(
            get_session(), actor, incident, action_id, form.completed_on.data, now
        )
        return "Action done"

    return form_page(ref, CompleteActionForm(), "Mark the action done", apply)


@bp.route("/<ref>/actions/<int:action_id>/accept", methods=["GET", "POST"])
@requires("incidents.manage")
def accept_action(ref: str, action_id: int) -> Any:
    def apply(incident: Incident, form: ReasonForm) -> str:
        actor, now = actor_now()
        closure.accept_action(
            get_session(), actor, incident, action_id, form.reason.data or "", now
        )
        return "Action accepted"

    return form_page(ref, ReasonForm(), "Accept the action without completing it", apply)


@bp.post("/<ref>/investigate")
@requires("incidents.manage")
def investigate(ref: str) -> Any:
    session, actor = get_session(), current_actor()
    incident = service.get_incident(session, actor, ref)
    closure.start_investigation(session, actor, incident, utcnow())
    session.commit()
    flash("Investigation started")
    return redirect(url_for("incidents.show", ref=incident.reference))


@bp.route("/<ref>/withdraw", methods=["GET", "POST"])
@requires("incidents.manage")
def withdraw(ref: str) -> Any:
    def apply(incident: Incident, form: ReasonForm) -> str:
        actor, now = actor_now()
        closure.withdraw_incident(get_session(), actor, incident, form.reason.data or "", now)
        return "Incident withdrawn"

    return form_page(ref, ReasonForm(), "Withdraw the incident", apply)


@bp.route("/<ref>/duplicate", methods=["GET", "POST"])
@requires("incidents.manage")
def duplicate(ref: str) -> Any:
    def apply(incident: Incident, form: DuplicateForm) -> str:
        actor, now = actor_now()
        closure.mark_duplicate(get_session(), actor, incident, form.original.data or "", now)
        return "Marked as a duplicate"

    return form_page(ref, DuplicateForm(), "Mark as a duplicate", apply)


@bp.route("/<ref>/reopen", methods=["GET", "POST"])
@requires("incidents.manage")
def reopen(ref: str) -> Any:
    def apply(incident: Incident, form: ReasonForm) -> str:
        actor, now = actor_now()
        closure.reopen_incident(get_session(), actor, incident, form.reason.data or "", now)
        return "Incident reopened"

    return form_page(ref, ReasonForm(), "Reopen the incident", apply)


@bp.route("/<ref>/close", methods=["GET", "POST"])
@requires("incidents.manage")
def close(ref: str) -> Any:
    def apply(incident: Incident, form: CloseForm) -> str:
        actor, now = actor_now()
        closure.close_incident(
            get_session(),
            actor,
            incident,
            form.root_cause.data or "",
            form.lessons_learned.data or "",
            now,
        )
        return "Incident closed"

    return form_page(ref, CloseForm(), "Close the incident", apply)

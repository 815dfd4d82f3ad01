"""The IG team's pages on an incident: triage, record, grade, notify, act and close."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from ig.auth.access import current_actor, requires
from ig.db import get_session, utcnow
from ig.errors import InvalidTransition, ValidationFailed
from ig.forms import version_of
from ig.incidents import ico_answers, notify, service
from ig.incidents.closure_forms import ReasonForm
from ig.incidents.fields import london_instant, yes
from ig.incidents.models import Answer, Exemption, Impact, Incident, Kind, Likelihood, Recovery
from ig.incidents.notification_models import Phase, Regulator
from ig.incidents.notify_forms import CommunicationForm, GradeForm, NotificationForm, OverrideForm
from ig.incidents.record_forms import DetailsForm, TriageForm, details_defaults
from ig.incidents.views import attach, bp, policy

Apply = Callable[[Incident, Any], str | None]
E = TypeVar("E", bound=enum.Enum)


def form_page(
    ref: str,
    form: FlaskForm,
    title: str,
    apply: Apply,
    template: str = "incidents/form.html",
    pick: Callable[[], Any] | None = None,
    **extra: Any,
) -> Any:
    """Show ``form`` about incident ``ref``; on a valid POST, apply it, commit, go back.

    ``apply`` calls one service and returns the message to flash (or None). ``pick``,
    if given, reads the form's picker once the form has validated (see
    ig.people.picker_views.picked_in); the page shows what it picked as ``picked``.
    """
    incident = service.get_incident(get_session(), current_actor(), ref, full=True)
    status = 200
    valid = form.validate_on_submit()
    picked = pick() if pick is not None else None
    if valid and not form.errors:
        try:
            message = apply(incident, form)
        except ValidationFailed as error:
            attach(form, error)
        except InvalidTransition as error:
            # Shown on the form, so the officer sees what stops it (e.g. open actions).
            attach(form, ValidationFailed("", error.message))
            status = 409
        else:
            get_session().commit()
            flash(message or "Saved")
            return redirect(
                url_for("incidents.show", ref=incident.reference) + "#" + "main-content"
            )
    context = {"form": form, "incident": incident, "title": title, "picked": picked, **extra}
    return render_template(template, **context), status if status != 200 or not form.errors else 422


def actor_now() -> tuple[Any, Any]:
    """The signed-in actor and the current instant, for one service call."""
    return current_actor(), utcnow()


@bp.route("/<ref>/triage", methods=["GET", "POST"])
@requires("incidents.manage")
def triage(ref: str) -> Any:
    def apply(incident: Incident, form: TriageForm) -> str:
        aware = london_instant(form.aware_on.data, form.aware_time.data)
        actor, now = actor_now()
        service.triage_incident(
            get_session(), actor, policy(), incident, Kind(form.kind.data), aware or now, now
        )
        return "Triage saved"

    return form_page(ref, TriageForm(), "Triage the report", apply)


@bp.route("/<ref>/details", methods=["GET", "POST"])
@requires("incidents.manage")
def details(ref: str) -> Any:
    session = get_session()
    incident = service.get_incident(session, current_actor(), ref)
    form = DetailsForm(data=details_defaults(incident) if request.method == "GET" else None)
    form.incident_type.choices = {"": "Choose a type", **policy().types}
    form.data_categories.choices = dict(policy().data_categories)
    form.people_categories.choices = dict(policy().people_categories)

    def apply(incident: Incident, form: DetailsForm) -> str:
        actor, now = actor_now()
        version = version_of(form.version.data)
        service.update_details(session, actor, policy(), incident, _details(form), version, now)
        return "Record saved"

    return form_page(ref, form, "The incident record", apply)


def _details(form: DetailsForm) -> service.Details:
    cia = set(form.cia.data or [])
    return service.Details(
        incident_type=form.incident_type.data or "",
        is_confidentiality="confidentiality" in cia,
        is_integrity="integrity" in cia,
        is_availability="availability" in cia,
        is_cyber=yes(form.is_cyber.data),
        is_vulnerable=yes(form.is_vulnerable.data),
        is_ongoing=yes(form.is_ongoing.data),
        data_categories=form.data_categories.data or [],
        people_categories=form.people_categories.data or [],
        people_count=form.people_count.data,
        records_count=form.records_count.data,
        others_told=form.others_told.data or "",
        discovery=form.discovery.data or "",
        containment=form.containment.data or "",
        consequences=form.consequences.data or "",
        investigation_notes=form.investigation_notes.data or "",
        significant_likelihood=choice(form.significant_likelihood, Likelihood),
        org_impact=choice(form.org_impact, Impact),
        impact_detail=form.impact_detail.data or "",
        recovery_time=choice(form.recovery_time, Recovery),
        preventative_measures=form.preventative_measures.data or "",
        staff_guidance=choice(form.staff_guidance, Answer),
        reported_before=choice(form.reported_before, Answer),
        reported_before_detail=form.reported_before_detail.data or "",
    )


def choice(field: Any, kind: type[E]) -> E | None:
    """A radio's answer as its enumeration (None when blank); ValidationFailed otherwise."""
    if not field.data:
        return None
    try:
        return kind(field.data)
    except ValueError:
        raise ValidationFailed(field.name, "Choose one of the answers listed") from None


@bp.route("/<ref>/grade", methods=["GET", "POST"])
@requires("incidents.manage")
def grade(ref: str) -> Any:
    form = GradeForm()
    labels = policy()
    form.likelihood.choices = {i: f"{i}: {t}" for i, t in enumerate(labels.likelihood_labels, 1)}
    form.severity.choices = {i: f"{i}: {t}" for i, t in enumerate(labels.severity_labels, 1)}

    def apply(incident: Incident, form: GradeForm) -> str:
        actor, now = actor_now()
        duties = notify.grade_incident(
            get_session(), actor, policy(), incident, form.likelihood.data, form.severity.data, now
        )
        return " ".join(duties.reasons)

    return form_page(
        ref, form, "Grade the incident", apply, "incidents/grade.html", grid=grid_rows()
    )


def grid_rows() -> list[dict[str, Any]]:
    """The grid as the policy sets it: for each likelihood, what each severity means."""
    from ig.incidents.rules import assess

    p = policy()
    return [
        {"likelihood": row, "cells": [assess(p, row, col, False) for col in range(1, 6)]}
        for row in range(5, 0, -1)
    ]


@bp.post("/<ref>/confirm-grading")
@requires("incidents.grade_confirm")
def confirm_grading(ref: str) -> Any:
    session, actor = get_session(), current_actor()
    incident = service.get_incident(session, actor, ref)
    notify.confirm_grading(session, actor, policy(), incident, utcnow())
    session.commit()
    flash("Grading confirmed")
    return redirect(url_for("incidents.show", ref=incident.reference))


@bp.route("/<ref>/override", methods=["GET", "POST"])
@requires("incidents.manage")
def override(ref: str) -> Any:
    def apply(incident: Incident, form: OverrideForm) -> str:
        actor, now = actor_now()
        notify.override_duties(
            get_session(),
            actor,
            incident,
            yes(form.notify_ico.data),
            yes(form.notify_dhsc.data),
            form.reason.data or "",
            now,
        )
        return "Override recorded"

    return form_page(ref, OverrideForm(), "Override the duty to notify", apply)


@bp.route("/<ref>/notifications/new", methods=["GET", "POST"])
@requires("incidents.manage")
def new_notification(ref: str) -> Any:
    def apply(incident: Incident, form: NotificationForm) -> str:
        actor, now = actor_now()
        sent = london_instant(form.sent_on.data, form.sent_time.data) or now
        notify.record_notification(
            get_session(),
            actor,
            incident,
            Regulator(form.regulator.data),
            Phase(form.phase.data),
            sent,
            form.external_reference.data or "",
            form.content.data or "",
            form.late_reason.data or "",
            now,
            not_yet_known=form.not_yet_known.data or [],
            follow_up_on=form.follow_up_on.data,
        )
        warning = ico_answers.dhsc_warning(policy(), incident)
        return "Notification recorded" + (f". {warning}." if warning else "")

    incident = service.get_incident(get_session(), current_actor(), ref, full=True)
    return form_page(
        ref,
        NotificationForm(),
        "Record a notification",
        apply,
        "incidents/notification_form.html",
        missing=ico_answers.missing_answers(incident),
    )


@bp.route("/<ref>/no-notification", methods=["GET", "POST"])
@requires("incidents.manage")
def no_notification(ref: str) -> Any:
    def apply(incident: Incident, form: ReasonForm) -> str:
        actor, now = actor_now()
        notify.record_no_notification(get_session(), actor, incident, form.reason.data or "", now)
        return "Decision not to notify recorded"

    return form_page(ref, ReasonForm(), "Record why the ICO is not being notified", apply)


@bp.route("/<ref>/communication", methods=["GET", "POST"])
@requires("incidents.manage")
def communication(ref: str) -> Any:
    def apply(incident: Incident, form: CommunicationForm) -> str:
        actor, now = actor_now()
        notify.record_communication(
            get_session(),
            actor,
            incident,
            yes(form.is_high_risk.data),
            london_instant(form.told_on.data, form.told_time.data),
            form.told_how.data or "",
            Exemption(form.exemption.data) if form.exemption.data else None,
            form.public_communication.data or "",
            now,
        )
        return "Communication to the people affected recorded"

    return form_page(ref, CommunicationForm(), "Telling the people affected (Art. 34)", apply)

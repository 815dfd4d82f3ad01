"""Grading, the duty to notify, notifications to regulators and telling the people affected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.errors import InvalidTransition, PermissionDenied, ValidationFailed
from ig.incidents import ico_form, rules
from ig.incidents.access import require_manage
from ig.incidents.ico_answers import settle_unknown_answers
from ig.incidents.models import Exemption, Incident, Kind, Status
from ig.incidents.notification_models import Notification, Phase, Regulator
from ig.incidents.policy import IncidentsPolicy
from ig.incidents.timeline import log_event

GRADABLE = frozenset({Status.TRIAGED, Status.INVESTIGATING, Status.NOTIFIED})


def duties_for(policy: IncidentsPolicy, incident: Incident) -> rules.Duties | None:
    """The duties the incident's grading gives under the current policy (None if ungraded)."""
    if incident.likelihood is None or incident.severity is None:
        return None
    return rules.assess(policy, incident.likelihood, incident.severity, incident.is_vulnerable)


def grade_incident(
    session: Session,
    actor: Actor,
    policy: IncidentsPolicy,
    incident: Incident,
    likelihood: int,
    severity: int,
    now: dt.datetime,
) -> rules.Duties:
    """Propose a grading; the floors apply and the policy version is kept with it.

    A new grading replaces any earlier override and confirmation: both were about the
    old grades. Raises InvalidTransition for an incident not open for grading.
    """
    require_manage(actor)
    if incident.status not in GRADABLE or incident.kind is not Kind.BREACH:
        raise InvalidTransition("Only an open personal-data breach can be graded")
    duties = rules.assess(policy, likelihood, severity, incident.is_vulnerable)
    incident.likelihood, incident.severity = duties.likelihood, duties.severity
    incident.grading_version = policy.version
    incident.graded_by_id, incident.graded_at = actor.user_id, now
    incident.needs_confirmation = rules.needs_confirmation(policy, duties.ico)
    incident.confirmed_by_id = incident.confirmed_at = None
    incident.is_ico_notifiable, incident.is_dhsc_notifiable = duties.ico, duties.dhsc
    incident.ico_override = incident.dhsc_override = None
    incident.override_reason = ""
    session.flush()
    log_event(
        session,
        actor,
        incident,
        "graded",
        f"Graded likelihood {duties.likelihood} x severity {duties.severity} "
        f"(policy {policy.version}); ICO {'yes' if duties.ico else 'no'}, "
        f"DHSC {'yes' if duties.dhsc else 'no'}",
        now,
        {"likelihood": duties.likelihood, "severity": duties.severity, "policy": policy.version},
    )
    return duties


def confirm_grading(
    session: Session, actor: Actor, policy: IncidentsPolicy, incident: Incident, now: dt.datetime
) -> None:
    """The SIRO or Caldicott Guardian confirms the proposed grading (as the policy asks).

    Raises PermissionDenied for anyone not in the policy's confirming roles, or for the
    person who proposed it: a second pair of eyes is the point.
    """
    if not actor.can("incidents.grade_confirm") or not actor.has_role(*policy.confirm_roles):
        raise PermissionDenied("Only the SIRO or a Caldicott Guardian can confirm a grading")
    if not incident.needs_confirmation or incident.confirmed_at is not None:
        raise InvalidTransition("This grading is not waiting for confirmation")
    if incident.graded_by_id == actor.user_id:
        raise PermissionDenied("Someone other than the person who graded it must confirm it")
    incident.confirmed_by_id, incident.confirmed_at = actor.user_id, now
    session.flush()
    log_event(session, actor, incident, "grading_confirmed", "Grading confirmed", now)


def override_duties(
    session: Session,
    actor: Actor,
    incident: Incident,
    notify_ico: bool,
    notify_dhsc: bool,
    reason: str,
    now: dt.datetime,
) -> None:
    """The IG officer overrides what the grid says, with a recorded reason."""
    require_manage(actor)
    if incident.likelihood is None:
        raise InvalidTransition("Grade the incident before overriding its duties")
    if not reason.strip():
        raise ValidationFailed("reason", "Give the reason for overriding the grid")
    if notify_dhsc and not notify_ico:
        raise ValidationFailed("notify_dhsc", "An incident reported to DHSC goes to the ICO too")
    incident.ico_override, incident.dhsc_override = notify_ico, notify_dhsc
    incident.is_ico_notifiable, incident.is_dhsc_notifiable = notify_ico, notify_dhsc
    incident.override_reason = reason.strip()
    session.flush()
    log_event(
        session,
        actor,
        incident,
        "duties_overridden",
        f"Duties overridden: ICO {'yes' if notify_ico else 'no'}, "
        f"DHSC {'yes' if notify_dhsc else 'no'}",
        now,
    )


def record_notification(
    session: Session,
    actor: Actor,
    incident: Incident,
    regulator: Regulator,
    phase: Phase,
    sent_at: dt.datetime,
    external_reference: str,
    content: str,
    late_reason: str,
    now: dt.datetime,
    *,
    not_yet_known: Collection[str] = (),
    follow_up_on: dt.date | None = None,
) -> Notification:
    """Record a notification (initial or follow-up) to the ICO or DHSC.

    Needs the incident's type and grading. An initial notification after the deadline
    needs the reasons for the delay (UK GDPR Art. 33(1)); the first initial ICO
    notification marks the incident notified. Each ICO notification needs every answer
    the ICO's form marks mandatory, or those not yet known named (``not_yet_known``)
    with the date they will follow (``follow_up_on``), which the reminders then chase.
    Raises InvalidTransition or ValidationFailed and changes nothing when refused.
    """
    require_manage(actor)
    _check_notification(incident, regulator, phase, sent_at, content, late_reason, now)
    if regulator is Regulator.ICO:
        settle_unknown_answers(incident, not_yet_known, follow_up_on, sent_at)
    notification = Notification(
        regulator=regulator,
        phase=phase,
        sent_at=sent_at,
        external_reference=external_reference.strip(),
        content=content.strip(),
        late_reason=late_reason.strip(),
        recorded_by_id=actor.user_id,
    )
    incident.notifications.append(notification)
    if regulator is Regulator.ICO and phase is Phase.INITIAL:
        _mark_notified(incident, sent_at)
    session.flush()
    summary = _notified_summary(incident, notification, bool(external_reference))
    detail = _notified_detail(incident, regulator, phase)
    log_event(session, actor, incident, "notified", summary, now, detail)
    return notification


def _mark_notified(incident: Incident, sent_at: dt.datetime) -> None:
    """The initial ICO notification: when, how many hours after awareness, and the status."""
    incident.first_notified_at = sent_at
    if incident.aware_at is not None:
        incident.hours_to_notify = rules.hours_between(incident.aware_at, sent_at)
    if incident.status in (Status.TRIAGED, Status.INVESTIGATING):
        incident.status = Status.NOTIFIED


def _notified_summary(incident: Incident, notification: Notification, has_reference: bool) -> str:
    """The timeline's line: which notification, its reference, and whether it was late."""
    phase, regulator = notification.phase, notification.regulator
    late = rules.is_late(incident.deadline_at, notification.sent_at)
    return (
        f"{phase.value.replace('_', '-').capitalize()} notification to {regulator.value.upper()}"
        + (f", reference {notification.external_reference}" if has_reference else "")
        + (" (late, reasons given)" if late else "")
    )


def _check_notification(
    incident: Incident,
    regulator: Regulator,
    phase: Phase,
    sent_at: dt.datetime,
    content: str,
    late_reason: str,
    now: dt.datetime,
) -> None:
    """Refuse a notification the incident cannot take yet, or one that is malformed."""
    if incident.kind is not Kind.BREACH or incident.status not in GRADABLE | {Status.CLOSED}:
        raise InvalidTransition("Notifications are recorded on a triaged personal-data breach")
    ico_form.check_ready_to_notify(
        incident.incident_type, incident.likelihood is not None and incident.severity is not None
    )
    if sent_at > now:
        raise ValidationFailed("sent_at", "When it was sent must be in the past")
    if incident.aware_at is not None and sent_at < incident.aware_at:
        raise ValidationFailed("sent_at", "A notification cannot be before awareness")
    if not content.strip():
        raise ValidationFailed("content", "Say what was sent")
    has_initial = any(
        n.regulator is regulator and n.phase is Phase.INITIAL for n in incident.notifications
    )
    if phase is Phase.FOLLOW_UP and not has_initial:
        raise ValidationFailed("phase", "Record the initial notification before a follow-up")
    if phase is Phase.INITIAL and has_initial:
        raise ValidationFailed("phase", "The initial notification is already recorded")
    if phase is Phase.INITIAL:
        rules.check_late_reason(incident.deadline_at, sent_at, late_reason)


def _notified_detail(incident: Incident, regulator: Regulator, phase: Phase) -> dict[str, Any]:
    """The audit entry's detail: for the ICO, also what was said to follow, and when."""
    detail: dict[str, Any] = {"regulator": regulator.value, "phase": phase.value}
    if regulator is Regulator.ICO:
        due = incident.ico_follow_up_on
        detail["not_yet_known"] = list(incident.unknown_answers)
        detail["follow_up_on"] = due.isoformat() if due else None
    return detail


def record_no_notification(
    session: Session, actor: Actor, incident: Incident, reason: str, now: dt.datetime
) -> None:
    """Record why the ICO is not being told: the ICO expects the decision to be documented."""
    require_manage(actor)
    if incident.kind is not Kind.BREACH:
        raise InvalidTransition("Only a personal-data breach has a decision on notifying")
    if any(n.regulator is Regulator.ICO for n in incident.notifications):
        raise InvalidTransition("The ICO has already been notified")
    if not reason.strip():
        raise ValidationFailed("reason", "Give the reason for not notifying the ICO")
    incident.no_notification_reason = reason.strip()
    session.flush()
    log_event(session, actor, incident, "not_notifying", "Decided not to notify the ICO", now)


def record_communication(
    session: Session,
    actor: Actor,
    incident: Incident,
    is_high_risk: bool,
    told_at: dt.datetime | None,
    told_how: str,
    exemption: Exemption | None,
    public_communication: str,
    now: dt.datetime,
) -> None:
    """Record telling the people affected, or the Art. 34(3) exemption relied on."""
    require_manage(actor)
    if told_at is not None and told_at > now:
        raise ValidationFailed("told_at", "When they were told must be in the past")
    rules.check_communication(
        is_high_risk,
        told_at,
        told_how,
        exemption.value if exemption else None,
        public_communication,
    )
    incident.is_high_risk = is_high_risk
    incident.people_told_at = told_at if is_high_risk else None
    incident.people_told_how = told_how.strip() if is_high_risk else ""
    incident.exemption = exemption if is_high_risk else None
    incident.public_communication = public_communication.strip() if is_high_risk else ""
    session.flush()
    what = (
        "not high risk"
        if not is_high_risk
        else (f"exemption: {exemption.value.replace('_', ' ')}" if exemption else "people told")
    )
    log_event(session, actor, incident, "communication", f"Art. 34: {what}", now)

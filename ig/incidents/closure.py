"""Actions, status changes, closing and reopening an incident."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import london_today
from ig.errors import InvalidTransition, NotFound, ValidationFailed
from ig.incidents import rules
from ig.incidents.access import require_manage
from ig.incidents.action_models import ActionStatus, IncidentAction
from ig.incidents.models import Incident, Kind, Status
from ig.incidents.notification_models import Regulator
from ig.incidents.service import find_incident
from ig.incidents.timeline import log_event, status_detail
from ig.people.models import Staff, Team
from ig.people.service import StaffFilter, staff_query
from ig.training.service import AssignmentProgress, assign_course, get_assignment_progress

MAX_DESCRIPTION = 500  # characters, as the form says
OPEN_FOR_ACTIONS = frozenset({Status.TRIAGED, Status.INVESTIGATING, Status.NOTIFIED})


def _described(description: str) -> str:
    """The action's description, trimmed; ValidationFailed if empty or too long."""
    text = description.strip()
    if not text:
        raise ValidationFailed("description", "Describe the action")
    if len(text) > MAX_DESCRIPTION:
        raise ValidationFailed(
            "description", f"Describe the action in {MAX_DESCRIPTION} characters or fewer"
        )
    return text


def add_action(
    session: Session,
    actor: Actor,
    incident: Incident,
    description: str,
    owner_id: int | None,
    due_on: dt.date,
    now: dt.datetime,
    course_code: str | None = None,
    assign_to: str = "involved",
) -> IncidentAction:
    """Add an action with an owner and a due date to an open incident.

    With ``course_code``, the course is assigned through the training register to the
    staff involved or to everyone in post in the incident's team (``assign_to``), so
    that learning after a breach is tracked until each person has done it.
    """
    require_manage(actor)
    if incident.status not in OPEN_FOR_ACTIONS:
        raise InvalidTransition("Actions are added to an open incident; reopen it first")
    description = _described(description)
    if owner_id is None:
        raise ValidationFailed("owner_id", "Choose who owns the action")
    action = IncidentAction(
        description=description,
        owner_id=owner_id,
        due_on=due_on,
        status=ActionStatus.OPEN,
        course_code=course_code or None,
        assignment_ids=[],
    )
    if course_code:
        action.assignment_ids = _assign_learning(
            session, actor, incident, course_code, due_on, assign_to, now
        )
    incident.actions.append(action)
    session.flush()
    log_event(
        session,
        actor,
        incident,
        "action_added",
        f"Action added, due {due_on.isoformat()}",
        now,
        {"action_id": action.id},
    )
    return action


def _assign_learning(
    session: Session,
    actor: Actor,
    incident: Incident,
    course_code: str,
    due_on: dt.date,
    assign_to: str,
    now: dt.datetime,
) -> list[int]:
    """Assign the course through the training register; the ids of the assignments made."""
    assignment = assign_course(
        session,
        actor,
        _learners(session, incident, assign_to, now),
        course_code,
        due_on,
        f"Learning after incident {incident.reference}",
        incident.reference,
        today=london_today(now),
    )
    return [assignment.id]


def _learners(session: Session, incident: Incident, assign_to: str, now: dt.datetime) -> list[int]:
    if assign_to == "team":
        today = london_today(now)
        team = select(Team.id).where(Team.id == incident.team_id)
        query = staff_query(StaffFilter(on_date=today, team_ids=team))
        staff_ids = list(session.scalars(query.with_only_columns(Staff.id)))
        if not staff_ids:
            raise ValidationFailed("assign_to", "Nobody is in post in the team involved")
        return staff_ids
    staff_ids = [link.staff_id for link in incident.staff_links]
    if not staff_ids:
        raise ValidationFailed("assign_to", "Add the staff involved before assigning them a course")
    return staff_ids


def training_progress(session: Session, incident: Incident) -> dict[int, AssignmentProgress]:
    """Progress of the courses the incident's actions assigned, by action id."""
    by_assignment = {aid: a.id for a in incident.actions for aid in a.assignment_ids}
    progress = get_assignment_progress(session, list(by_assignment))
    return {by_assignment[aid]: p for aid, p in progress.items()}


def _action(incident: Incident, action_id: int) -> IncidentAction:
    for action in incident.actions:
        if action.id == action_id:
            return action
    raise NotFound("There is no such action on this incident")


def complete_action(
    session: Session,
    actor: Actor,
    incident: Incident,
    action_id: int,
    completed_on: dt.date,
    now: dt.datetime,
) -> None:
    """Mark an open action done."""
    require_manage(actor)
    action = _action(incident, action_id)
    if action.status is not ActionStatus.OPEN:
        raise InvalidTransition("Only an open action can be completed")
    progress = training_progress(session, incident).get(action.id)
    if progress is not None and not progress.is_done:
        raise ValidationFailed(
            "completed_on",
            f"{len(progress.outstanding_staff_ids)} of {progress.total} people have not yet "
            "completed the course: wait for them, or accept the action with a reason",
        )
    action.status, action.completed_on = ActionStatus.DONE, completed_on
    session.flush()
    log_event(session, actor, incident, "action_done", f"Action {action.id} done", now)


def accept_action(
    session: Session,
    actor: Actor,
    incident: Incident,
    action_id: int,
    reason: str,
    now: dt.datetime,
) -> None:
    """Accept an action as not to be done, with a reason, so the incident can close."""
    require_manage(actor)
    action = _action(incident, action_id)
    if action.status is not ActionStatus.OPEN:
        raise InvalidTransition("Only an open action can be accepted")
    if not reason.strip():
        raise ValidationFailed("reason", "Give the reason for accepting the action as it stands")
    action.status, action.acceptance_reason = ActionStatus.ACCEPTED, reason.strip()
    session.flush()
    summary = f"Action {action.id} accepted"
    log_event(session, actor, incident, "action_accepted", summary, now, {"action_id": action.id})


def start_investigation(
    session: Session, actor: Actor, incident: Incident, now: dt.datetime
) -> None:
    """Move a triaged incident to investigating."""
    require_manage(actor)
    if incident.status is not Status.TRIAGED:
        raise InvalidTransition("Only a triaged incident can move to investigating")
    incident.status = Status.INVESTIGATING
    session.flush()
    log_event(session, actor, incident, "investigating", "Investigation started", now)


def withdraw_incident(
    session: Session, actor: Actor, incident: Incident, reason: str, now: dt.datetime
) -> None:
    """Withdraw an incident reported in error, with the reason."""
    require_manage(actor)
    rules.check_transition(incident.status, Status.WITHDRAWN)
    if not reason.strip():
        raise ValidationFailed("reason", "Give the reason for withdrawing the incident")
    incident.status, incident.status_reason = Status.WITHDRAWN, reason.strip()
    session.flush()
    log_event(session, actor, incident, "withdrawn", "Withdrawn", now, status_detail(incident))


def mark_duplicate(
    session: Session, actor: Actor, incident: Incident, original_ref: str, now: dt.datetime
) -> None:
    """Mark an incident as a duplicate of another, which carries on."""
    require_manage(actor)
    rules.check_transition(incident.status, Status.DUPLICATE)
    original = find_incident(session, original_ref)
    if original is None or original.id == incident.id:
        raise ValidationFailed("original", "Enter the reference of the incident it duplicates")
    incident.status, incident.duplicate_of_id = Status.DUPLICATE, original.id
    incident.status_reason = f"Duplicate of {original.reference}"
    session.flush()
    summary = f"Duplicate of {original.reference}"
    log_event(session, actor, incident, "duplicate", summary, now, status_detail(incident))


def closing_problems(incident: Incident) -> list[tuple[str, str]]:
    """What stops the incident closing, as (field, message) pairs; empty when it may close."""
    problems = []
    open_actions = [a for a in incident.actions if a.status is ActionStatus.OPEN]
    if open_actions:
        problems.append(
            ("actions", f"{len(open_actions)} action(s) still open: complete or accept each")
        )
    if incident.kind is Kind.BREACH:
        if incident.likelihood is None:
            problems.append(("grading", "Grade the incident before closing it"))
        elif incident.needs_confirmation and incident.confirmed_at is None:
            problems.append(("grading", "The grading is waiting for confirmation"))
        told_ico = any(n.regulator is Regulator.ICO for n in incident.notifications)
        if not told_ico and not incident.no_notification_reason:
            problems.append(
                ("notification", "Record the ICO notification or the reason for not notifying")
            )
    return problems


def close_incident(
    session: Session,
    actor: Actor,
    incident: Incident,
    root_cause: str,
    lessons_learned: str,
    now: dt.datetime,
) -> None:
    """Close the incident: root cause, lessons learned, every action done or accepted."""
    require_manage(actor)
    rules.check_transition(incident.status, Status.CLOSED)
    if not root_cause.strip():
        raise ValidationFailed("root_cause", "Enter the root cause")
    if not lessons_learned.strip():
        raise ValidationFailed("lessons_learned", "Enter the lessons learned")
    problems = closing_problems(incident)
    if problems:
        raise InvalidTransition(
            "The incident cannot close yet: " + "; ".join(m for _, m in problems)
        )
    incident.root_cause, incident.lessons_learned = root_cause.strip(), lessons_learned.strip()
    incident.status, incident.closed_at = Status.CLOSED, now
    session.flush()
    log_event(session, actor, incident, "closed", "Closed", now)


def reopen_incident(
    session: Session, actor: Actor, incident: Incident, reason: str, now: dt.datetime
) -> None:
    """Reopen a closed, withdrawn or duplicate incident for investigation; recorded."""
    require_manage(actor)
    if incident.status not in (Status.CLOSED, Status.WITHDRAWN, Status.DUPLICATE):
        raise InvalidTransition("Only a closed, withdrawn or duplicate incident can be reopened")
    if not reason.strip():
        raise ValidationFailed("reason", "Give the reason for reopening")
    # A report withdrawn before or at triage goes back to be triaged afresh.
    untriaged = incident.kind in (None, Kind.NOT_INCIDENT)
    incident.status = Status.REPORTED if untriaged else Status.INVESTIGATING
    if untriaged:
        incident.kind = incident.aware_at = None
    incident.closed_at = None
    incident.status_reason = f"Reopened: {reason.strip()}"
    session.flush()
    log_event(session, actor, incident, "reopened", "Reopened", now, status_detail(incident))

"""Handling a request on its clock: pause and restart (Art. 12A), extend, and close with
its outcome. Each checks the law's rules before writing, then writes its audit entry."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig import bounds
from ig.auth.rules import Actor
from ig.db import london_today
from ig.errors import EditConflict, InvalidTransition, PermissionDenied, ValidationFailed
from ig.rights import rules
from ig.rights.clock import Extension, Pause
from ig.rights.models import (
    Outcome,
    PauseReason,
    RequestStatus,
    RightsPause,
    RightsRequest,
    RightsTask,
    TaskStatus,
)
from ig.rights.policy import Clock, RightsPolicy
from ig.rights.records import clock_of, get_request, sortable_due_on
from ig.rights.refusal_models import RightsRefusal
from ig.rights.refusal_rules import check_outcome
from ig.rights.service import audit, check_text

NOTE_NEEDED = "Enter why the response was partial, refused or withdrawn"


def _open_for_change(
    session: Session, actor: Actor, request_id: int, version: int | None
) -> RightsRequest:
    if not actor.can("rights.manage") or actor.user_id is None:
        raise PermissionDenied("Only the information rights team can change a request")
    item = get_request(session, request_id)
    if version is not None and version != item.version:
        raise EditConflict()
    if item.status is RequestStatus.CLOSED:
        raise InvalidTransition("This request is closed: its clock cannot change")
    return item


def pause_clock(
    session: Session,
    actor: Actor,
    policy: RightsPolicy,
    request_id: int,
    reason: PauseReason,
    started_on: dt.date | None,
    ended_on: dt.date | None,
    now: dt.datetime,
    version: int | None = None,
) -> RightsRequest:
    """Record that the clock stopped (and, if known, when it restarted). Raises
    PermissionDenied, NotFound, EditConflict, InvalidTransition (closed) and
    ValidationFailed (start, end) as rules.check_pause says."""
    item = _open_for_change(session, actor, request_id, version)
    if started_on is None:
        raise ValidationFailed("start", "Enter the date the clock stopped")
    today = london_today(now)
    pauses = [Pause(p.started_on, p.ended_on) for p in item.pauses]
    rules.check_pause(
        policy.type(item.type_key),
        clock_of(item, policy, today),
        pauses,
        Pause(started_on, ended_on),
        today,
    )
    item.pauses.append(
        RightsPause(
            reason=reason,
            started_on=started_on,
            ended_on=ended_on,
            recorded_by_user_id=actor.user_id,
        )
    )
    item.status = RequestStatus.OPEN if ended_on else RequestStatus.PAUSED
    item.due_on = sortable_due_on(item, policy)
    session.flush()
    audit(
        session,
        actor,
        "paused",
        item,
        now,
        reason=reason.value,
        started_on=started_on.isoformat(),
        ended_on=ended_on.isoformat() if ended_on else None,
        due_on=item.due_on.isoformat(),
    )
    return item


def restart_clock(
    session: Session,
    actor: Actor,
    policy: RightsPolicy,
    request_id: int,
    ended_on: dt.date | None,
    now: dt.datetime,
    version: int | None = None,
) -> RightsRequest:
    """Record the day the clock restarted (the identity, clarification or fee arrived).

    Raises PermissionDenied, NotFound, EditConflict, InvalidTransition (not paused),
    ValidationFailed (end).
    """
    item = _open_for_change(session, actor, request_id, version)
    open_pauses = [p for p in item.pauses if p.ended_on is None]
    if not open_pauses:
        raise InvalidTransition("The clock is not paused")
    if ended_on is None:
        raise ValidationFailed("end", "Enter the date the clock restarted")
    pause = open_pauses[0]
    rules.check_restart(Pause(pause.started_on), ended_on, london_today(now))
    pause.ended_on = ended_on
    item.status = RequestStatus.OPEN
    item.due_on = sortable_due_on(item, policy)
    session.flush()
    audit(
        session,
        actor,
        "restarted",
        item,
        now,
        ended_on=ended_on.isoformat(),
        paused_days=(ended_on - pause.started_on).days,
        due_on=item.due_on.isoformat(),
    )
    return item


def extend_deadline(
    session: Session,
    actor: Actor,
    policy: RightsPolicy,
    request_id: int,
    told_on: dt.date | None,
    length: int,
    reason: str,
    now: dt.datetime,
    version: int | None = None,
) -> RightsRequest:
    """Extend the deadline by ``length`` months (data protection) or working days (FOI,
    EIR), told to the requester on ``told_on`` with ``reason``.

    Refused (ValidationFailed on told_on) after the first month or first 20 working days;
    also raises PermissionDenied, NotFound, EditConflict, InvalidTransition,
    ValidationFailed (length, reason).
    """
    item = _open_for_change(session, actor, request_id, version)
    if told_on is None:
        raise ValidationFailed("told_on", "Enter the date the requester was told")
    why = check_text(
        "reason", reason, bounds.SHORT_TEXT, "Enter the reasons given to the requester"
    )
    request_type = policy.type(item.type_key)
    monthly = request_type.clock is Clock.CALENDAR_MONTH
    extension = Extension(told_on, months=length if monthly else 0, days=0 if monthly else length)
    today = london_today(now)
    rules.check_extension(request_type, clock_of(item, policy, today), extension, today)
    item.extension_told_on = told_on
    item.extension_months = extension.months
    item.extension_days = extension.days
    item.extension_reason = why
    item.due_on = sortable_due_on(item, policy)
    session.flush()
    audit(
        session,
        actor,
        "extended",
        item,
        now,
        told_on=told_on.isoformat(),
        months=extension.months,
        working_days=extension.days,
        due_on=item.due_on.isoformat(),
    )
    return item


def _check_no_open_tasks(session: Session, item: RightsRequest) -> None:
    """The request is answered only once every asset's owner has recorded their search."""
    waiting = session.scalar(
        select(func.count(RightsTask.id)).where(
            RightsTask.request_id == item.id, RightsTask.status == TaskStatus.OPEN
        )
    )
    if waiting:
        open_ones = (
            "An information asset owner's search is"
            if waiting == 1
            else f"{waiting} information asset owners' searches are"
        )
        raise InvalidTransition(
            f"{open_ones} still open: close the request when each owner has recorded "
            "what they found"
        )


def close_request(
    session: Session,
    actor: Actor,
    request_id: int,
    outcome: Outcome,
    sent_on: dt.date | None,
    note: str,
    now: dt.datetime,
    version: int | None = None,
) -> RightsRequest:
    """Record the outcome and the date the response was sent; a clock still paused
    stops there. A partial response, a refusal and a withdrawal need a note of why.

    Raises PermissionDenied, NotFound, EditConflict, InvalidTransition (closed, or an
    asset owner's search still open), ValidationFailed (sent_on, note, outcome: refused
    without a refusal recorded, or not matching the one recorded).
    """
    item = _open_for_change(session, actor, request_id, version)
    if sent_on is None:
        raise ValidationFailed("sent_on", "Enter the date the response was sent")
    if sent_on < item.received_on:
        raise ValidationFailed(
            "sent_on",
            f"The response cannot be sent before the request was received "
            f"({item.received_on:%-d %B %Y})",
        )
    if sent_on > london_today(now):
        raise ValidationFailed(
            "sent_on", "The date the response was sent must be today or in the past"
        )
    _check_no_open_tasks(session, item)
    needs_note = None if outcome is Outcome.COMPLETE else NOTE_NEEDED
    why = check_text("note", note, bounds.SHORT_TEXT, needs_note)
    refusal = session.get(RightsRefusal, item.id)
    check_outcome(outcome, refusal.scope if refusal else None)
    for pause in item.pauses:
        if pause.ended_on is None:
            pause.ended_on = max(sent_on, pause.started_on)
    item.status = RequestStatus.CLOSED
    item.outcome = outcome
    item.response_sent_on = sent_on
    item.outcome_note = why
    item.closed_by_user_id = actor.user_id
    session.flush()
    audit(session, actor, "closed", item, now, outcome=outcome.value, sent_on=sent_on.isoformat())
    return item

"""People's notifications (their reminders in the app) and the administrators' outbox."""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from ig.audit.service import Page, record
from ig.auth.rules import Actor
from ig.errors import InvalidTransition, NotFound
from ig.feature import Task
from ig.reminders.models import Reminder, ReminderRun, ReminderStatus

# Cancelled reminders never went: the deadline was met, so they would only mislead.
VISIBLE = Reminder.status != ReminderStatus.CANCELLED


def list_notifications(
    session: Session, actor: Actor, unread_only: bool = False, page: int = 1, per_page: int = 25
) -> Page:
    """The actor's own reminders, newest first."""
    query = select(Reminder).where(Reminder.recipient_user_id == actor.user_id, VISIBLE)
    if unread_only:
        query = query.where(Reminder.read_at.is_(None))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(Reminder.queued_at.desc(), Reminder.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(rows), page, per_page, total)


def count_unread(session: Session, actor: Actor) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Reminder)
            .where(Reminder.recipient_user_id == actor.user_id, VISIBLE, Reminder.read_at.is_(None))
        )
        or 0
    )


def mark_read(session: Session, actor: Actor, reminder_id: int, now: dt.datetime) -> None:
    """Mark one of the actor's own notifications as read; NotFound for anyone else's."""
    reminder = session.get(Reminder, reminder_id)
    if reminder is None or reminder.recipient_user_id != actor.user_id:
        raise NotFound("There is no such notification")
    if reminder.read_at is None:
        reminder.read_at = now
        session.flush()


def mark_all_read(session: Session, actor: Actor, now: dt.datetime) -> int:
    """Mark every unread notification of the actor as read; returns how many."""
    result = session.execute(
        update(Reminder)
        .where(Reminder.recipient_user_id == actor.user_id, Reminder.read_at.is_(None))
        .values(read_at=now)
    )
    return typing.cast(CursorResult[Any], result).rowcount


def notification_tasks(session: Session, actor: Actor) -> list[Task]:
    """Unread notifications on the home page."""
    if actor.user_id is None or not actor.can("notifications.read"):
        return []
    unread = count_unread(session, actor)
    if not unread:
        return []
    return [
        Task(
            "Read your notifications",
            "reminders.notifications",
            detail="Reminders about deadlines you are responsible for",
            count=unread,
        )
    ]


@dataclass(frozen=True)
class OutboxSummary:
    counts: dict[str, int]
    last_pass: ReminderRun | None
    last_delivery: ReminderRun | None


def outbox_summary(session: Session) -> OutboxSummary:
    counts = dict(
        session.execute(select(Reminder.status, func.count()).group_by(Reminder.status)).all()
    )
    return OutboxSummary(
        counts={status.value: counts.get(status, 0) for status in ReminderStatus},
        last_pass=_last_run(session, "pass"),
        last_delivery=_last_run(session, "delivery"),
    )


def _last_run(session: Session, kind: str) -> ReminderRun | None:
    return session.scalar(
        select(ReminderRun)
        .where(ReminderRun.kind == kind)
        .order_by(ReminderRun.started_at.desc(), ReminderRun.id.desc())
        .limit(1)
    )


def list_outbox(
    session: Session, status: ReminderStatus, page: int = 1, per_page: int = 50
) -> Page:
    """Reminders in one state, oldest first for pending ones, newest first otherwise."""
    query = select(Reminder).where(Reminder.status == status)
    order = Reminder.id.asc() if status is ReminderStatus.PENDING else Reminder.id.desc()
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(order).limit(per_page).offset((page - 1) * per_page))
    return Page(list(rows.all()), page, per_page, total)


def get_reminder(session: Session, reminder_id: int) -> Reminder:
    reminder = session.get(Reminder, reminder_id)
    if reminder is None:
        raise NotFound("There is no such reminder")
    return reminder


def retry_failed(session: Session, actor: Actor, reminder_id: int, now: dt.datetime) -> None:
    """Put a failed reminder back in the queue with fresh attempts (after fixing the cause)."""
    reminder = get_reminder(session, reminder_id)
    if reminder.status is not ReminderStatus.FAILED:
        raise InvalidTransition("Only a failed reminder can be sent again")
    reminder.status, reminder.attempts, reminder.next_attempt_at = ReminderStatus.PENDING, 0, now
    session.flush()
    record(
        session, actor, "reminder.retried", "reminder", reminder.id, {"rule": reminder.rule}, at=now
    )

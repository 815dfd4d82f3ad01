"""The reminder pass: cancel what no longer applies, then queue what is due, in SQL.

Each stage of each rule becomes one INSERT ... SELECT ... ON CONFLICT DO NOTHING on the
outbox's unique key (rule, record, recipient, period): running the pass twice, on two
machines at once, or again after a crash, queues nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import typing
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    cast,
    func,
    literal,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, Result
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from ig.auth.models import User, UserRole
from ig.db import UTCDateTime
from ig.people.models import Team, TeamManager
from ig.reminders import rules
from ig.reminders.models import Reminder, ReminderRun, ReminderStatus
from ig.reminders.open_items import items_of, load_open_items, still_open
from ig.reminders.policy import RemindersPolicy, Rule

log = logging.getLogger(__name__)
COLUMNS = (
    "rule",
    "record_type",
    "record_id",
    "recipient_key",
    "recipient_user_id",
    "recipient_email",
    "period",
    "stage",
    "due_key",
    "title",
    "link",
    "delivery",
    "status",
    "queued_at",
    "send_after",
    "attempts",
    "last_error",
)


@dataclass
class PassResult:
    """What one pass did: the ids it queued and how many it cancelled, per rule."""

    queued: dict[str, list[int]] = field(default_factory=dict)
    cancelled: int = 0

    @property
    def queued_count(self) -> int:
        return sum(len(ids) for ids in self.queued.values())


def run_pass(session: Session, policy: RemindersPolicy, now: dt.datetime) -> PassResult:
    """Cancel reminders that no longer apply, then queue every reminder due at ``now``.

    Flushes, never commits: the caller's transaction makes the pass all or nothing.
    """
    result = PassResult(cancelled=cancel_stale(session, policy, now))
    for rule in policy.rules.values():
        result.queued[rule.key] = queue_rule(session, policy, rule, now)
    session.add(
        ReminderRun(
            kind="pass",
            started_at=now,
            as_of=now,
            summary=f"queued {result.queued_count}, cancelled {result.cancelled}",
        )
    )
    session.flush()
    log.info(
        "reminder pass as of %s: queued %s, cancelled %s",
        now.isoformat(),
        result.queued_count,
        result.cancelled,
    )
    return result


def cancel_stale(session: Session, policy: RemindersPolicy, now: dt.datetime) -> int:
    """Cancel pending reminders whose item is done, whose deadline moved, or whose rule went.

    Loads the pass's open items (see open_items.py) for queue_rule to read after it.
    """
    pending = Reminder.status == ReminderStatus.PENDING
    cancel = {"status": ReminderStatus.CANCELLED, "cancelled_at": now}
    # A write first: on SQLite the pass then holds the write lock from its start, so a
    # concurrent pass waits for it instead of failing to turn its reads into a write.
    count = _rowcount(
        session.execute(
            update(Reminder)
            .where(pending, Reminder.rule.not_in(list(policy.rules)))
            .values(**cancel)
        )
    )
    load_open_items(session, policy, now)
    for rule in policy.rules.values():
        count += _rowcount(
            session.execute(
                update(Reminder)
                .where(pending, Reminder.rule == rule.key, ~still_open(rule.source))
                .values(**cancel)
                .execution_options(synchronize_session="fetch")
            )
        )
    return count


def _rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE changed (an UPDATE's result is always a CursorResult)."""
    return typing.cast(CursorResult[Any], result).rowcount


def queue_rule(
    session: Session, policy: RemindersPolicy, rule: Rule, now: dt.datetime
) -> list[int]:
    """Queue the reminders ``rule`` has due at ``now``; returns the ids newly queued.

    Reads the open items that load_open_items kept for this pass.
    """
    items = items_of(rule)
    send_at = rules.send_after(rule.delivery, now, policy.delivery.digest_hour)
    selects = [
        _recipient_select(items, rule, stage, recipient, now, send_at)
        for stage in rules.stages(rule, now)
        for recipient in stage.recipients
    ]
    if not selects:
        return []
    combined = union_all(*selects).subquery("due_reminders")
    # "WHERE true" keeps SQLite from reading ON CONFLICT as a join's ON clause.
    source = select(*[combined.c[name] for name in COLUMNS]).where(true())
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(Reminder)
        .from_select(list(COLUMNS), source)
        .on_conflict_do_nothing(
            index_elements=["rule", "record_type", "record_id", "recipient_key", "period"]
        )
        .returning(Reminder.id)
    )
    return list(session.scalars(statement).all())


def _recipient_select(
    items: Subquery,
    rule: Rule,
    stage: rules.Stage,
    recipient: str,
    now: dt.datetime,
    send_at: dt.datetime,
) -> Select:
    """The reminders of one stage for one kind of recipient, as a SELECT of COLUMNS."""
    due_type = items.c.due.type
    window = [items.c.due <= literal(stage.due_to, due_type)] if stage.due_to else []
    if stage.due_from is not None:
        window.append(items.c.due >= literal(stage.due_from, due_type))
    user = aliased(User)
    if recipient == "owner":
        by_user = _columns(items, rule, stage, now, send_at, user).join(
            user, user.id == items.c.owner_user_id
        )
        by_email = _columns(items, rule, stage, now, send_at, None).where(
            items.c.owner_user_id.is_(None), func.coalesce(items.c.owner_email, "") != ""
        )
        return (
            union_all(by_user.where(*window, user.is_active.is_(True)), by_email.where(*window))
            .subquery()
            .select()
        )
    query = _columns(items, rule, stage, now, send_at, user)
    if recipient == "manager":
        team, managed = aliased(Team), aliased(Team)
        query = (
            query.join(team, team.id == items.c.team_id)
            .join(managed, team.path.startswith(managed.path))
            .join(TeamManager, TeamManager.team_id == managed.id)
            .join(user, user.id == TeamManager.user_id)
        )
    else:
        role = recipient.removeprefix("role:")
        query = query.join(UserRole, UserRole.role == role).join(user, user.id == UserRole.user_id)
    return query.where(*window, user.is_active.is_(True)).distinct()


def _columns(
    items: Subquery,
    rule: Rule,
    stage: rules.Stage,
    now: dt.datetime,
    send_at: dt.datetime,
    user: type[User] | None,
) -> Select:
    key: ColumnElement[Any]
    user_id: ColumnElement[Any]
    email: ColumnElement[Any]
    if user is not None:
        key = literal("user:") + cast(user.id, String)
        user_id, email = user.id.expression, user.email.expression
    else:
        key = func.lower(items.c.owner_email)
        user_id, email = cast(literal(None), Integer), items.c.owner_email
    return select(
        literal(rule.key).label("rule"),
        items.c.record_type.label("record_type"),
        items.c.record_id.label("record_id"),
        key.label("recipient_key"),
        user_id.label("recipient_user_id"),
        email.label("recipient_email"),
        (items.c.due_key + literal(":" + stage.period)).label("period"),
        literal(stage.name).label("stage"),
        items.c.due_key.label("due_key"),
        func.substr(items.c.title, 1, 300).label("title"),
        items.c.link.label("link"),
        literal(rule.delivery).label("delivery"),
        literal(ReminderStatus.PENDING.value).label("status"),
        literal(now, UTCDateTime()).label("queued_at"),
        literal(send_at, UTCDateTime()).label("send_after"),
        literal(0).label("attempts"),
        literal("").label("last_error"),
    ).select_from(items)

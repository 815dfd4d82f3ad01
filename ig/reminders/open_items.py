"""The open items of a pass: every source is asked once per pass, and what it answers
is kept in a temporary, indexed table that the cancelling and queueing statements read.

Asking once matters when a source is costly (the training register works out every
person's status), and the index keeps "is this reminder's item still open?" a look-up
rather than a scan of the source's query for every queued reminder.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import (
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    insert,
    literal,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Exists, Subquery

from ig.db import UTCDateTime
from ig.reminders.models import Reminder
from ig.reminders.policy import RemindersPolicy, Rule

# Not in the application's metadata: a per-connection scratch table, never migrated.
_scratch = MetaData()
open_items = Table(
    "reminder_open_items",
    _scratch,
    Column("source", String(60), nullable=False),
    Column("record_type", String(40), nullable=False),
    Column("record_id", String(40), nullable=False),
    Column("due_on", Date),
    Column("due_at", UTCDateTime()),
    Column("due_key", String(60), nullable=False),
    Column("title", String(300), nullable=False),
    Column("link", String(300), nullable=False),
    Column("owner_user_id", Integer),
    Column("owner_email", String(320)),
    Column("team_id", Integer),
    Index("ix_reminder_open_items_key", "source", "record_id", "record_type", "due_key"),
    prefixes=["TEMPORARY"],
)
COPIED = (
    "record_type",
    "record_id",
    "due_key",
    "title",
    "link",
    "owner_user_id",
    "owner_email",
    "team_id",
)


def _widest(rules: list[Rule]) -> Rule:
    """The rule with the longest lead time: its items include every other rule's."""
    return max(rules, key=lambda rule: max(rule.before_days, default=0))


def load_open_items(session: Session, policy: RemindersPolicy, now: dt.datetime) -> None:
    """Ask each source of the policy's rules once, and keep the answers for this pass."""
    connection = session.connection()
    open_items.create(connection, checkfirst=True)
    connection.execute(delete(open_items))
    by_source: dict[str, list[Rule]] = defaultdict(list)
    for rule in policy.rules.values():
        by_source[rule.source].append(rule)
    for source, rules in by_source.items():
        rule = _widest(rules)
        answer = policy.sources[source](session, rule, now).subquery("answer")
        due = "due_at" if rule.is_instant else "due_on"
        connection.execute(
            insert(open_items).from_select(
                ["source", due, *COPIED],
                select(literal(source), answer.c.due, *[answer.c[name] for name in COPIED]),
            )
        )


def items_of(rule: Rule) -> Subquery:
    """The open items of ``rule``'s source, with its due column as ``due``."""
    due = open_items.c.due_at if rule.is_instant else open_items.c.due_on
    return (
        select(due.label("due"), *[open_items.c[name] for name in COPIED])
        .where(open_items.c.source == rule.source)
        .subquery("due_items")
    )


def still_open(source: str) -> Exists:
    """EXISTS an open item of ``source`` for the outbox row's record and due key."""
    return (
        select(1)
        .where(
            open_items.c.source == source,
            open_items.c.record_id == Reminder.record_id,
            open_items.c.record_type == Reminder.record_type,
            open_items.c.due_key == Reminder.due_key,
        )
        .exists()
    )

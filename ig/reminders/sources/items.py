"""Rule sources that compute their items in Python (through another register's service)
hand them to the engine through a temporary table, so the engine's SQL stays one shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields

from sqlalchemy import (
    Column,
    Date,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    delete,
    insert,
    select,
)
from sqlalchemy.orm import Session

from ig.db import UTCDateTime


@dataclass(frozen=True)
class DueItem:
    """One open item with a deadline, as the engine's sources describe it."""

    record_type: str
    record_id: str
    due_key: str
    title: str
    link: str
    due_on: dt.date | None = None
    due_at: dt.datetime | None = None
    owner_user_id: int | None = None
    owner_email: str | None = None
    team_id: int | None = None


FIELDS = tuple(field.name for field in fields(DueItem))

# Not in the application's metadata: a per-connection scratch table, never migrated.
_scratch = MetaData()
due_items = Table(
    "reminder_due_items",
    _scratch,
    Column("record_type", String(40), nullable=False),
    Column("record_id", String(40), nullable=False),
    Column("due_key", String(60), nullable=False),
    Column("title", String(300), nullable=False),
    Column("link", String(300), nullable=False),
    Column("due_on", Date),
    Column("due_at", UTCDateTime()),
    Column("owner_user_id", Integer),
    Column("owner_email", String(320)),
    Column("team_id", Integer),
    Index("ix_reminder_due_items_record", "record_id", "record_type"),
    prefixes=["TEMPORARY"],
)


def select_items(session: Session, items: Sequence[DueItem], instant: bool = False) -> Select:
    """Load ``items`` into this connection's scratch table and select them as a source."""
    connection = session.connection()
    due_items.create(connection, checkfirst=True)
    connection.execute(delete(due_items))
    if items:
        # Not dataclasses.asdict, which deep-copies every field of thousands of items.
        connection.execute(
            insert(due_items), [{name: getattr(item, name) for name in FIELDS} for item in items]
        )
    due = due_items.c.due_at if instant else due_items.c.due_on
    return select(
        due_items.c.record_type,
        due_items.c.record_id,
        due.label("due"),
        due_items.c.due_key,
        due_items.c.title,
        due_items.c.link,
        due_items.c.owner_user_id,
        due_items.c.owner_email,
        due_items.c.team_id,
    )

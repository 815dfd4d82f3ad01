"""Reading a feed's rows: keyset pages by id, and the rows changed after an instant.

A page is ``WHERE id > :after ORDER BY id LIMIT :n`` over the feed's query, never
OFFSET, so a pull of 100,000 rows costs each page the same and a row added while a
client pages through is neither skipped nor repeated.

Which rows changed after an instant comes from the audit trail: every change a
service makes writes its entry, in the same transaction, with the instant of the
change (``at``), on the record it changed (``record_type``, ``record_id``). The feed
names its record type and the column the trail's ``record_id`` holds (an id or a
reference), the actions that only read (views, exports) are left out, and a child
record whose changes the trail records on its parent is mapped through the parent.
The index on (record_type, at) finds those entries without reading the rest. Rows
that are only ever inserted, in bulk under one entry (training completions, a loaded
list of organisations), use their own time of recording instead. A snapshot worked
out at each pull (compliance today) counts every row as changed at the pull.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, false, select, true
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.feature import Feed
from ig.feeds.rules import PageRequest
from ig.policies import Policies

# Rows fetched from the database at a time while a CSV streams.
STREAM_BATCH = 1000


def feed_select(
    session: Session,
    feed: Feed,
    policies: Policies,
    now: dt.datetime,
    page: PageRequest,
    limit: int | None,
) -> Select[Any]:
    """The feed's rows after ``page.after`` in id order, at most ``limit`` (all if None)."""
    rows = feed.query(session, policies, now).subquery("feed")
    query = select(*(rows.c[column.name] for column in feed.columns)).where(rows.c.id > page.after)
    if page.changed_since is not None:
        query = query.where(_changed_after(feed, rows, page.changed_since, now))
    query = query.order_by(rows.c.id)
    return query if limit is None else query.limit(limit)


def _changed_after(
    feed: Feed, rows: Any, since: dt.datetime, now: dt.datetime
) -> ColumnElement[bool]:
    changes = feed.changes
    if changes is None:
        # A snapshot (compliance today) is worked out afresh at each pull, so each of
        # its rows counts as changed now: all of them for an instant before now.
        return true() if since < now else false()
    if changes.column is not None:
        return rows.c[changes.column] > since  # type: ignore[no-any-return]
    trail = select(AuditEntry.record_id).where(
        AuditEntry.record_type == changes.record_type,
        AuditEntry.at > since,
        AuditEntry.record_id.is_not(None),
    )
    if changes.ignored:
        trail = trail.where(AuditEntry.action.not_in(changes.ignored))
    if changes.action_prefix is not None:
        trail = trail.where(AuditEntry.action.startswith(changes.action_prefix, autoescape=True))
    return cast(rows.c[changes.key], String(80)).in_(trail)


def read_page(
    session: Session, feed: Feed, policies: Policies, now: dt.datetime, page: PageRequest
) -> tuple[list[dict[str, Any]], int | None]:
    """One page of rows as dictionaries, and the id to continue after (None on the last)."""
    query = feed_select(session, feed, policies, now, page, page.size + 1)
    found = session.execute(query).mappings().all()
    rows = [dict(row) for row in found[: page.size]]
    more = len(found) > page.size
    return rows, (rows[-1]["id"] if more else None)


def stream_rows(
    session: Session, feed: Feed, policies: Policies, now: dt.datetime, page: PageRequest
) -> Iterator[tuple[Any, ...]]:
    """Every row after ``page.after``, fetched a batch at a time (a server-side cursor on
    PostgreSQL), so that memory stays flat however many rows there are."""
    query = feed_select(session, feed, policies, now, page, None)

    def rows() -> Iterator[tuple[Any, ...]]:
        for row in session.execute(query.execution_options(yield_per=STREAM_BATCH)):
            yield tuple(row)

    return rows()

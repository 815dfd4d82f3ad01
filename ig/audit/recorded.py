"""When facts were recorded, read from the audit trail, for the IG report's figures.

A register's row holds what is true now; the trail holds when each fact was recorded.
A report "as recorded then" counts only the facts whose audit entry is at or before its
``recorded_by`` instant, so it gives the same figures whenever it is run; "as now
known" (``cutoff`` None) counts every entry. Each function gives a SQL expression for a
feature's aggregate query, never a query per record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, String, case, cast, exists, func, select

from ig.audit.models import AuditEntry
from ig.db import LONDON


def day_start(day: dt.date) -> dt.datetime:
    """The instant (UTC) the UK calendar day ``day`` begins."""
    return dt.datetime.combine(day, dt.time(), LONDON).astimezone(dt.UTC)


def day_end(day: dt.date) -> dt.datetime:
    """The last instant (UTC) of the UK calendar day ``day``: what ``recorded_by`` is
    for a report as recorded then."""
    return day_start(day + dt.timedelta(days=1)) - dt.timedelta(microseconds=1)


def earliest(*instants: dt.datetime | None) -> dt.datetime | None:
    """The earliest of the instants given (None ones ignored), or None if none is."""
    known = [instant for instant in instants if instant is not None]
    return min(known) if known else None


def _about(record_type: str, record_id: Any, actions: Sequence[str]) -> Select[Any]:
    return select(AuditEntry.id).where(
        AuditEntry.record_type == record_type,
        AuditEntry.record_id == cast(record_id, String),
        AuditEntry.action.in_(actions),
    )


def was_recorded(
    record_type: str,
    record_id: Any,
    actions: Sequence[str],
    cutoff: dt.datetime | None,
    *where: ColumnElement[bool],
) -> ColumnElement[bool]:
    """Whether the record (``record_id``: its id column) has an entry of one of ``actions``
    at or before ``cutoff`` (any, when ``cutoff`` is None) and matching ``where``."""
    query = _about(record_type, record_id, actions).where(*where)
    if cutoff is not None:
        query = query.where(AuditEntry.at <= cutoff)
    return exists(query)


def latest_detail(
    record_type: str,
    record_id: Any,
    actions: Sequence[str],
    key: str,
    cutoff: dt.datetime | None,
    *where: ColumnElement[bool],
    as_type: str = "string",
) -> ColumnElement[Any]:
    """The text of ``detail[key]`` in the record's latest entry of one of ``actions`` at or before
    ``cutoff`` (and matching ``where``), or NULL if there is none (a correlated scalar
    subquery); ``as_type`` is how to read it: "string", "integer" or "boolean"."""
    if cutoff is not None:
        where = (*where, AuditEntry.at <= cutoff)
    return _detail(record_type, record_id, actions, key, where, as_type, AuditEntry.seq.desc())


def first_detail(
    record_type: str, record_id: Any, actions: Sequence[str], key: str, as_type: str = "string"
) -> ColumnElement[Any]:
    """The text of ``detail[key]`` in the record's first entry of one of ``actions``, or
    NULL if there is none: where a change records the value it replaced, what the record
    held before the trail first recorded the fact."""
    return _detail(record_type, record_id, actions, key, (), as_type, AuditEntry.seq.asc())


def _detail(
    record_type: str,
    record_id: Any,
    actions: Sequence[str],
    key: str,
    where: Sequence[ColumnElement[bool]],
    as_type: str,
    order: Any,
) -> ColumnElement[Any]:
    query = (
        select(getattr(AuditEntry.detail[key], f"as_{as_type}")())
        .where(
            AuditEntry.record_type == record_type,
            AuditEntry.record_id == cast(record_id, String),
            AuditEntry.action.in_(actions),
            *where,
        )
        .order_by(order)
        .limit(1)
    )
    return query.scalar_subquery()


def count_entries(
    action: str,
    cutoff: dt.datetime | None,
    *where: ColumnElement[bool],
    distinct_records: bool = True,
) -> Select[Any]:
    """A query counting the ``action`` entries at or before ``cutoff`` matching ``where``:
    the distinct records they are about, or every entry."""
    counted = func.count(func.distinct(AuditEntry.record_id)) if distinct_records else func.count()
    query = select(counted).where(AuditEntry.action == action, *where)
    if cutoff is not None:
        query = query.where(AuditEntry.at <= cutoff)
    return query


def detail_date_between(
    key: str, start: dt.date | None, end: dt.date | None
) -> ColumnElement[bool]:
    """An entry whose ``detail[key]`` (an ISO date, as services write them) is from
    ``start`` to ``end`` inclusive (either None: open): ISO dates compare as text."""
    value = AuditEntry.detail[key].as_string()
    low = value >= start.isoformat() if start else value.is_not(None)
    return low & (value <= end.isoformat()) if end else low


def entry_at_between(start: dt.datetime, end: dt.datetime) -> ColumnElement[bool]:
    """An entry written from ``start`` to ``end`` inclusive."""
    return (AuditEntry.at >= start) & (AuditEntry.at <= end)


def value_then(
    record_type: str,
    record_id: Any,
    actions: Sequence[str],
    key: str,
    cutoff: dt.datetime | None,
    current: Any,
    *where: ColumnElement[bool],
    as_type: str = "string",
) -> Any:
    """A fact as it stood at ``cutoff``: ``detail[key]`` in the record's latest entry of
    ``actions`` carrying it at or before then (NULL if it was not yet recorded); the
    ``current`` column where no entry ever carries it (records from before their
    service wrote it), and always for "as now known" (``cutoff`` None)."""
    if cutoff is None:
        return current
    carries = AuditEntry.detail[key].as_string().is_not(None)

    def latest(at: dt.datetime | None) -> ColumnElement[Any]:
        return latest_detail(
            record_type, record_id, actions, key, at, carries, *where, as_type=as_type
        )

    # The entry by the cut-off first: where there is one (the usual case) it is the answer,
    # and the look-up for any entry at all is not made.
    return func.coalesce(latest(cutoff), case((latest(None).is_(None), current)))

"""Writing the audit trail and verifying its hash chain."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session

from ig.audit.chain import GENESIS, ChainProblem, VerifyResult, entry_digest, verify_chain
from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.db import LONDON, utcnow

# The chain's names stay importable from here, where features have always found them.
__all__ = [
    "GENESIS",
    "AuditFilter",
    "ChainProblem",
    "Page",
    "VerifyResult",
    "list_entries",
    "paginate",
    "record",
    "verify_chain",
]
# Any constant: the advisory lock that serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK = 0x16A0D17


def record(
    session: Session,
    actor: Actor,
    action: str,
    record_type: str | None = None,
    record_id: object | None = None,
    detail: Mapping[str, Any] | None = None,
    *,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Append one entry to the trail in the caller's transaction.

    ``detail`` holds field names and non-sensitive values only, never decrypted case
    detail. The entry commits or rolls back with the change it describes.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.entry_hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        at=at or utcnow(),
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        record_type=record_type,
        record_id=None if record_id is None else str(record_id),
        detail=dict(detail or {}),
        prev_hash=last.entry_hash if last else GENESIS,
    )
    entry.entry_hash = entry_digest(entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """What the auditor asked to see; every field optional."""

    actor: str | None = None
    record_type: str | None = None
    record_id: str | None = None
    action: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class Page:
    """One page of rows and what is needed to link to the others."""

    rows: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_entries(session: Session, filters: AuditFilter, page: int = 1, per_page: int = 50) -> Page:
    """Audit entries matching ``filters``, newest first, one page at a time."""
    query = select(AuditEntry)
    if filters.actor:
        query = query.where(
            AuditEntry.actor_label.ilike(f"%{_escape_like(filters.actor)}%", escape="\\")
        )
    if filters.record_type:
        query = query.where(AuditEntry.record_type == filters.record_type)
    if filters.record_id:
        query = query.where(AuditEntry.record_id == filters.record_id)
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.date_from:
        query = query.where(AuditEntry.at >= _london_midnight(filters.date_from))
    if filters.date_to:
        query = query.where(
            AuditEntry.at < _london_midnight(filters.date_to + dt.timedelta(days=1))
        )
    return paginate(session, query.order_by(AuditEntry.seq.desc()), page, per_page)


def paginate(session: Session, query: Select[Any], page: int, per_page: int) -> Page:
    """One page of ``query``'s rows (two queries: the count and the page).

    ``page`` is clamped to the pages there are, so a hand-edited ``?page=`` shows
    the first or last page rather than failing on a negative or huge offset.
    """
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, -(-(total or 0) // per_page))
    page = min(max(page, 1), pages)
    rows = session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(list(rows), page, per_page, total or 0)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _london_midnight(day: dt.date) -> dt.datetime:

    return dt.datetime.combine(day, dt.time(), LONDON).astimezone(dt.UTC)

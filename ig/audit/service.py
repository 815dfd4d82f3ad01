"""Writing the audit trail and verifying its hash chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.auth.rules import Actor
from ig.crypto import get_keyring
from ig.db import LONDON, utcnow

GENESIS = "0" * 64
# Any constant: the advisory lock that serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK = 0x16A0D17


def _digest(entry: Any) -> str:
    """The keyed hash of an entry's content and its predecessor's hash (AuditEntry or row)."""
    payload = json.dumps(
        {
            "seq": entry.seq,
            "at": entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
            "actor_id": entry.actor_id,
            "actor_label": entry.actor_label,
            "action": entry.action,
            "record_type": entry.record_type,
            "record_id": entry.record_id,
            "detail": entry.detail,
            "prev_hash": entry.prev_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hmac.new(get_keyring().audit_key, payload.encode(), hashlib.sha256).hexdigest()


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
    entry.entry_hash = _digest(entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainProblem:
    """The first place where the chain does not hold."""

    seq: int
    entry_id: int | None
    kind: str  # altered | removed | inserted
    message: str


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of walking the chain: how far it held, and the first problem if any."""

    checked: int
    head_seq: int
    head_hash: str
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _entries(session: Session, batch: int = 2000) -> Iterator[Any]:
    """Every entry in seq order, as plain rows (not ORM objects) a batch at a time.

    Plain rows keep the walk out of the session's identity map, so verifying a long
    trail neither grows memory nor detaches the caller's objects.
    """
    after = 0
    columns = AuditEntry.__table__.columns
    while True:
        rows = session.execute(
            select(*columns).where(AuditEntry.seq > after).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq


def verify_chain(session: Session) -> VerifyResult:
    """Walk the trail in order and report the first altered, removed or inserted entry.

    An entry whose hash fails is judged by its successor: if the successor links to
    the entry before it, it was slipped in (inserted); otherwise its content changed.
    Removal shows as a gap in ``seq``. Removing the newest entries leaves no gap, which
    is why the result gives the head's hash for the auditor to note.
    """
    previous: Any = None
    suspect: Any = None  # an entry whose hash failed, judged by its successor
    checked = 0
    for entry in _entries(session):
        link = previous.entry_hash if previous else GENESIS
        expected = previous.seq + 1 if previous else 1
        if suspect is not None:
            return _result(checked, previous, _judge(suspect, entry, link, expected))
        checked += 1
        if not hmac.compare_digest(entry.entry_hash, _digest(entry)):
            suspect = entry
            continue
        if entry.seq != expected:
            return _result(checked, previous, _removed(expected, entry.seq))
        if entry.prev_hash != link:
            return _result(
                checked,
                previous,
                ChainProblem(
                    entry.seq,
                    entry.id,
                    "altered",
                    f"entry {entry.seq} (id {entry.id}) does not follow entry {expected - 1}: "
                    "the link between them was altered",
                ),
            )
        previous = entry
    if suspect is not None:
        return _result(checked, previous, _problem(suspect, "altered or added"))
    return _result(checked, previous, None)


def _judge(suspect: Any, successor: Any, link: str, expected: int) -> ChainProblem:
    if successor.prev_hash == link:
        return _problem(suspect, "inserted")
    if suspect.seq != expected:
        return _removed(expected, suspect.seq)
    return _problem(suspect, "altered")


def _removed(expected: int, found: int) -> ChainProblem:
    return ChainProblem(
        expected, None, "removed", f"entry {expected} was removed: the chain jumps to {found}"
    )


def _problem(entry: Any, how: str) -> ChainProblem:
    explanation = {
        "inserted": "it was inserted: it is not part of the chain",
        "altered": "it was altered: its hash does not match its content",
        "altered or added": (
            "its hash does not match its content: it was altered, "
            "or added by someone without the audit key"
        ),
    }[how]
    kind = "inserted" if how == "inserted" else "altered"
    return ChainProblem(
        entry.seq, entry.id, kind, f"entry {entry.seq} (id {entry.id}) {explanation}"
    )


def _result(checked: int, head: Any, problem: ChainProblem | None) -> VerifyResult:
    return VerifyResult(
        checked=checked,
        head_seq=head.seq if head else 0,
        head_hash=head.entry_hash if head else GENESIS,
        problem=problem,
    )


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

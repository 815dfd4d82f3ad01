"""The audit trail's hash chain: the keyed hash of an entry, and walking every entry.

The walk reads every row of the table, whatever its sequence number, in (seq, id)
order, so an entry slipped in below 1, a duplicated number, a gap or a reordering
is named as well as an altered entry. What the walk cannot see (entries removed
from the end) is the checkpoint's job: see ``ig.audit.checkpoint``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.crypto import get_keyring

GENESIS = "0" * 64
# How far from its place a moved entry is looked for (one keyed hash per place tried).
REORDER_WINDOW = 1000


def entry_digest(entry: Any, seq: int | None = None) -> str:
    """The keyed hash of an entry's content and its predecessor's hash.

    ``seq`` replaces the entry's own number, to test whether it was moved.
    """
    payload = json.dumps(
        {
            "seq": entry.seq if seq is None else seq,
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


@dataclass(frozen=True)
class ChainProblem:
    """The first place where the chain does not hold."""

    seq: int
    entry_id: int | None
    # altered | removed | inserted | reordered | duplicated | truncated | rewritten | checkpoint
    kind: str
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


def entries(session: Session, batch: int = 2000) -> Iterator[Any]:
    """Every entry in (seq, id) order, as plain rows a batch at a time, from the lowest seq.

    Plain rows keep the walk out of the session's identity map, so verifying a long
    trail neither grows memory nor detaches the caller's objects.
    """
    return entries_in_order(session, select(*AuditEntry.__table__.columns), batch)


def entries_in_order(session: Session, query: Select[Any], batch: int = 2000) -> Iterator[Any]:
    """The rows of ``query`` (which must select seq and id) in (seq, id) order, a batch
    at a time, each batch starting after the last row of the one before."""
    query = query.order_by(AuditEntry.seq, AuditEntry.id).limit(batch)
    rows = session.execute(query).all()
    while rows:
        yield from rows
        last = rows[-1]
        rows = session.execute(
            query.where(
                # The bound the index can seek to: without it each batch read the trail
                # from its start, and a walk took time in the square of its length.
                AuditEntry.seq >= last.seq,
                or_(
                    AuditEntry.seq > last.seq,
                    and_(AuditEntry.seq == last.seq, AuditEntry.id > last.id),
                ),
            )
        ).all()


def verify_chain(session: Session) -> VerifyResult:
    """Walk the whole trail and report the first altered, removed, inserted or moved entry."""
    return walk(entries(session))


def walk(rows: Iterable[Any]) -> VerifyResult:
    """Check ``rows`` (in seq order) as one chain starting at 1 from the genesis hash.

    An entry whose hash fails is judged by its successor: if the successor links to
    the entry before it, it was slipped in (inserted); otherwise its content changed.
    Removal shows as a gap in ``seq``. Removing the newest entries leaves no gap: the
    checkpoint compares the head with one kept outside the database.
    """
    previous: Any = None
    suspect: Any = None  # an entry whose hash failed, judged by its successor
    checked = 0
    for entry in rows:
        link = previous.entry_hash if previous else GENESIS
        expected = previous.seq + 1 if previous else 1
        if suspect is not None:
            return _result(checked, previous, _judge(suspect, entry, link, expected))
        checked += 1
        problem = _misplaced(previous, entry)
        if problem is None and not hmac.compare_digest(entry.entry_hash, entry_digest(entry)):
            problem = _moved(entry)
            if problem is None:
                suspect = entry
                continue
        if problem is None and entry.seq != expected:
            problem = _removed(expected, entry.seq)
        if problem is None and entry.prev_hash != link:
            problem = _problem(entry, "unlinked", expected - 1)
        if problem is not None:
            return _result(checked, previous, problem)
        previous = entry
    if suspect is not None:
        return _result(checked, previous, _problem(suspect, "altered or added"))
    return _result(checked, previous, None)


def _misplaced(previous: Any, entry: Any) -> ChainProblem | None:
    """An entry numbered below 1, or with the same number as the one before it."""
    if entry.seq < 1:
        return _problem(entry, "below")
    if previous is not None and entry.seq == previous.seq:
        return ChainProblem(
            entry.seq,
            entry.id,
            "duplicated",
            f"entry {entry.seq} appears twice (ids {previous.id} and {entry.id}): "
            "a copy was inserted",
        )
    return None


def _moved(entry: Any) -> ChainProblem | None:
    """If the entry's hash holds at another place in the chain, it was moved from there."""
    low = max(1, entry.seq - REORDER_WINDOW)
    for seq in range(low, entry.seq + REORDER_WINDOW + 1):
        if seq != entry.seq and hmac.compare_digest(entry.entry_hash, entry_digest(entry, seq)):
            return ChainProblem(
                entry.seq,
                entry.id,
                "reordered",
                f"entry {entry.seq} (id {entry.id}) was entry {seq}: the trail was reordered",
            )
    return None


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


_EXPLANATIONS = {
    "inserted": ("inserted", "it was inserted: it is not part of the chain"),
    "below": ("inserted", "has a sequence number below 1, where no entry belongs: it was inserted"),
    "altered": ("altered", "it was altered: its hash does not match its content"),
    "altered or added": (
        "altered",
        "its hash does not match its content: it was altered, "
        "or added by someone without the audit key",
    ),
}


def _problem(entry: Any, how: str, before: int = 0) -> ChainProblem:
    if how == "unlinked":
        return ChainProblem(
            entry.seq,
            entry.id,
            "altered",
            f"entry {entry.seq} (id {entry.id}) does not follow entry {before}: "
            "the link between them was altered",
        )
    kind, explanation = _EXPLANATIONS[how]
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

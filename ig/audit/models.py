"""The audit entry table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ig.db import Base, UTCDateTime


class AuditEntry(Base):
    """One thing that happened: who, when, what, to which record; never a sensitive value.

    ``seq`` is unique and gap-free and ``entry_hash`` is an HMAC over the entry and the
    previous entry's hash, so an altered, removed or inserted entry breaks the chain.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_record", "record_type", "record_id"),
        # A record's entries of one action by an instant: the IG report's look-ups "as
        # recorded then" (ig.audit.recorded), and one action's entries over a period.
        Index("ix_audit_entries_action_record", "action", "record_type", "record_id", "at"),
        Index("ix_audit_entries_actor_at", "actor_id", "at"),
        Index("ix_audit_entries_at", "at"),
        # The feeds' changed_since: a record type's entries after an instant.
        Index("ix_audit_entries_record_type_at", "record_type", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True, nullable=False)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_label: Mapped[str] = mapped_column(String(320), nullable=False)
    action: Mapped[str] = mapped_column(String(80), nullable=False)
    record_type: Mapped[str | None] = mapped_column(String(80))
    record_id: Mapped[str | None] = mapped_column(String(80))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    entry_hash: Mapped[str] = mapped_column(String(64), nullable=False)

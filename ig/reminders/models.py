"""The reminder outbox (which is also each person's in-app notifications) and pass runs."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ig.db import Base, enum_type


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"  # queued; not yet sent
    SENT = "sent"
    CANCELLED = "cancelled"  # no longer applies (the deadline was met before it went)
    FAILED = "failed"  # the mail server refused it max_attempts times


class Reminder(Base):
    """One reminder to one person about one record for one period of one rule.

    The unique key (rule, record, recipient, period) is what makes a pass idempotent:
    a second pass, a concurrent pass or a pass after a crash inserts nothing new.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("rule", "record_type", "record_id", "recipient_key", "period"),
        Index("ix_reminders_status_send_after", "status", "send_after"),
        Index("ix_reminders_recipient_user_id_queued_at", "recipient_user_id", "queued_at"),
        Index("ix_reminders_rule_status", "rule", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule: Mapped[str] = mapped_column(String(80), nullable=False)
    record_type: Mapped[str] = mapped_column(String(40), nullable=False)
    record_id: Mapped[str] = mapped_column(String(40), nullable=False)
    recipient_key: Mapped[str] = mapped_column(String(340), nullable=False)
    recipient_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE")
    )
    recipient_email: Mapped[str] = mapped_column(String(320), nullable=False)
    period: Mapped[str] = mapped_column(String(120), nullable=False)
    stage: Mapped[str] = mapped_column(String(40), nullable=False)
    due_key: Mapped[str] = mapped_column(String(60), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    link: Mapped[str] = mapped_column(String(300), nullable=False)
    delivery: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[ReminderStatus] = mapped_column(
        enum_type(ReminderStatus, "reminder_status"), nullable=False
    )
    queued_at: Mapped[dt.datetime] = mapped_column(nullable=False)
    send_after: Mapped[dt.datetime] = mapped_column(nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column()
    last_error: Mapped[str] = mapped_column(Text, nullable=False, default="")
    sent_at: Mapped[dt.datetime | None] = mapped_column()
    message_id: Mapped[str | None] = mapped_column(String(200))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column()
    read_at: Mapped[dt.datetime | None] = mapped_column()


class ReminderRun(Base):
    """One run of the pass or of the delivery, so a missed run can be caught up."""

    __tablename__ = "reminder_runs"
    __table_args__ = (Index("ix_reminder_runs_kind_started_at", "kind", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)  # pass | delivery
    started_at: Mapped[dt.datetime] = mapped_column(nullable=False)
    as_of: Mapped[dt.datetime] = mapped_column(nullable=False)
    summary: Mapped[str] = mapped_column(String(300), nullable=False, default="")

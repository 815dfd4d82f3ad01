"""reminders: the reminder outbox and the record of pass and delivery runs

Revision ID: reminders_0001
Revises:
Create Date: 2026-11-22 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db

revision = "reminders_0001"
down_revision = None
branch_labels = ("reminders",)
depends_on = "0002"


def upgrade() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(length=80), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=40), nullable=False),
        sa.Column("recipient_key", sa.String(length=340), nullable=False),
        sa.Column("recipient_user_id", sa.Integer(), nullable=True),
        sa.Column("recipient_email", sa.String(length=320), nullable=False),
        sa.Column("period", sa.String(length=120), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("due_key", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=False),
        sa.Column("delivery", sa.String(length=20), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "sent",
                "cancelled",
                "failed",
                name="reminder_status",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("queued_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("send_after", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("sent_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.String(length=200), nullable=True),
        sa.Column("cancelled_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("read_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_user_id"],
            ["users.id"],
            name=op.f("fk_reminders_recipient_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminders")),
        sa.UniqueConstraint(
            "rule",
            "record_type",
            "record_id",
            "recipient_key",
            "period",
            name=op.f("uq_reminders_rule_record_type_record_id_recipient_key_period"),
        ),
    )
    op.create_index("ix_reminders_status_send_after", "reminders", ["status", "send_after"])
    op.create_index(
        "ix_reminders_recipient_user_id_queued_at",
        "reminders",
        ["recipient_user_id", "queued_at"],
    )
    op.create_index("ix_reminders_rule_status", "reminders", ["rule", "status"])
    op.create_table(
        "reminder_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("started_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("as_of", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_runs")),
    )
    op.create_index("ix_reminder_runs_kind_started_at", "reminder_runs", ["kind", "started_at"])


def downgrade() -> None:
    op.drop_table("reminder_runs")
    op.drop_table("reminders")

"""api: idempotency keys for the JSON API's POSTs

Revision ID: api_0001
Revises:
Create Date: 2026-12-06 23:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db

revision = "api_0001"
down_revision = None
branch_labels = ("api",)
depends_on = (
    "0004",
    "caldicott_0002",
    "incidents_0003_overdue",
    "notices_0001",
    "reminders_0001",
    "sharing_0003",
    "training_0001",
)


def upgrade() -> None:
    op.create_table(
        "api_idempotency_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("location", sa.String(length=500), nullable=True),
        sa.Column("response_body", sa.Text(), nullable=True),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_api_idempotency_keys_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_idempotency_keys")),
        sa.UniqueConstraint("user_id", "key", name=op.f("uq_api_idempotency_keys_user_id_key")),
    )
    op.create_index(
        op.f("ix_api_idempotency_keys_expires_at"),
        "api_idempotency_keys",
        ["expires_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_api_idempotency_keys_expires_at"), table_name="api_idempotency_keys")
    op.drop_table("api_idempotency_keys")

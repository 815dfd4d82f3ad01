"""reports: the generated IG reports, stored as issued

Revision ID: reports_0001
Revises:
Create Date: 2026-12-07 16:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db

revision = "reports_0001"
down_revision = None
branch_labels = ("reports",)
depends_on = "0002"


def upgrade() -> None:
    op.create_table(
        "ig_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("recorded_by", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("generated_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("generated_by_id", sa.Integer(), nullable=True),
        sa.Column("generated_by_label", sa.String(length=320), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("policy_versions", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["generated_by_id"],
            ["users.id"],
            name=op.f("fk_ig_reports_generated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ig_reports")),
    )
    op.create_index("ix_ig_reports_generated_at", "ig_reports", ["generated_at"])


def downgrade() -> None:
    op.drop_index("ix_ig_reports_generated_at", table_name="ig_reports")
    op.drop_table("ig_reports")

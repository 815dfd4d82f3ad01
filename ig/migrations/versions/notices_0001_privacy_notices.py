"""notices: privacy notices, their versions and reviews

Revision ID: notices_0001
Revises:
Create Date: 2026-11-22 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db

revision = "notices_0001"
down_revision = None
branch_labels = ("notices",)
depends_on = "0002"


def upgrade() -> None:
    op.create_table(
        "privacy_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("service_key", sa.String(length=80), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column("published_url", sa.String(length=500), nullable=False),
        sa.Column(
            "audience",
            sa.Enum("public", "staff", name="notice_audience", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("processing", sa.Text(), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.Column("review_interval_months", sa.Integer(), nullable=False),
        sa.Column("last_reviewed_on", sa.Date(), nullable=True),
        sa.Column("next_review_on", sa.Date(), nullable=False),
        sa.Column("review_flagged_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("review_flag_reason", sa.String(length=300), nullable=False),
        sa.Column("is_archived", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_privacy_notices_owner_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_notices")),
    )
    op.create_index("ix_privacy_notices_service_key", "privacy_notices", ["service_key"])
    op.create_index("ix_privacy_notices_owner_user_id", "privacy_notices", ["owner_user_id"])
    op.create_index("ix_privacy_notices_next_review_on", "privacy_notices", ["next_review_on"])
    op.create_table(
        "privacy_notice_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("approved_by", sa.String(length=200), nullable=False),
        sa.Column("change_summary", sa.Text(), nullable=False),
        sa.Column("recorded_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["privacy_notices.id"],
            name=op.f("fk_privacy_notice_versions_notice_id_privacy_notices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_notice_versions")),
        sa.UniqueConstraint(
            "notice_id", "number", name=op.f("uq_privacy_notice_versions_notice_id_number")
        ),
    )
    op.create_table(
        "privacy_notice_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("reviewer_user_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_label", sa.String(length=320), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "no_change", "updated", name="notice_review_outcome", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("recorded_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["privacy_notices.id"],
            name=op.f("fk_privacy_notice_reviews_notice_id_privacy_notices"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_user_id"],
            ["users.id"],
            name=op.f("fk_privacy_notice_reviews_reviewer_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_notice_reviews")),
    )
    op.create_index("ix_privacy_notice_reviews_notice_id", "privacy_notice_reviews", ["notice_id"])


def downgrade() -> None:
    op.drop_table("privacy_notice_reviews")
    op.drop_table("privacy_notice_versions")
    op.drop_table("privacy_notices")

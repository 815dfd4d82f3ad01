"""sharing: ONS council codes loaded from a newer release than the one shipped

Revision ID: sharing_0003
Revises: sharing_0002
Create Date: 2026-12-06 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db

revision = "sharing_0003"
down_revision = "sharing_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sharing_gss_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("dated_on", sa.Date(), nullable=False),
        sa.Column("prefixes", sa.String(length=60), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("loaded_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_gss_releases")),
    )
    op.create_table(
        "sharing_gss_codes",
        sa.Column("code", sa.String(length=9), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["sharing_gss_releases.id"],
            name=op.f("fk_sharing_gss_codes_release_id_sharing_gss_releases"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_sharing_gss_codes")),
    )
    with op.batch_alter_table("sharing_gss_codes", schema=None) as batch_op:
        batch_op.create_index("ix_sharing_gss_codes_release_id", ["release_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sharing_gss_codes", schema=None) as batch_op:
        batch_op.drop_index("ix_sharing_gss_codes_release_id")
    op.drop_table("sharing_gss_codes")
    op.drop_table("sharing_gss_releases")

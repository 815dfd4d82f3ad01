"""cache: computed figures shared by every app server

Revision ID: cache_0001
Revises:
Create Date: 2026-12-07 05:40:00

Each worker used to keep its own figures in memory, so the first request after a start
recomputed them in every worker. They are now kept in this table (ig/cache.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db

revision = "cache_0001"
down_revision = None
branch_labels = ("cache",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cached_figures",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("stamp", sa.String(64), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("computed_at", ig.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_cached_figures")),
    )
    op.create_index(
        op.f("ix_cached_figures_computed_at"), "cached_figures", ["computed_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_cached_figures_computed_at"), table_name="cached_figures")
    op.drop_table("cached_figures")

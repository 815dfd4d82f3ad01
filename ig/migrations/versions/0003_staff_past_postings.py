"""people: each member of staff's past teams and job titles

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 05:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_past_postings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("job_title", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", ig.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_staff_past_postings_staff_id_staff"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_staff_past_postings_team_id_teams"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_past_postings")),
        sa.UniqueConstraint(
            "staff_id", "ends_on", name=op.f("uq_staff_past_postings_staff_id_ends_on")
        ),
    )
    with op.batch_alter_table("staff_past_postings", schema=None) as batch_op:
        batch_op.create_index("ix_staff_past_postings_ends_on", ["ends_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("staff_past_postings", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_past_postings_ends_on")
    op.drop_table("staff_past_postings")

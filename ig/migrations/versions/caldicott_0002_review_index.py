"""caldicott: index reviews by status and date together

Revision ID: caldicott_0002
Revises: caldicott_0001
Create Date: 2026-11-22 02:50:00
"""

from __future__ import annotations

from alembic import op

revision = "caldicott_0002"
down_revision = "caldicott_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("caldicott_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_caldicott_requests_review_on")
        batch_op.create_index(
            "ix_caldicott_requests_status_review_on", ["status", "review_on"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("caldicott_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_caldicott_requests_status_review_on")
        batch_op.create_index("ix_caldicott_requests_review_on", ["review_on"], unique=False)

"""incidents: a partial index of the incidents still to be notified to the ICO, and
type + status + reported date for the register's commonest combined filter

Revision ID: incidents_0002
Revises: incidents_0001
Create Date: 2026-11-22 02:58:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "incidents_0002"
down_revision = "incidents_0001"
branch_labels = None
depends_on = None

AWAITING = {
    "sqlite_where": sa.text("is_ico_notifiable IS 1 AND first_notified_at IS NULL"),
    "postgresql_where": sa.text("is_ico_notifiable IS true AND first_notified_at IS NULL"),
}


NOTIFIED = {
    "sqlite_where": sa.text("first_notified_at IS NOT NULL"),
    "postgresql_where": sa.text("first_notified_at IS NOT NULL"),
}


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_first_notified_at")
        batch_op.create_index(
            "ix_incidents_first_notified_at",
            ["first_notified_at", "hours_to_notify"],
            unique=False,
            **NOTIFIED,
        )
        batch_op.drop_index("ix_incidents_deadline_at")
        batch_op.create_index(
            "ix_incidents_awaiting_ico", ["reported_at"], unique=False, **AWAITING
        )
        batch_op.drop_index("ix_incidents_type_reported_at")
        batch_op.create_index(
            "ix_incidents_type_status_reported_at",
            ["incident_type", "status", "reported_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_first_notified_at", **NOTIFIED)
        batch_op.create_index(
            "ix_incidents_first_notified_at", ["first_notified_at", "hours_to_notify"], unique=False
        )
        batch_op.drop_index("ix_incidents_type_status_reported_at")
        batch_op.create_index(
            "ix_incidents_type_reported_at", ["incident_type", "reported_at"], unique=False
        )
        batch_op.drop_index("ix_incidents_awaiting_ico", **AWAITING)
        batch_op.create_index(
            "ix_incidents_deadline_at",
            ["is_ico_notifiable", "first_notified_at", "deadline_at"],
            unique=False,
        )

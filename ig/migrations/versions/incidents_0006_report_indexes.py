"""incidents: indexes for the IG report's figures at a past date (incidents still open,
actions overdue), so that each quarter's figure is read from an index alone

Revision ID: incidents_0006_report
Revises: incidents_0005_actions
Create Date: 2026-12-07 16:25:00
"""

from __future__ import annotations

from alembic import op

revision = "incidents_0006_report"
down_revision = "incidents_0005_actions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_incidents_closed_at_reported_at",
        "incidents",
        ["closed_at", "reported_at", "status"],
    )
    op.create_index(
        "ix_incident_actions_completed_on_due_on",
        "incident_actions",
        ["completed_on", "due_on", "status"],
    )


def downgrade() -> None:
    op.drop_index("ix_incident_actions_completed_on_due_on", table_name="incident_actions")
    op.drop_index("ix_incidents_closed_at_reported_at", table_name="incidents")

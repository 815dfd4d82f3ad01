"""sharing: which council service's data an agreement shares (to flag its privacy notice)

Revision ID: sharing_0002
Revises: sharing_0001
Create Date: 2026-11-22 04:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "sharing_0002"
down_revision = "sharing_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sharing_agreements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("service_key", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sharing_agreements", schema=None) as batch_op:
        batch_op.drop_column("service_key")

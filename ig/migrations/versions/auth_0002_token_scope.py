"""auth: an API token is read-only or read-write

Revision ID: auth_0002
Revises: auth_0001
Create Date: 2026-12-07 16:30:00

Tokens made before this revision keep read-write, so the learning system's posts of
training completions keep working; a read-only token (for Power BI and other
reporting tools) is refused anything but GET and HEAD.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "auth_0002"
down_revision = "auth_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scope", sa.String(length=20), nullable=False, server_default="read-write")
        )


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("scope")

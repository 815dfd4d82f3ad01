"""auth: API tokens expire, and a revoked token records why

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 23:20:00

Tokens made before this revision had no expiry. Each gets its creation time plus 90
days, the maximum that policies/security.toml ships with (a migration cannot read the
operator's policy): one that is older than that stops working at the upgrade. Tokens
already revoked keep their revocation, with a reason saying it predates reasons.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

import ig.db

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

EXISTING_TOKEN_DAYS = 90
OLD_REVOCATION = "revoked before tokens had reasons"

tokens = sa.table(
    "api_tokens",
    sa.column("id", sa.Integer()),
    sa.column("created_at", ig.db.UTCDateTime()),
    sa.column("expires_at", ig.db.UTCDateTime()),
    sa.column("revoked_at", ig.db.UTCDateTime()),
    sa.column("revoked_reason", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", ig.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("revoked_reason", sa.String(length=60), nullable=True))
    connection = op.get_bind()
    life = dt.timedelta(days=EXISTING_TOKEN_DAYS)
    # Tokens are few (one per system that calls the API), so row by row is fine and
    # keeps the date arithmetic out of SQL, where SQLite and PostgreSQL differ.
    for token_id, created_at in connection.execute(
        sa.select(tokens.c.id, tokens.c.created_at)
    ).all():
        connection.execute(
            tokens.update().where(tokens.c.id == token_id).values(expires_at=created_at + life)
        )
    connection.execute(
        tokens.update()
        .where(tokens.c.revoked_at.is_not(None))
        .values(revoked_reason=OLD_REVOCATION)
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.alter_column("expires_at", existing_type=ig.db.UTCDateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("revoked_reason")
        batch_op.drop_column("expires_at")

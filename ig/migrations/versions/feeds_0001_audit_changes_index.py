"""feeds: index the audit trail by record type and time, for the feeds' changed_since

Revision ID: feeds_0001
Revises:
Create Date: 2026-12-07 16:30:00

A feed pulled with changed_since reads the entries on one record type after an
instant; with this index that costs the entries read, not the whole trail.
"""

from __future__ import annotations

from alembic import op

revision = "feeds_0001"
down_revision = None
branch_labels = ("feeds",)
depends_on = ("0005",)


def upgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_entries_record_type_at", ["record_type", "at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_record_type_at")

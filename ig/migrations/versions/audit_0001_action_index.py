"""audit: index the trail by action and record, for the IG report's figures "as
recorded then"

Revision ID: audit_0001
Revises:
Create Date: 2026-12-07 22:10:00

Every figure "as recorded then" asks of one record whether, or what, an entry of a few
actions recorded by an instant (ig.audit.recorded); a few count one action's entries
over a period, or collect the records one action was taken on. On a council's trail
most of a record's entries are views and other actions, which the index on (record_type,
record_id) made each look-up read; this one reaches a record's entries of one action
directly, and answers "recorded by then?" from the index alone.
"""

from __future__ import annotations

from alembic import op

revision = "audit_0001"
down_revision = None
branch_labels = ("audit",)
depends_on = ("0005",)


def upgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_audit_entries_action_record",
            ["action", "record_type", "record_id", "at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_action_record")

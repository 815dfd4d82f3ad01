"""access: requests for access to information systems, their approval, grant and removal

Revision ID: access_0001
Revises:
Create Date: 2026-12-07 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db
import ig.encrypted

revision = "access_0001"
down_revision = None
branch_labels = ("access",)
# Access is to an information asset's system: the asset register's first revision,
# which itself comes after users, staff and organisations (0002). Naming 0002 as well
# would make alembic remove that head twice (see assets_0001).
depends_on = ("assets_0001",)


def _encrypted(name: str, what: str) -> sa.Column:
    return sa.Column(
        name,
        ig.encrypted.EncryptedText(f"access_requests.{name}"),
        nullable=False,
        comment=what,
    )


def _user_fk(column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        ["users.id"],
        name=op.f(f"fk_access_requests_{column}_users"),
        ondelete="RESTRICT",
    )


def upgrade() -> None:
    op.create_table(
        "access_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "approved",
                "declined",
                "granted",
                "removed",
                name="access_status",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        _encrypted("reason", "why the access is needed"),
        sa.Column("requested_by_user_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_user_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        _encrypted("decision_reason", "why the line manager approved or declined"),
        sa.Column("granted_by_user_id", sa.Integer(), nullable=True),
        sa.Column("granted_on", sa.Date(), nullable=True),
        sa.Column("removed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("removed_on", sa.Date(), nullable=True),
        _encrypted("removal_reason", "why the access was removed"),
        sa.Column("recertify_by", sa.Date(), nullable=True),
        sa.Column("recertified_on", sa.Date(), nullable=True),
        sa.Column("recertified_by_user_id", sa.Integer(), nullable=True),
        sa.Column("removal_asked_on", sa.Date(), nullable=True),
        sa.Column(
            "row_key",
            sa.String(length=32),
            nullable=False,
            comment="random identity of the row, bound into its encrypted values",
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["information_assets.id"],
            name=op.f("fk_access_requests_asset_id_information_assets"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_access_requests_staff_id_staff"),
            ondelete="RESTRICT",
        ),
        _user_fk("requested_by_user_id"),
        _user_fk("decided_by_user_id"),
        _user_fk("granted_by_user_id"),
        _user_fk("removed_by_user_id"),
        _user_fk("recertified_by_user_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_requests")),
    )
    op.create_index("ix_access_requests_asset_id_status", "access_requests", ["asset_id", "status"])
    op.create_index("ix_access_requests_staff_id_status", "access_requests", ["staff_id", "status"])
    op.create_index("ix_access_requests_status", "access_requests", ["status"])
    op.create_index("ix_access_requests_recertify_by", "access_requests", ["recertify_by"])
    op.create_index(op.f("ix_access_requests_row_key"), "access_requests", ["row_key"], unique=True)


def downgrade() -> None:
    op.drop_table("access_requests")

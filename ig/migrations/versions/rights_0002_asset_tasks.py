"""rights: the search of information assets, a task for each asset's owner, and consent withdrawn
from processing activities

Revision ID: rights_0002
Revises: rights_0001
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db
import ig.encrypted

revision = "rights_0002"
down_revision = "rights_0001"
branch_labels = None
depends_on = ("processing_0001",)  # which itself depends on assets_0001


def _encrypted(table: str, name: str, what: str) -> sa.Column:
    return sa.Column(
        name, ig.encrypted.EncryptedText(f"{table}.{name}"), nullable=False, comment=what
    )


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def _fk(
    table: str, column: str, target: str, ondelete: str = "RESTRICT"
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def _tasks() -> None:
    op.create_table(
        "rights_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column("status", _enum("rights_task_status", "open", "done"), nullable=False),
        sa.Column("asked_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("asked_by_user_id", sa.Integer(), nullable=False),
        sa.Column("is_found", sa.Boolean(), nullable=True),
        _encrypted("rights_tasks", "findings", "what the search found"),
        sa.Column(
            "removal", _enum("rights_task_removal", "deleted", "restricted", "kept"), nullable=True
        ),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.Column("exemption_key", sa.String(length=40), nullable=True),
        _encrypted("rights_tasks", "kept_reason", "why the data must be kept"),
        sa.Column("done_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("done_by_user_id", sa.Integer(), nullable=True),
        sa.Column(
            "row_key",
            sa.String(length=32),
            nullable=False,
            comment="random identity of the row, bound into its encrypted values",
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("rights_tasks", "request_id", "rights_requests", "CASCADE"),
        _fk("rights_tasks", "asset_id", "information_assets"),
        _fk("rights_tasks", "owner_user_id", "users"),
        _fk("rights_tasks", "asked_by_user_id", "users"),
        _fk("rights_tasks", "done_by_user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rights_tasks")),
        sa.UniqueConstraint(
            "request_id", "asset_id", name=op.f("uq_rights_tasks_request_id_asset_id")
        ),
    )
    op.create_index(
        "ix_rights_tasks_owner_user_id_status", "rights_tasks", ["owner_user_id", "status"]
    )
    op.create_index(op.f("ix_rights_tasks_row_key"), "rights_tasks", ["row_key"], unique=True)


def upgrade() -> None:
    op.create_table(
        "rights_searches",
        sa.Column("request_id", sa.Integer(), nullable=False),
        _encrypted(
            "rights_searches", "note", "the search: which systems, why, and why proportionate"
        ),
        sa.Column("recorded_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_user_id", sa.Integer(), nullable=False),
        sa.Column(
            "row_key",
            sa.String(length=32),
            nullable=False,
            comment="random identity of the row, bound into its encrypted values",
        ),
        _fk("rights_searches", "request_id", "rights_requests", "CASCADE"),
        _fk("rights_searches", "recorded_by_user_id", "users"),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_rights_searches")),
    )
    op.create_index(op.f("ix_rights_searches_row_key"), "rights_searches", ["row_key"], unique=True)
    _tasks()
    op.create_table(
        "rights_consent_withdrawals",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_user_id", sa.Integer(), nullable=False),
        _fk("rights_consent_withdrawals", "request_id", "rights_requests", "CASCADE"),
        _fk("rights_consent_withdrawals", "activity_id", "processing_activities"),
        _fk("rights_consent_withdrawals", "recorded_by_user_id", "users"),
        sa.PrimaryKeyConstraint(
            "request_id", "activity_id", name=op.f("pk_rights_consent_withdrawals")
        ),
    )


def downgrade() -> None:
    op.drop_table("rights_consent_withdrawals")
    op.drop_table("rights_tasks")
    op.drop_table("rights_searches")

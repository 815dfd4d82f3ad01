"""processing: the record of processing activities, its controllers, categories and assets

Revision ID: processing_0001
Revises:
Create Date: 2026-12-07 06:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db
import ig.encrypted

revision = "processing_0001"
down_revision = None
branch_labels = ("processing",)
# The tables an activity links to: information assets (assets_0001), which itself
# depends on sharing_0001 (organisations come with users, 0002). Naming only assets_0001
# brings the others in; naming an ancestor too makes alembic remove that head twice.
depends_on = ("assets_0001",)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def _encrypted(column: str, comment: str) -> sa.Column:
    return sa.Column(
        column,
        ig.encrypted.EncryptedText(f"processing_activities.{column}"),
        nullable=False,
        comment=comment,
    )


def _link(table: str, column: str, target: str, ondelete: str) -> None:
    target_table = target.split(".")[0]
    op.create_table(
        table,
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column(column, sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["processing_activities.id"],
            name=op.f(f"fk_{table}_activity_id_processing_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            [column], [target], name=op.f(f"fk_{table}_{column}_{target_table}"), ondelete=ondelete
        ),
        sa.PrimaryKeyConstraint("activity_id", column, name=op.f(f"pk_{table}")),
    )
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "processing_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", _enum("processing_role", "controller", "processor"), nullable=False),
        _encrypted("purpose", "why the data is processed"),
        sa.Column(
            "lawful_basis",
            _enum(
                "processing_lawful_basis",
                "consent",
                "contract",
                "legal_obligation",
                "vital_interests",
                "public_task",
                "legitimate_interests",
            ),
            nullable=False,
        ),
        sa.Column("has_special_category", sa.Boolean(), nullable=False),
        sa.Column("art9_condition", sa.String(length=80), nullable=False),
        sa.Column("schedule_1_condition", sa.String(length=80), nullable=False),
        sa.Column("has_policy_document", sa.Boolean(), nullable=False),
        _encrypted("recipients", "who the data is disclosed to"),
        sa.Column(
            "safeguard",
            _enum("processing_safeguard", "none", "adequacy", "idta", "addendum", "other"),
            nullable=False,
        ),
        _encrypted("transfer_detail", "the countries data goes to, and the safeguard"),
        sa.Column("retention", sa.String(length=200), nullable=False),
        _encrypted("security_measures", "the technical and organisational measures"),
        sa.Column("relies_on_consent", sa.Boolean(), nullable=False),
        sa.Column("is_automated", sa.Boolean(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
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
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_processing_activities_owner_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processing_activities")),
    )
    table = "processing_activities"
    op.create_index("ix_processing_activities_role_name", table, ["role", "name"], unique=False)
    op.create_index("ix_processing_activities_lawful_basis", table, ["lawful_basis"], unique=False)
    op.create_index(
        "ix_processing_activities_owner_user_id", table, ["owner_user_id"], unique=False
    )
    op.create_index(op.f("ix_processing_activities_row_key"), table, ["row_key"], unique=True)
    op.create_table(
        "processing_activity_categories",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["processing_activities.id"],
            name=op.f("fk_processing_activity_categories_activity_id_processing_activities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "activity_id", "kind", "key", name=op.f("pk_processing_activity_categories")
        ),
    )
    _link("processing_activity_controllers", "organisation_id", "organisations.id", "RESTRICT")
    _link("processing_activity_assets", "asset_id", "information_assets.id", "RESTRICT")


def downgrade() -> None:
    op.drop_table("processing_activity_assets")
    op.drop_table("processing_activity_controllers")
    op.drop_table("processing_activity_categories")
    op.drop_table("processing_activities")

"""assets: the information asset register, its categories, suppliers and links

Revision ID: assets_0001
Revises:
Create Date: 2026-12-07 05:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db
import ig.encrypted

revision = "assets_0001"
down_revision = None
branch_labels = ("assets",)
# The tables assets link to: agreements, notices and incidents, at the revisions that
# created them (each comes after users and organisations, 0002; naming 0002 as well
# makes alembic remove that head twice). Their later revisions stay their own heads.
depends_on = ("sharing_0001", "notices_0001", "incidents_0001")


def upgrade() -> None:
    op.create_table(
        "information_assets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("system", sa.String(length=200), nullable=False),
        sa.Column(
            "description",
            ig.encrypted.EncryptedText("information_assets.description"),
            nullable=False,
            comment="what the asset holds and what it is for",
        ),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column("administrator_user_id", sa.Integer(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column(
            "asset_format",
            sa.Enum(
                "electronic", "paper", "both", name="asset_format", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column(
            "hosting",
            sa.Enum(
                "on_premises",
                "supplier_cloud",
                "other",
                name="asset_hosting",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "location",
            ig.encrypted.EncryptedText("information_assets.location"),
            nullable=False,
            comment="where the asset is kept: site, data centre, cabinet",
        ),
        sa.Column("retention_period", sa.String(length=200), nullable=False),
        sa.Column("retention_rule", sa.String(length=200), nullable=False),
        sa.Column(
            "security_controls",
            ig.encrypted.EncryptedText("information_assets.security_controls"),
            nullable=False,
            comment="how the asset is protected",
        ),
        sa.Column(
            "criticality",
            sa.Enum(
                "low",
                "medium",
                "high",
                "critical",
                name="asset_criticality",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("last_confirmed_on", sa.Date(), nullable=True),
        sa.Column("next_confirmation_on", sa.Date(), nullable=False),
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
            ["administrator_user_id"],
            ["users.id"],
            name=op.f("fk_information_assets_administrator_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_information_assets_owner_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_information_assets")),
    )
    op.create_index(
        "ix_information_assets_administrator_user_id",
        "information_assets",
        ["administrator_user_id"],
        unique=False,
    )
    op.create_index(
        "ix_information_assets_criticality", "information_assets", ["criticality"], unique=False
    )
    op.create_index("ix_information_assets_name", "information_assets", ["name"], unique=False)
    op.create_index(
        "ix_information_assets_next_confirmation_on",
        "information_assets",
        ["next_confirmation_on"],
        unique=False,
    )
    op.create_index(
        "ix_information_assets_owner_user_id", "information_assets", ["owner_user_id"], unique=False
    )
    op.create_index(
        op.f("ix_information_assets_row_key"), "information_assets", ["row_key"], unique=True
    )
    op.create_table(
        "information_asset_agreements",
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("linked_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["sharing_agreements.id"],
            name=op.f("fk_information_asset_agreements_agreement_id_sharing_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["information_assets.id"],
            name=op.f("fk_information_asset_agreements_asset_id_information_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "asset_id", "agreement_id", name=op.f("pk_information_asset_agreements")
        ),
    )
    op.create_index(
        op.f("ix_information_asset_agreements_agreement_id"),
        "information_asset_agreements",
        ["agreement_id"],
        unique=False,
    )
    op.create_table(
        "information_asset_categories",
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("is_special", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["information_assets.id"],
            name=op.f("fk_information_asset_categories_asset_id_information_assets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "asset_id", "category", name=op.f("pk_information_asset_categories")
        ),
    )
    op.create_table(
        "information_asset_incidents",
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("linked_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["information_assets.id"],
            name=op.f("fk_information_asset_incidents_asset_id_information_assets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_information_asset_incidents_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "asset_id", "incident_id", name=op.f("pk_information_asset_incidents")
        ),
    )
    op.create_index(
        op.f("ix_information_asset_incidents_incident_id"),
        "information_asset_incidents",
        ["incident_id"],
        unique=False,
    )
    op.create_table(
        "information_asset_notices",
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("linked_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["information_assets.id"],
            name=op.f("fk_information_asset_notices_asset_id_information_assets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["privacy_notices.id"],
            name=op.f("fk_information_asset_notices_notice_id_privacy_notices"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("asset_id", "notice_id", name=op.f("pk_information_asset_notices")),
    )
    op.create_index(
        op.f("ix_information_asset_notices_notice_id"),
        "information_asset_notices",
        ["notice_id"],
        unique=False,
    )
    op.create_table(
        "information_asset_suppliers",
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["information_assets.id"],
            name=op.f("fk_information_asset_suppliers_asset_id_information_assets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_information_asset_suppliers_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(
            "asset_id", "organisation_id", name=op.f("pk_information_asset_suppliers")
        ),
    )
    op.create_index(
        op.f("ix_information_asset_suppliers_organisation_id"),
        "information_asset_suppliers",
        ["organisation_id"],
        unique=False,
    )


def downgrade() -> None:
    for table in (
        "information_asset_suppliers",
        "information_asset_notices",
        "information_asset_incidents",
        "information_asset_categories",
        "information_asset_agreements",
        "information_assets",
    ):
        op.drop_table(table)

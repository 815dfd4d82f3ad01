"""contracts: processor contracts (UK GDPR Art. 28), their terms, sub-processors and assets

Revision ID: contracts_0001
Revises:
Create Date: 2026-12-07 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db
import ig.encrypted

revision = "contracts_0001"
down_revision = None
branch_labels = ("contracts",)
# The tables contracts link to: information assets, and organisations and users (which
# assets_0001 and sharing_0001 come after; naming 0002 as well makes alembic remove
# that head twice). Their later revisions stay their own heads.
depends_on = ("assets_0001", "sharing_0001")


def _link(table: str, column: str, target: str, ondelete: str) -> None:
    op.create_table(
        table,
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column(column, sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["processor_contracts.id"],
            name=op.f(f"fk_{table}_contract_id_processor_contracts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            [column],
            [f"{target}.id"],
            name=op.f(f"fk_{table}_{column}_{target}"),
            ondelete=ondelete,
        ),
        sa.PrimaryKeyConstraint("contract_id", column, name=op.f(f"pk_{table}")),
    )
    op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=False)


def upgrade() -> None:
    op.create_table(
        "processor_contracts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("processor_id", sa.Integer(), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=False),
        sa.Column("value_band", sa.String(length=40), nullable=False),
        sa.Column("missing_terms", sa.Integer(), nullable=False),
        sa.Column(
            "notes",
            ig.encrypted.EncryptedText("processor_contracts.notes"),
            nullable=False,
            comment="notes on the contract, which may name people",
        ),
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
            name=op.f("fk_processor_contracts_owner_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["processor_id"],
            ["organisations.id"],
            name=op.f("fk_processor_contracts_processor_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_processor_contracts")),
    )
    for column in ("processor_id", "owner_user_id", "end_on", "missing_terms", "title"):
        op.create_index(
            f"ix_processor_contracts_{column}", "processor_contracts", [column], unique=False
        )
    op.create_index(
        op.f("ix_processor_contracts_row_key"), "processor_contracts", ["row_key"], unique=True
    )
    op.create_table(
        "processor_contract_terms",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["processor_contracts.id"],
            name=op.f("fk_processor_contract_terms_contract_id_processor_contracts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contract_id", "term", name=op.f("pk_processor_contract_terms")),
    )
    _link("processor_contract_subprocessors", "organisation_id", "organisations", "RESTRICT")
    _link("processor_contract_assets", "asset_id", "information_assets", "CASCADE")


def downgrade() -> None:
    for table in (
        "processor_contract_assets",
        "processor_contract_subprocessors",
        "processor_contract_terms",
        "processor_contracts",
    ):
        op.drop_table(table)

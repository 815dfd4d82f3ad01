"""sharing: data-sharing agreements, parties, documents, signatories; one self organisation

Revision ID: sharing_0001
Revises:
Create Date: 2026-11-22 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db

revision = "sharing_0001"
down_revision = None
branch_labels = ("sharing",)
depends_on = "0002"

ROLES = ("controller", "joint_controller", "processor", "recipient")
DPIA = ("not_needed", "acceptable", "acceptable_with_actions", "high_risk_ico_consulted")


def _agreements() -> None:
    op.create_table(
        "sharing_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("lawful_basis", sa.String(length=60), nullable=False),
        sa.Column("special_condition", sa.String(length=60), nullable=True),
        sa.Column("statutory_gateway", sa.String(length=60), nullable=True),
        sa.Column("data_items", sa.Text(), nullable=False),
        sa.Column("is_special_category", sa.Boolean(), nullable=False),
        sa.Column("data_subjects", sa.Text(), nullable=False),
        sa.Column("frequency", sa.String(length=200), nullable=False),
        sa.Column("transfer_method", sa.Text(), nullable=False),
        sa.Column("transfer_security", sa.Text(), nullable=False),
        sa.Column("retention", sa.Text(), nullable=False),
        sa.Column("rights_requests", sa.Text(), nullable=False),
        sa.Column("breach_procedure", sa.Text(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("dpia_reference", sa.String(length=60), nullable=False),
        sa.Column(
            "dpia_outcome",
            sa.Enum(*DPIA, name="dpia_outcome", native_enum=False, length=40),
            nullable=True,
        ),
        sa.Column("dpia_on", sa.Date(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("termination_reason", sa.Text(), nullable=False),
        sa.Column("content_digest", sa.String(length=64), nullable=False),
        sa.Column("party_count", sa.Integer(), nullable=False),
        sa.Column("signed_count", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "signed_count >= 0 AND signed_count <= party_count",
            name=op.f("ck_sharing_agreements_signed_count"),
        ),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_sharing_agreements_ends_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["organisations.id"],
            name=op.f("fk_sharing_agreements_owner_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["sharing_agreements.id"],
            name=op.f("fk_sharing_agreements_supersedes_id_sharing_agreements"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_agreements")),
        sa.UniqueConstraint(
            "reference", "revision", name=op.f("uq_sharing_agreements_reference_revision")
        ),
        sa.UniqueConstraint("supersedes_id", name=op.f("uq_sharing_agreements_supersedes_id")),
    )
    with op.batch_alter_table("sharing_agreements", schema=None) as batch_op:
        batch_op.create_index("ix_sharing_agreements_review_on", ["review_on"], unique=False)
        batch_op.create_index("ix_sharing_agreements_ends_on", ["ends_on"], unique=False)
        batch_op.create_index("ix_sharing_agreements_owner_id", ["owner_id"], unique=False)
        batch_op.create_index("ix_sharing_agreements_lawful_basis", ["lawful_basis"], unique=False)


def _scopes() -> None:
    for table, column in (("categories", "category"), ("purposes", "purpose")):
        name = f"sharing_agreement_{table}"
        op.create_table(
            name,
            sa.Column("agreement_id", sa.Integer(), nullable=False),
            sa.Column(column, sa.String(length=60), nullable=False),
            sa.ForeignKeyConstraint(
                ["agreement_id"],
                ["sharing_agreements.id"],
                name=op.f(f"fk_{name}_agreement_id_sharing_agreements"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("agreement_id", column, name=op.f(f"pk_{name}")),
        )
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.create_index(f"ix_{name}_{column}", [column, "agreement_id"], unique=False)


def _parties() -> None:
    op.create_table(
        "sharing_agreement_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(*ROLES, name="party_role", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("signatory_name", sa.String(length=200), nullable=False),
        sa.Column("signatory_title", sa.String(length=200), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("signed_digest", sa.String(length=64), nullable=True),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["sharing_agreements.id"],
            name=op.f("fk_sharing_agreement_parties_agreement_id_sharing_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_sharing_agreement_parties_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"],
            ["users.id"],
            name=op.f("fk_sharing_agreement_parties_signed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_agreement_parties")),
        sa.UniqueConstraint(
            "agreement_id",
            "organisation_id",
            name=op.f("uq_sharing_agreement_parties_agreement_id_organisation_id"),
        ),
    )
    with op.batch_alter_table("sharing_agreement_parties", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sharing_agreement_parties_organisation_id",
            ["organisation_id", "agreement_id"],
            unique=False,
        )


def _documents_and_signatories() -> None:
    op.create_table(
        "sharing_agreement_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("stored_name", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["sharing_agreements.id"],
            name=op.f("fk_sharing_agreement_documents_agreement_id_sharing_agreements"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_sharing_agreement_documents_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_agreement_documents")),
        sa.UniqueConstraint("stored_name", name=op.f("uq_sharing_agreement_documents_stored_name")),
    )
    with op.batch_alter_table("sharing_agreement_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sharing_agreement_documents_agreement_id", ["agreement_id"], unique=False
        )
    op.create_table(
        "sharing_signatories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_sharing_signatories_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_sharing_signatories_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_signatories")),
        sa.UniqueConstraint(
            "organisation_id",
            "user_id",
            name=op.f("uq_sharing_signatories_organisation_id_user_id"),
        ),
    )
    with op.batch_alter_table("sharing_signatories", schema=None) as batch_op:
        batch_op.create_index("ix_sharing_signatories_user_id", ["user_id"], unique=False)


def upgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index(
            "uq_organisations_is_self",
            ["is_self"],
            unique=True,
            sqlite_where=sa.text("is_self"),
            postgresql_where=sa.text("is_self"),
        )
    _agreements()
    _scopes()
    _parties()
    _documents_and_signatories()


def downgrade() -> None:
    op.drop_table("sharing_signatories")
    op.drop_table("sharing_agreement_documents")
    op.drop_table("sharing_agreement_parties")
    op.drop_table("sharing_agreement_purposes")
    op.drop_table("sharing_agreement_categories")
    op.drop_table("sharing_agreements")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index("uq_organisations_is_self")

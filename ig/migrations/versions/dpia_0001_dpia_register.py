"""dpia: the DPIA register, its risks and its links to data-sharing agreements

Revision ID: dpia_0001
Revises:
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db

revision = "dpia_0001"
down_revision = None
branch_labels = ("dpia",)
depends_on = ("0002", "sharing_0001", "crypto_0001")

ROW_KEY_COMMENT = "random identity of the row, bound into its encrypted values"


def _row_key() -> sa.Column:
    return sa.Column("row_key", sa.String(length=32), nullable=False, comment=ROW_KEY_COMMENT)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def _dpias() -> None:
    op.create_table(
        "dpias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "description",
            sa.Text(),
            nullable=False,
            comment="the processing described: may name people and cases",
        ),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column("author_user_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            _enum(
                "dpia_status",
                "draft",
                "screened",
                "in_assessment",
                "awaiting_sign_off",
                "signed_off",
            ),
            nullable=False,
        ),
        sa.Column("screening_criteria", sa.JSON(), nullable=False),
        sa.Column("is_dpia_required", sa.Boolean(), nullable=True),
        sa.Column("screened_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
        sa.Column("max_residual_score", sa.Integer(), nullable=True),
        sa.Column("dpo_advice", sa.Text(), nullable=True, comment="the DPO's advice"),
        sa.Column("dpo_advice_on", sa.Date(), nullable=True),
        sa.Column("is_dpo_advice_followed", sa.Boolean(), nullable=True),
        sa.Column(
            "dpo_not_followed_reason",
            sa.Text(),
            nullable=True,
            comment="why the DPO's advice was not followed",
        ),
        sa.Column(
            "ico_decision", _enum("dpia_ico_decision", "consulted", "not_consulted"), nullable=True
        ),
        sa.Column("ico_consulted_on", sa.Date(), nullable=True),
        sa.Column("ico_reference", sa.String(length=60), nullable=False),
        sa.Column(
            "ico_notes",
            sa.Text(),
            nullable=True,
            comment="the ICO's advice, or why the ICO was not consulted",
        ),
        sa.Column("signed_off_by_user_id", sa.Integer(), nullable=True),
        sa.Column("signed_off_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("last_reviewed_on", sa.Date(), nullable=True),
        _row_key(),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_user_id"],
            ["users.id"],
            name=op.f("fk_dpias_author_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_dpias_owner_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["signed_off_by_user_id"],
            ["users.id"],
            name=op.f("fk_dpias_signed_off_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dpias")),
    )
    op.create_index("ix_dpias_max_residual_score", "dpias", ["max_residual_score"])
    op.create_index("ix_dpias_owner_user_id", "dpias", ["owner_user_id"])
    op.create_index("ix_dpias_review_on", "dpias", ["review_on"])
    op.create_index(op.f("ix_dpias_row_key"), "dpias", ["row_key"], unique=True)
    op.create_index("ix_dpias_status", "dpias", ["status"])


def _risks() -> None:
    op.create_table(
        "dpia_risks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dpia_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False, comment="the risk to people"),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column(
            "measures", sa.Text(), nullable=False, comment="the measures that reduce the risk"
        ),
        sa.Column("residual_likelihood", sa.Integer(), nullable=False),
        sa.Column("residual_severity", sa.Integer(), nullable=False),
        _row_key(),
        sa.CheckConstraint(
            "likelihood >= 1 AND severity >= 1 AND residual_likelihood >= 1 "
            "AND residual_severity >= 1",
            name=op.f("ck_dpia_risks_on_grid"),
        ),
        sa.ForeignKeyConstraint(
            ["dpia_id"],
            ["dpias.id"],
            name=op.f("fk_dpia_risks_dpia_id_dpias"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dpia_risks")),
    )
    op.create_index("ix_dpia_risks_dpia_id", "dpia_risks", ["dpia_id"])
    op.create_index(op.f("ix_dpia_risks_row_key"), "dpia_risks", ["row_key"], unique=True)


def _links() -> None:
    op.create_table(
        "dpia_sharing_agreements",
        sa.Column("dpia_id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["sharing_agreements.id"],
            name=op.f("fk_dpia_sharing_agreements_agreement_id_sharing_agreements"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["dpia_id"],
            ["dpias.id"],
            name=op.f("fk_dpia_sharing_agreements_dpia_id_dpias"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dpia_id", "agreement_id", name=op.f("pk_dpia_sharing_agreements")),
    )
    op.create_index(
        "ix_dpia_sharing_agreements_agreement_id", "dpia_sharing_agreements", ["agreement_id"]
    )


def upgrade() -> None:
    _dpias()
    _risks()
    _links()


def downgrade() -> None:
    op.drop_table("dpia_sharing_agreements")
    op.drop_table("dpia_risks")
    op.drop_table("dpias")

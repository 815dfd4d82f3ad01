"""risks: the IG risk register, its scored reviews, actions and links to incidents,
DPIAs and information assets

Revision ID: risks_0001
Revises:
Create Date: 2026-12-07 16:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db
import ig.encrypted

revision = "risks_0001"
down_revision = None
branch_labels = ("risks",)
# The tables risks link to: DPIAs, and information assets, whose revision itself depends
# on incidents_0001. Naming incidents_0001 as well makes alembic remove that head twice
# when the risks branch is upgraded on its own (tests/risks/test_migration.py).
depends_on = ("assets_0001", "dpia_0001")


def upgrade() -> None:
    op.create_table(
        "risks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column(
            "cause",
            ig.encrypted.EncryptedText("risks.cause"),
            nullable=False,
            comment="what could bring the risk about",
        ),
        sa.Column(
            "effect",
            ig.encrypted.EncryptedText("risks.effect"),
            nullable=False,
            comment="what would follow if it happened",
        ),
        sa.Column(
            "controls",
            ig.encrypted.EncryptedText("risks.controls"),
            nullable=False,
            comment="the controls already in place",
        ),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("target_likelihood", sa.Integer(), nullable=False),
        sa.Column("target_impact", sa.Integer(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("open", "closed", name="risk_status", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "closed_reason",
            ig.encrypted.EncryptedText("risks.closed_reason"),
            nullable=True,
            comment="why the risk was closed",
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
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name=op.f("ck_risks_impact_on_matrix")),
        sa.CheckConstraint(
            "likelihood BETWEEN 1 AND 5", name=op.f("ck_risks_likelihood_on_matrix")
        ),
        sa.CheckConstraint(
            "target_impact BETWEEN 1 AND 5", name=op.f("ck_risks_target_impact_on_matrix")
        ),
        sa.CheckConstraint(
            "target_likelihood BETWEEN 1 AND 5", name=op.f("ck_risks_target_likelihood_on_matrix")
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_risks_owner_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risks")),
        sa.UniqueConstraint("number", name=op.f("uq_risks_number")),
    )
    op.create_index("ix_risks_owner_user_id", "risks", ["owner_user_id"], unique=False)
    op.create_index("ix_risks_review_on", "risks", ["review_on"], unique=False)
    op.create_index(op.f("ix_risks_row_key"), "risks", ["row_key"], unique=True)
    op.create_index("ix_risks_status_score", "risks", ["status", "score"], unique=False)
    op.create_table(
        "risk_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column(
            "description",
            ig.encrypted.EncryptedText("risk_actions.description"),
            nullable=False,
            comment="what is to be done",
        ),
        sa.Column("owner_user_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "row_key",
            sa.String(length=32),
            nullable=False,
            comment="random identity of the row, bound into its encrypted values",
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_risk_actions_owner_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"],
            ["risks.id"],
            name=op.f("fk_risk_actions_risk_id_risks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_actions")),
    )
    op.create_index("ix_risk_actions_risk_id", "risk_actions", ["risk_id"], unique=False)
    op.create_index(op.f("ix_risk_actions_row_key"), "risk_actions", ["row_key"], unique=True)
    op.create_table(
        "risk_dpias",
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("dpia_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("linked_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dpia_id"], ["dpias.id"], name=op.f("fk_risk_dpias_dpia_id_dpias"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"], ["risks.id"], name=op.f("fk_risk_dpias_risk_id_risks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("risk_id", "dpia_id", name=op.f("pk_risk_dpias")),
    )
    op.create_index("ix_risk_dpias_dpia_id", "risk_dpias", ["dpia_id"], unique=False)
    op.create_table(
        "risk_incidents",
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("linked_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_risk_incidents_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"],
            ["risks.id"],
            name=op.f("fk_risk_incidents_risk_id_risks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("risk_id", "incident_id", name=op.f("pk_risk_incidents")),
    )
    op.create_index(
        "ix_risk_incidents_incident_id", "risk_incidents", ["incident_id"], unique=False
    )
    op.create_table(
        "risk_information_assets",
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("linked_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["asset_id"],
            ["information_assets.id"],
            name=op.f("fk_risk_information_assets_asset_id_information_assets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"],
            ["risks.id"],
            name=op.f("fk_risk_information_assets_risk_id_risks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("risk_id", "asset_id", name=op.f("pk_risk_information_assets")),
    )
    op.create_index(
        "ix_risk_information_assets_asset_id", "risk_information_assets", ["asset_id"], unique=False
    )
    op.create_table(
        "risk_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("next_review_on", sa.Date(), nullable=False),
        sa.Column(
            "note",
            ig.encrypted.EncryptedText("risk_reviews.note"),
            nullable=False,
            comment="what the review found",
        ),
        sa.Column("reviewed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
        sa.Column("recorded_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "row_key",
            sa.String(length=32),
            nullable=False,
            comment="random identity of the row, bound into its encrypted values",
        ),
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name=op.f("ck_risk_reviews_impact_on_matrix")),
        sa.CheckConstraint(
            "likelihood BETWEEN 1 AND 5", name=op.f("ck_risk_reviews_likelihood_on_matrix")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_user_id"],
            ["users.id"],
            name=op.f("fk_risk_reviews_reviewed_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["risk_id"],
            ["risks.id"],
            name=op.f("fk_risk_reviews_risk_id_risks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_reviews")),
    )
    op.create_index(
        "ix_risk_reviews_risk_id_reviewed_on",
        "risk_reviews",
        ["risk_id", "reviewed_on"],
        unique=False,
    )
    op.create_index(op.f("ix_risk_reviews_row_key"), "risk_reviews", ["row_key"], unique=True)


def downgrade() -> None:
    for table in (
        "risk_reviews",
        "risk_information_assets",
        "risk_incidents",
        "risk_dpias",
        "risk_actions",
        "risks",
    ):
        op.drop_table(table)

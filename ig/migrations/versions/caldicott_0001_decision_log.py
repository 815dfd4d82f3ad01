"""caldicott: requests, subjects, decision versions and links

Revision ID: caldicott_0001
Revises:
Create Date: 2026-11-22 02:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db
import ig.encrypted

revision = "caldicott_0001"
down_revision = None
branch_labels = ("caldicott",)
depends_on = "0002"


def upgrade() -> None:
    op.create_table(
        "caldicott_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("raised_by_id", sa.Integer(), nullable=False),
        sa.Column("requester_name", sa.String(length=200), nullable=False),
        sa.Column("requester_role", sa.String(length=200), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("organisation_name", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=40), nullable=False),
        sa.Column("request_type", sa.String(length=40), nullable=False),
        sa.Column("urgency", sa.String(length=40), nullable=False),
        sa.Column(
            "purpose",
            ig.encrypted.EncryptedText("caldicott_requests.purpose"),
            nullable=False,
            comment="purpose of a Caldicott request",
        ),
        sa.Column(
            "information",
            ig.encrypted.EncryptedText("caldicott_requests.information"),
            nullable=False,
            comment="the information a Caldicott request involves",
        ),
        sa.Column(
            "case_details",
            ig.encrypted.EncryptedText("caldicott_requests.case_details"),
            nullable=False,
            comment="details of the case behind a Caldicott request",
        ),
        sa.Column("data_categories", sa.String(length=400), nullable=False),
        sa.Column("people_count", sa.Integer(), nullable=False),
        sa.Column("includes_deceased", sa.Boolean(), nullable=False),
        sa.Column("needed_by", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "awaiting_assessment",
                "awaiting_decision",
                "decided",
                name="caldicott_request_status",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "approved",
                "approved_with_conditions",
                "declined",
                "advice_only",
                name="caldicott_outcome",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("decided_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("first_decided_on", sa.Date(), nullable=True),
        sa.Column("days_to_decision", sa.Integer(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("signed_number", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_caldicott_requests_organisation_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_id"],
            ["users.id"],
            name=op.f("fk_caldicott_requests_raised_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_caldicott_requests")),
        sa.UniqueConstraint("reference", name=op.f("uq_caldicott_requests_reference")),
        sa.UniqueConstraint("year", "serial", name=op.f("uq_caldicott_requests_year_serial")),
    )
    with op.batch_alter_table("caldicott_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_caldicott_requests_organisation_id", ["organisation_id"], unique=False
        )
        batch_op.create_index("ix_caldicott_requests_outcome", ["outcome"], unique=False)
        batch_op.create_index("ix_caldicott_requests_raised_by_id", ["raised_by_id"], unique=False)
        batch_op.create_index("ix_caldicott_requests_received_on", ["received_on"], unique=False)
        batch_op.create_index("ix_caldicott_requests_request_type", ["request_type"], unique=False)
        batch_op.create_index("ix_caldicott_requests_review_on", ["review_on"], unique=False)
        batch_op.create_index(
            "ix_caldicott_requests_status_received_on", ["status", "received_on"], unique=False
        )

    op.create_table(
        "caldicott_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.Column(
            "amendment_reason",
            ig.encrypted.EncryptedText("caldicott_decisions.amendment_reason"),
            nullable=True,
            comment="why a Caldicott decision was amended",
        ),
        sa.Column("assessed_by_id", sa.Integer(), nullable=True),
        sa.Column("assessed_by_name", sa.String(length=200), nullable=False),
        sa.Column("assessed_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("article6", sa.String(length=40), nullable=True),
        sa.Column("article9", sa.String(length=40), nullable=True),
        sa.Column("article10", sa.String(length=40), nullable=True),
        sa.Column("confidentiality_basis", sa.String(length=40), nullable=True),
        sa.Column(
            "legal_basis_note",
            ig.encrypted.EncryptedText("caldicott_decisions.legal_basis_note"),
            nullable=True,
            comment="notes on the legal basis of a Caldicott decision",
        ),
        sa.Column(
            "principle_notes",
            ig.encrypted.EncryptedText("caldicott_decisions.principle_notes"),
            nullable=True,
            comment="JSON: how each Caldicott principle is met",
        ),
        sa.Column(
            "consultations",
            ig.encrypted.EncryptedText("caldicott_decisions.consultations"),
            nullable=True,
            comment="JSON: people consulted on a Caldicott request and their advice",
        ),
        sa.Column(
            "recommended_outcome",
            sa.Enum(
                "approved",
                "approved_with_conditions",
                "declined",
                "advice_only",
                name="caldicott_recommended_outcome",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "recommendation",
            ig.encrypted.EncryptedText("caldicott_decisions.recommendation"),
            nullable=True,
            comment="the assessor's recommendation on a Caldicott request",
        ),
        sa.Column(
            "outcome",
            sa.Enum(
                "approved",
                "approved_with_conditions",
                "declined",
                "advice_only",
                name="caldicott_decision_outcome",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "conditions",
            ig.encrypted.EncryptedText("caldicott_decisions.conditions"),
            nullable=True,
            comment="JSON: conditions attached to a Caldicott approval",
        ),
        sa.Column(
            "reasons",
            ig.encrypted.EncryptedText("caldicott_decisions.reasons"),
            nullable=True,
            comment="the Guardian's reasons for a Caldicott decision",
        ),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_by_name", sa.String(length=200), nullable=False),
        sa.Column(
            "signed_capacity",
            sa.Enum(
                "caldicott_guardian",
                "deputy_caldicott_guardian",
                name="caldicott_capacity",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("signed_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reauth_method", sa.String(length=20), nullable=True),
        sa.Column("policy_version", sa.String(length=40), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.Column("seal", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessed_by_id"],
            ["users.id"],
            name=op.f("fk_caldicott_decisions_assessed_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["caldicott_requests.id"],
            name=op.f("fk_caldicott_decisions_request_id_caldicott_requests"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_id"],
            ["users.id"],
            name=op.f("fk_caldicott_decisions_signed_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["supersedes_id"],
            ["caldicott_decisions.id"],
            name=op.f("fk_caldicott_decisions_supersedes_id_caldicott_decisions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_caldicott_decisions")),
        sa.UniqueConstraint(
            "request_id", "number", name=op.f("uq_caldicott_decisions_request_id_number")
        ),
    )
    with op.batch_alter_table("caldicott_decisions", schema=None) as batch_op:
        batch_op.create_index("ix_caldicott_decisions_signed_at", ["signed_at"], unique=False)

    op.create_table(
        "caldicott_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "incident", "agreement", name="caldicott_link_kind", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("linked_by_id", sa.Integer(), nullable=True),
        sa.Column("linked_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["linked_by_id"],
            ["users.id"],
            name=op.f("fk_caldicott_links_linked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["caldicott_requests.id"],
            name=op.f("fk_caldicott_links_request_id_caldicott_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_caldicott_links")),
        sa.UniqueConstraint(
            "request_id",
            "kind",
            "reference",
            name=op.f("uq_caldicott_links_request_id_kind_reference"),
        ),
    )
    op.create_table(
        "caldicott_subjects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column(
            "identifier",
            ig.encrypted.EncryptedText("caldicott_subjects.identifier"),
            nullable=False,
            comment="identifier (case number, NHS number) of a person in a Caldicott request",
        ),
        sa.Column("identifier_index", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["caldicott_requests.id"],
            name=op.f("fk_caldicott_subjects_request_id_caldicott_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_caldicott_subjects")),
    )
    with op.batch_alter_table("caldicott_subjects", schema=None) as batch_op:
        batch_op.create_index(
            "ix_caldicott_subjects_identifier_index", ["identifier_index"], unique=False
        )
        batch_op.create_index("ix_caldicott_subjects_request_id", ["request_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("caldicott_subjects", schema=None) as batch_op:
        batch_op.drop_index("ix_caldicott_subjects_request_id")
        batch_op.drop_index("ix_caldicott_subjects_identifier_index")
    op.drop_table("caldicott_subjects")
    op.drop_table("caldicott_links")
    with op.batch_alter_table("caldicott_decisions", schema=None) as batch_op:
        batch_op.drop_index("ix_caldicott_decisions_signed_at")
    op.drop_table("caldicott_decisions")
    with op.batch_alter_table("caldicott_requests", schema=None) as batch_op:
        for name in (
            "ix_caldicott_requests_status_received_on",
            "ix_caldicott_requests_review_on",
            "ix_caldicott_requests_request_type",
            "ix_caldicott_requests_received_on",
            "ix_caldicott_requests_raised_by_id",
            "ix_caldicott_requests_outcome",
            "ix_caldicott_requests_organisation_id",
        ):
            batch_op.drop_index(name)
    op.drop_table("caldicott_requests")

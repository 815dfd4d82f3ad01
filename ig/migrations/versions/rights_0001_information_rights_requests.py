"""rights: information rights requests and the pauses of their clocks

Revision ID: rights_0001
Revises:
Create Date: 2026-12-07 13:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db
import ig.encrypted

revision = "rights_0001"
down_revision = None
branch_labels = ("rights",)
depends_on = "0002"


def _encrypted(name: str, what: str) -> sa.Column:
    return sa.Column(
        name,
        ig.encrypted.EncryptedText(f"rights_requests.{name}"),
        nullable=False,
        comment=what,
    )


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=40)


def _user_fk(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="RESTRICT"
    )


def _requests() -> None:
    op.create_table(
        "rights_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type_key", sa.String(length=40), nullable=False),
        sa.Column(
            "status", _enum("rights_request_status", "open", "paused", "closed"), nullable=False
        ),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
        sa.Column("logged_by_user_id", sa.Integer(), nullable=False),
        sa.Column("logged_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        _encrypted("requester_name", "name of the person the request is about"),
        _encrypted("requester_identifier", "their case number or other identifier"),
        sa.Column("identifier_index", sa.String(length=64), nullable=True),
        _encrypted("requester_contact", "how to reach them: e-mail or postal address"),
        sa.Column("contact_index", sa.String(length=64), nullable=True),
        _encrypted("representative_name", "who made the request on their behalf"),
        _encrypted("authority", "the authority to act for them (consent, attorney...)"),
        _encrypted("summary", "what was asked for"),
        sa.Column("extension_told_on", sa.Date(), nullable=True),
        sa.Column("extension_months", sa.Integer(), nullable=False),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        _encrypted("extension_reason", "why the deadline was extended"),
        sa.Column(
            "outcome",
            _enum("rights_outcome", "complete", "partial", "refused", "withdrawn"),
            nullable=True,
        ),
        sa.Column("response_sent_on", sa.Date(), nullable=True),
        _encrypted("outcome_note", "what was sent, or why refused or withdrawn"),
        sa.Column("closed_by_user_id", sa.Integer(), nullable=True),
        sa.Column(
            "row_key",
            sa.String(length=32),
            nullable=False,
            comment="random identity of the row, bound into its encrypted values",
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        _user_fk("rights_requests", "logged_by_user_id"),
        _user_fk("rights_requests", "closed_by_user_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rights_requests")),
    )
    op.create_index("ix_rights_requests_status_due_on", "rights_requests", ["status", "due_on"])
    op.create_index("ix_rights_requests_identifier_index", "rights_requests", ["identifier_index"])
    op.create_index("ix_rights_requests_contact_index", "rights_requests", ["contact_index"])
    op.create_index("ix_rights_requests_type_key", "rights_requests", ["type_key"])
    op.create_index(op.f("ix_rights_requests_row_key"), "rights_requests", ["row_key"], unique=True)


def upgrade() -> None:
    _requests()
    op.create_table(
        "rights_pauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column(
            "reason",
            _enum("rights_pause_reason", "identity", "clarification", "fee"),
            nullable=False,
        ),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["rights_requests.id"],
            name=op.f("fk_rights_pauses_request_id_rights_requests"),
            ondelete="CASCADE",
        ),
        _user_fk("rights_pauses", "recorded_by_user_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rights_pauses")),
    )
    op.create_index("ix_rights_pauses_request_id", "rights_pauses", ["request_id"])


def downgrade() -> None:
    op.drop_table("rights_pauses")
    op.drop_table("rights_requests")

"""rights: refusals and their grounds, the FOI/EIR disclosure log, and each request's handler

Revision ID: rights_0003
Revises: rights_0002
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db
import ig.encrypted

revision = "rights_0003"
down_revision = "rights_0002"
branch_labels = None
depends_on = None


def _encrypted(table: str, name: str, what: str) -> sa.Column:
    return sa.Column(
        name, ig.encrypted.EncryptedText(f"{table}.{name}"), nullable=False, comment=what
    )


def _fk(
    table: str, column: str, target: str, ondelete: str = "RESTRICT", key: str = "id"
) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.{key}"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def _refusals() -> None:
    op.create_table(
        "rights_refusals",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column(
            "scope",
            sa.Enum(
                "full", "partial", "fee", name="rights_refusal_scope", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("is_ncnd", sa.Boolean(), nullable=False),
        sa.Column("fee_pence", sa.Integer(), nullable=True),
        sa.Column("policy_version", sa.String(length=40), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_user_id", sa.Integer(), nullable=False),
        _fk("rights_refusals", "request_id", "rights_requests", "CASCADE"),
        _fk("rights_refusals", "recorded_by_user_id", "users"),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_rights_refusals")),
    )
    op.create_table(
        "rights_refusal_grounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("ground_key", sa.String(length=40), nullable=False),
        _encrypted("rights_refusal_grounds", "reason", "why the ground applies"),
        _encrypted(
            "rights_refusal_grounds",
            "public_interest",
            "the public interest test: for and against disclosure, and the balance",
        ),
        sa.Column(
            "row_key",
            sa.String(length=32),
            nullable=False,
            comment="random identity of the row, bound into its encrypted values",
        ),
        _fk("rights_refusal_grounds", "request_id", "rights_refusals", "CASCADE", "request_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rights_refusal_grounds")),
        sa.UniqueConstraint(
            "request_id",
            "ground_key",
            name=op.f("uq_rights_refusal_grounds_request_id_ground_key"),
        ),
    )
    op.create_index(
        op.f("ix_rights_refusal_grounds_row_key"),
        "rights_refusal_grounds",
        ["row_key"],
        unique=True,
    )


def upgrade() -> None:
    _refusals()
    op.create_table(
        "rights_disclosures",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("request_summary", sa.Text(), nullable=False),
        sa.Column("response_summary", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("published_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by_user_id", sa.Integer(), nullable=False),
        _fk("rights_disclosures", "request_id", "rights_requests", "CASCADE"),
        _fk("rights_disclosures", "published_by_user_id", "users"),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_rights_disclosures")),
    )
    op.create_index("ix_rights_disclosures_published_on", "rights_disclosures", ["published_on"])
    with op.batch_alter_table("rights_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handler_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_rights_requests_handler_user_id_users"),
            "users",
            ["handler_user_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_index(
            batch_op.f("ix_rights_requests_handler_user_id"), ["handler_user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("rights_requests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rights_requests_handler_user_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_rights_requests_handler_user_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("handler_user_id")
    op.drop_index("ix_rights_disclosures_published_on", table_name="rights_disclosures")
    op.drop_table("rights_disclosures")
    op.drop_table("rights_refusal_grounds")
    op.drop_table("rights_refusals")

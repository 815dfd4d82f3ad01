"""incidents: the ICO breach report form's remaining questions (likelihood of significant
consequences, cyber impact and recovery, preventative measures, guidance, reported
before) and the answers not yet known with their follow-up date

Revision ID: incidents_0003_ico_form
Revises: incidents_0002
Create Date: 2026-12-06 20:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.encrypted

revision = "incidents_0003_ico_form"
down_revision = "incidents_0002"
branch_labels = None
depends_on = None


def _choice(name: str) -> sa.Column:
    return sa.Column(name, sa.String(length=40), nullable=True)


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(_choice("significant_likelihood"))
        batch_op.add_column(_choice("org_impact"))
        batch_op.add_column(
            sa.Column(
                "impact_detail",
                ig.encrypted.EncryptedText("incidents.impact_detail"),
                nullable=True,
                comment="impact of a cyber incident on the organisation",
            )
        )
        batch_op.add_column(_choice("recovery_time"))
        batch_op.add_column(
            sa.Column(
                "preventative_measures",
                ig.encrypted.EncryptedText("incidents.preventative_measures"),
                nullable=True,
                comment="measures in place before the breach to prevent it",
            )
        )
        batch_op.add_column(_choice("staff_guidance"))
        batch_op.add_column(_choice("reported_before"))
        batch_op.add_column(
            sa.Column("reported_before_detail", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("unknown_answers", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("ico_follow_up_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        for name in (
            "ico_follow_up_on",
            "unknown_answers",
            "reported_before_detail",
            "reported_before",
            "staff_guidance",
            "preventative_measures",
            "recovery_time",
            "impact_detail",
            "org_impact",
            "significant_likelihood",
        ):
            batch_op.drop_column(name)

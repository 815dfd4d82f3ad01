"""people: organisations, teams, managers, staff

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:17:25.297800
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.crypto
import ig.db

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "local_authority",
                "nhs_trust",
                "integrated_care_board",
                "gp_practice",
                "police",
                "provider",
                "voluntary",
                "other",
                name="organisation_kind",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("assurance_status", sa.String(length=100), nullable=False),
        sa.Column("assurance_on", sa.Date(), nullable=True),
        sa.Column("dpo_contact", sa.String(length=320), nullable=False),
        sa.Column("is_self", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("code", name=op.f("uq_organisations_code")),
    )
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.create_index("ix_organisations_kind_name", ["kind", "name"], unique=False)

    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "directorate", "service", "team", name="team_kind", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=400), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["teams.id"], name=op.f("fk_teams_parent_id_teams"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
    )
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.create_index("ix_teams_parent_id", ["parent_id"], unique=False)
        batch_op.create_index("ix_teams_path", ["path"], unique=False)

    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_number", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("work_email", sa.String(length=320), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("job_title", sa.String(length=200), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_staff_team_id_teams"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_staff_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
        sa.UniqueConstraint("staff_number", name=op.f("uq_staff_staff_number")),
        sa.UniqueConstraint("user_id", name=op.f("uq_staff_user_id")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index("ix_staff_team_id_left_on", ["team_id", "left_on"], unique=False)

    op.create_table(
        "team_managers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["teams.id"],
            name=op.f("fk_team_managers_team_id_teams"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_team_managers_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_managers")),
        sa.UniqueConstraint("team_id", "user_id", name=op.f("uq_team_managers_team_id_user_id")),
    )
    with op.batch_alter_table("team_managers", schema=None) as batch_op:
        batch_op.create_index("ix_team_managers_user_id", ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("team_managers", schema=None) as batch_op:
        batch_op.drop_index("ix_team_managers_user_id")

    op.drop_table("team_managers")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_team_id_left_on")

    op.drop_table("staff")
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_index("ix_teams_path")
        batch_op.drop_index("ix_teams_parent_id")

    op.drop_table("teams")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_index("ix_organisations_kind_name")

    op.drop_table("organisations")

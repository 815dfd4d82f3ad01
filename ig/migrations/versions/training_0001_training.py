"""training: completions, exemptions, assignments, imports

Revision ID: training_0001
Revises: (branch training, depends on 0002)
Create Date: 2026-11-22 02:20:47.355153
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db
import ig.encrypted

revision = "training_0001"
down_revision = None
branch_labels = ("training",)
depends_on = "0002"


def upgrade() -> None:
    op.create_table(
        "training_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_code", sa.String(length=40), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "reason",
            ig.encrypted.EncryptedText("training_assignments.reason"),
            nullable=False,
            comment="why a course was assigned (may describe an incident)",
        ),
        sa.Column("source_ref", sa.String(length=100), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_training_assignments_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_assignments")),
    )
    op.create_table(
        "training_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("staff", "completions", name="import_kind", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "checking",
                "checked",
                "importing",
                "imported",
                "discarded",
                "failed",
                name="import_status",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_hash", sa.String(length=64), nullable=False),
        sa.Column("stored_path", sa.String(length=500), nullable=False),
        sa.Column("rows_checked", sa.Integer(), nullable=False),
        sa.Column("rows_valid", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
        sa.Column("rows_added", sa.Integer(), nullable=False),
        sa.Column("rows_updated", sa.Integer(), nullable=False),
        sa.Column("rows_unchanged", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_training_imports_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_imports")),
    )
    with op.batch_alter_table("training_imports", schema=None) as batch_op:
        batch_op.create_index(
            "ix_training_imports_kind_file_hash", ["kind", "file_hash"], unique=False
        )

    op.create_table(
        "training_assignment_staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["training_assignments.id"],
            name=op.f("fk_training_assignment_staff_assignment_id_training_assignments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_training_assignment_staff_staff_id_staff"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_assignment_staff")),
        sa.UniqueConstraint(
            "assignment_id",
            "staff_id",
            name=op.f("uq_training_assignment_staff_assignment_id_staff_id"),
        ),
    )
    with op.batch_alter_table("training_assignment_staff", schema=None) as batch_op:
        batch_op.create_index("ix_training_assignment_staff_staff_id", ["staff_id"], unique=False)

    op.create_table(
        "training_completions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("course_code", sa.String(length=40), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "manual", "import", "api", name="completion_source", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["training_imports.id"],
            name=op.f("fk_training_completions_import_id_training_imports"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_training_completions_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_training_completions_staff_id_staff"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_completions")),
        sa.UniqueConstraint(
            "staff_id",
            "course_code",
            "completed_on",
            name=op.f("uq_training_completions_staff_id_course_code_completed_on"),
        ),
    )
    with op.batch_alter_table("training_completions", schema=None) as batch_op:
        batch_op.create_index("ix_training_completions_import_id", ["import_id"], unique=False)
        batch_op.create_index(
            "ix_training_completions_lookup",
            ["staff_id", "course_code", "completed_on", "recorded_at"],
            unique=False,
        )

    op.create_table(
        "training_exemptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("course_code", sa.String(length=40), nullable=False),
        sa.Column(
            "reason",
            ig.encrypted.EncryptedText("training_exemptions.reason"),
            nullable=False,
            comment="why a member of staff is exempt from a course (may mention health or leave)",
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_training_exemptions_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_training_exemptions_staff_id_staff"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_exemptions")),
    )
    with op.batch_alter_table("training_exemptions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_training_exemptions_staff_id_course_code", ["staff_id", "course_code"], unique=False
        )

    op.create_table(
        "training_import_rejections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["training_imports.id"],
            name=op.f("fk_training_import_rejections_import_id_training_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_import_rejections")),
    )
    with op.batch_alter_table("training_import_rejections", schema=None) as batch_op:
        batch_op.create_index(
            "ix_training_import_rejections_import_id_line", ["import_id", "line"], unique=False
        )

    op.create_table(
        "training_import_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("course_code", sa.String(length=40), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["training_imports.id"],
            name=op.f("fk_training_import_rows_import_id_training_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_import_rows")),
    )
    with op.batch_alter_table("training_import_rows", schema=None) as batch_op:
        batch_op.create_index(
            "ix_training_import_rows_key",
            ["import_id", "staff_id", "course_code", "completed_on"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("training_import_rows", schema=None) as batch_op:
        batch_op.drop_index("ix_training_import_rows_key")

    op.drop_table("training_import_rows")
    with op.batch_alter_table("training_import_rejections", schema=None) as batch_op:
        batch_op.drop_index("ix_training_import_rejections_import_id_line")

    op.drop_table("training_import_rejections")
    with op.batch_alter_table("training_exemptions", schema=None) as batch_op:
        batch_op.drop_index("ix_training_exemptions_staff_id_course_code")

    op.drop_table("training_exemptions")
    with op.batch_alter_table("training_completions", schema=None) as batch_op:
        batch_op.drop_index("ix_training_completions_lookup")
        batch_op.drop_index("ix_training_completions_import_id")

    op.drop_table("training_completions")
    with op.batch_alter_table("training_assignment_staff", schema=None) as batch_op:
        batch_op.drop_index("ix_training_assignment_staff_staff_id")

    op.drop_table("training_assignment_staff")
    with op.batch_alter_table("training_imports", schema=None) as batch_op:
        batch_op.drop_index("ix_training_imports_kind_file_hash")

    op.drop_table("training_imports")
    op.drop_table("training_assignments")

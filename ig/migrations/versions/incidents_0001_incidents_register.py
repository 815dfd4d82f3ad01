"""incidents register

Revision ID: incidents_0001
Revises: (own branch "incidents", depends on 0002)
Create Date: 2026-11-22 02:22:59.888075
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import ig.db
import ig.encrypted

revision = "incidents_0001"
down_revision = None
branch_labels = ("incidents",)
depends_on = "0002"


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "reported",
                "triaged",
                "investigating",
                "notified",
                "closed",
                "withdrawn",
                "duplicate",
                name="incident_status",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "kind",
            sa.Enum(
                "breach",
                "near_miss",
                "not_incident",
                name="incident_kind",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("incident_type", sa.String(length=60), nullable=True),
        sa.Column("is_confidentiality", sa.Boolean(), nullable=False),
        sa.Column("is_integrity", sa.Boolean(), nullable=False),
        sa.Column("is_availability", sa.Boolean(), nullable=False),
        sa.Column("is_cyber", sa.Boolean(), nullable=False),
        sa.Column("is_ongoing", sa.Boolean(), nullable=False),
        sa.Column("is_vulnerable", sa.Boolean(), nullable=False),
        sa.Column("occurred_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("found_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reported_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("aware_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("deadline_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("first_notified_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("hours_to_notify", sa.Integer(), nullable=True),
        sa.Column("closed_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("data_categories", sa.JSON(), nullable=False),
        sa.Column("people_categories", sa.JSON(), nullable=False),
        sa.Column("people_count", sa.Integer(), nullable=True),
        sa.Column("records_count", sa.Integer(), nullable=True),
        sa.Column("others_told", sa.Text(), nullable=False),
        sa.Column(
            "narrative",
            ig.encrypted.EncryptedText("incidents.narrative"),
            nullable=False,
            comment="what happened, as reported",
        ),
        sa.Column(
            "discovery",
            ig.encrypted.EncryptedText("incidents.discovery"),
            nullable=True,
            comment="how it was discovered",
        ),
        sa.Column(
            "containment",
            ig.encrypted.EncryptedText("incidents.containment"),
            nullable=True,
            comment="containment taken",
        ),
        sa.Column(
            "consequences",
            ig.encrypted.EncryptedText("incidents.consequences"),
            nullable=True,
            comment="likely consequences",
        ),
        sa.Column(
            "investigation_notes",
            ig.encrypted.EncryptedText("incidents.investigation_notes"),
            nullable=True,
            comment="the IG team's investigation notes",
        ),
        sa.Column(
            "root_cause",
            ig.encrypted.EncryptedText("incidents.root_cause"),
            nullable=True,
            comment="root cause found",
        ),
        sa.Column(
            "lessons_learned",
            ig.encrypted.EncryptedText("incidents.lessons_learned"),
            nullable=True,
            comment="lessons learned at closure",
        ),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=True),
        sa.Column("severity", sa.Integer(), nullable=True),
        sa.Column("grading_version", sa.String(length=40), nullable=True),
        sa.Column("graded_by_id", sa.Integer(), nullable=True),
        sa.Column("graded_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("needs_confirmation", sa.Boolean(), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("is_ico_notifiable", sa.Boolean(), nullable=False),
        sa.Column("is_dhsc_notifiable", sa.Boolean(), nullable=False),
        sa.Column("ico_override", sa.Boolean(), nullable=True),
        sa.Column("dhsc_override", sa.Boolean(), nullable=True),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("no_notification_reason", sa.Text(), nullable=False),
        sa.Column("is_high_risk", sa.Boolean(), nullable=True),
        sa.Column("people_told_at", ig.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("people_told_how", sa.Text(), nullable=False),
        sa.Column(
            "exemption",
            sa.Enum(
                "unintelligible",
                "risk_no_longer_likely",
                "disproportionate_effort",
                name="art34_exemption",
                native_enum=False,
                length=40,
            ),
            nullable=True,
        ),
        sa.Column("public_communication", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["users.id"],
            name=op.f("fk_incidents_confirmed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of_id"],
            ["incidents.id"],
            name=op.f("fk_incidents_duplicate_of_id_incidents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["graded_by_id"],
            ["users.id"],
            name=op.f("fk_incidents_graded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_incidents_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["users.id"],
            name=op.f("fk_incidents_reporter_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_incidents_team_id_teams"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
        sa.UniqueConstraint("reference", name=op.f("uq_incidents_reference")),
        sa.UniqueConstraint("year", "sequence", name=op.f("uq_incidents_year_sequence")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incidents_deadline_at",
            ["is_ico_notifiable", "first_notified_at", "deadline_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_incidents_first_notified_at", ["first_notified_at", "hours_to_notify"], unique=False
        )
        batch_op.create_index(
            "ix_incidents_month_type_status", ["month", "incident_type", "status"], unique=False
        )
        batch_op.create_index("ix_incidents_reported_at", ["reported_at"], unique=False)
        batch_op.create_index(
            "ix_incidents_reporter_id_reported_at", ["reporter_id", "reported_at"], unique=False
        )
        batch_op.create_index(
            "ix_incidents_status_reported_at", ["status", "reported_at"], unique=False
        )
        batch_op.create_index(
            "ix_incidents_team_id_reported_at", ["team_id", "reported_at"], unique=False
        )
        batch_op.create_index(
            "ix_incidents_type_reported_at", ["incident_type", "reported_at"], unique=False
        )

    op.create_table(
        "incident_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "done",
                "accepted",
                name="incident_action_status",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("acceptance_reason", sa.Text(), nullable=False),
        sa.Column("course_code", sa.String(length=60), nullable=True),
        sa.Column("assignment_ids", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_actions_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_incident_actions_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_actions")),
    )
    with op.batch_alter_table("incident_actions", schema=None) as batch_op:
        batch_op.create_index("ix_incident_actions_incident_id", ["incident_id"], unique=False)
        batch_op.create_index(
            "ix_incident_actions_owner_id_status", ["owner_id", "status"], unique=False
        )

    op.create_table(
        "incident_affected_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column(
            "identifier",
            ig.encrypted.EncryptedText("incident_affected_people.identifier"),
            nullable=False,
            comment="case number or other identifier of a person",
        ),
        sa.Column("identifier_index", sa.String(length=64), nullable=False),
        sa.Column(
            "name",
            ig.encrypted.EncryptedText("incident_affected_people.name"),
            nullable=True,
            comment="name of a person",
        ),
        sa.Column(
            "note",
            ig.encrypted.EncryptedText("incident_affected_people.note"),
            nullable=True,
            comment="how this person was affected",
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_affected_people_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_affected_people")),
    )
    with op.batch_alter_table("incident_affected_people", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incident_affected_people_identifier_index", ["identifier_index"], unique=False
        )
        batch_op.create_index(
            "ix_incident_affected_people_incident_id", ["incident_id"], unique=False
        )

    op.create_table(
        "incident_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column(
            "regulator",
            sa.Enum("ico", "dhsc", name="regulator", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column(
            "phase",
            sa.Enum(
                "initial", "follow_up", name="notification_phase", native_enum=False, length=40
            ),
            nullable=False,
        ),
        sa.Column("sent_at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("external_reference", sa.String(length=60), nullable=False),
        sa.Column(
            "content",
            ig.encrypted.EncryptedText("incident_notifications.content"),
            nullable=False,
            comment="what was sent",
        ),
        sa.Column("late_reason", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_notifications_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_incident_notifications_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_notifications")),
    )
    with op.batch_alter_table("incident_notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incident_notifications_incident_id", ["incident_id"], unique=False
        )

    op.create_table(
        "incident_staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_staff_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff.id"],
            name=op.f("fk_incident_staff_staff_id_staff"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_staff")),
        sa.UniqueConstraint(
            "incident_id", "staff_id", name=op.f("uq_incident_staff_incident_id_staff_id")
        ),
    )
    with op.batch_alter_table("incident_staff", schema=None) as batch_op:
        batch_op.create_index("ix_incident_staff_staff_id", ["staff_id"], unique=False)

    op.create_table(
        "incident_timeline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("at", ig.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_label", sa.String(length=320), nullable=False),
        sa.Column("event", sa.String(length=60), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_timeline_incident_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_timeline")),
    )
    with op.batch_alter_table("incident_timeline", schema=None) as batch_op:
        batch_op.create_index("ix_incident_timeline_incident_id", ["incident_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("incident_timeline", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_timeline_incident_id")

    op.drop_table("incident_timeline")
    with op.batch_alter_table("incident_staff", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_staff_staff_id")

    op.drop_table("incident_staff")
    with op.batch_alter_table("incident_notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_notifications_incident_id")

    op.drop_table("incident_notifications")
    with op.batch_alter_table("incident_affected_people", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_affected_people_incident_id")
        batch_op.drop_index("ix_incident_affected_people_identifier_index")

    op.drop_table("incident_affected_people")
    with op.batch_alter_table("incident_actions", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_actions_owner_id_status")
        batch_op.drop_index("ix_incident_actions_incident_id")

    op.drop_table("incident_actions")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_type_reported_at")
        batch_op.drop_index("ix_incidents_team_id_reported_at")
        batch_op.drop_index("ix_incidents_status_reported_at")
        batch_op.drop_index("ix_incidents_reporter_id_reported_at")
        batch_op.drop_index("ix_incidents_reported_at")
        batch_op.drop_index("ix_incidents_month_type_status")
        batch_op.drop_index("ix_incidents_first_notified_at")
        batch_op.drop_index("ix_incidents_deadline_at")

    op.drop_table("incidents")

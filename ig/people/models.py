"""Partner organisations, the team hierarchy, managers and the staff register."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ig.db import Base, Timestamped, UTCDateTime, Versioned, enum_type


class OrganisationKind(enum.StrEnum):
    LOCAL_AUTHORITY = "local_authority"
    NHS_TRUST = "nhs_trust"
    INTEGRATED_CARE_BOARD = "integrated_care_board"
    GP_PRACTICE = "gp_practice"
    POLICE = "police"
    PROVIDER = "provider"
    VOLUNTARY = "voluntary"
    OTHER = "other"


class TeamKind(enum.StrEnum):
    DIRECTORATE = "directorate"
    SERVICE = "service"
    TEAM = "team"


class Organisation(Versioned, Timestamped, Base):
    """A partner (or this organisation itself): boroughs by GSS code, NHS bodies by ODS code."""

    __tablename__ = "organisations"
    __table_args__ = (
        UniqueConstraint("code"),
        Index("ix_organisations_kind_name", "kind", "name"),
        # Only one organisation can be "this organisation" (migration sharing_0001).
        Index(
            "uq_organisations_is_self",
            "is_self",
            unique=True,
            sqlite_where=text("is_self"),
            postgresql_where=text("is_self"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[OrganisationKind] = mapped_column(
        enum_type(OrganisationKind, "organisation_kind"), nullable=False
    )
    code: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(Text, nullable=False, default="")
    assurance_status: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    assurance_on: Mapped[dt.date | None] = mapped_column(Date)
    dpo_contact: Mapped[str] = mapped_column(String(320), nullable=False, default="")
    is_self: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class Team(Versioned, Timestamped, Base):
    """A directorate, service or team. ``path`` ("/1/4/9/") makes "this team and every
    team below it" one indexed prefix match instead of a recursive walk."""

    __tablename__ = "teams"
    __table_args__ = (
        Index("ix_teams_path", "path"),
        Index("ix_teams_parent_id", "parent_id"),
        # Names are unique among the teams beside each other, ignoring case; the top
        # level counts as parent 0. The service checks first to say so kindly; this
        # index settles two changes that pass that check at the same moment.
        Index(
            "uq_teams_parent_name",
            text("coalesce(parent_id, 0)"),
            text("lower(name)"),
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    kind: Mapped[TeamKind] = mapped_column(enum_type(TeamKind, "team_kind"), nullable=False)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="RESTRICT"))
    path: Mapped[str] = mapped_column(String(400), nullable=False, default="/")

    parent: Mapped[Team | None] = relationship(remote_side=[id])


class TeamManager(Base):
    """A user who manages a team (and so every team below it)."""

    __tablename__ = "team_managers"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id"),
        Index("ix_team_managers_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


class Staff(Versioned, Timestamped, Base):
    """A member of staff from the HR system. Leavers stay on record with a leaving date."""

    __tablename__ = "staff"
    __table_args__ = (
        UniqueConstraint("staff_number"),
        UniqueConstraint("user_id"),
        Index("ix_staff_team_id_left_on", "team_id", "left_on"),
        # Lists of people by name (the access report) walk this index and stop at a page.
        Index("ix_staff_name_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_number: Mapped[str] = mapped_column(String(40), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    work_email: Mapped[str] = mapped_column(String(320), nullable=False, default="")
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="RESTRICT"), nullable=False
    )
    job_title: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    started_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    team: Mapped[Team] = relationship()


class PastPosting(Base):
    """Where a member of staff worked before a change of team or job title: from
    ``starts_on`` until the day before ``ends_on``.

    The current posting is the one on Staff. Figures for a past date read these rows,
    so a move does not rewrite last year's figures.
    """

    __tablename__ = "staff_past_postings"
    __table_args__ = (
        UniqueConstraint("staff_id", "ends_on"),
        Index("ix_staff_past_postings_ends_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="RESTRICT"), nullable=False
    )
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="RESTRICT"), nullable=False
    )
    job_title: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    starts_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)

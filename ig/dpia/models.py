"""DPIAs (UK GDPR Art. 35), their risks, and the agreements, activities and assets they cover."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ig.auth.models import User
from ig.db import Base, Timestamped, UTCDateTime, Versioned, enum_type
from ig.encrypted import EncryptedText
from ig.rowkeys import RowKeyed


class Status(enum.StrEnum):
    DRAFT = "draft"
    SCREENED = "screened"
    IN_ASSESSMENT = "in_assessment"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    SIGNED_OFF = "signed_off"


class IcoDecision(enum.StrEnum):
    """UK GDPR Art. 36: the prior-consultation decision for a high residual risk."""

    CONSULTED = "consulted"
    NOT_CONSULTED = "not_consulted"


def _detail(column: str, what: str, nullable: bool = True) -> Any:
    """Encrypted free text, loaded only when the record page reads it (lists never decrypt)."""
    return mapped_column(
        EncryptedText(column),
        nullable=nullable,
        comment=what,
        deferred=True,
        deferred_group="detail",
    )


dpia_sharing_agreements = Table(
    "dpia_sharing_agreements",
    Base.metadata,
    Column("dpia_id", ForeignKey("dpias.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "agreement_id", ForeignKey("sharing_agreements.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("linked_at", UTCDateTime(), nullable=False),
    Index("ix_dpia_sharing_agreements_agreement_id", "agreement_id"),
)


def _link_table(name: str, column: str, target: str) -> Table:
    """A DPIA's link to a record of another register, kept real by its foreign key."""
    return Table(
        name,
        Base.metadata,
        Column("dpia_id", ForeignKey("dpias.id", ondelete="CASCADE"), primary_key=True),
        Column(column, ForeignKey(target, ondelete="CASCADE"), primary_key=True),
        Column("linked_at", UTCDateTime(), nullable=False),
        Index(f"ix_{name}_{column}", column),
    )


# The processing activities (Art. 30 records) and information assets a DPIA assesses.
dpia_processing_activities = _link_table(
    "dpia_processing_activities", "activity_id", "processing_activities.id"
)
dpia_information_assets = _link_table(
    "dpia_information_assets", "asset_id", "information_assets.id"
)


class Dpia(RowKeyed, Versioned, Timestamped, Base):
    """One DPIA: the screening, the risks' assessment, the DPO's advice and the sign-off."""

    __tablename__ = "dpias"
    __table_args__ = (
        Index("ix_dpias_status", "status"),
        Index("ix_dpias_owner_user_id", "owner_user_id"),
        Index("ix_dpias_review_on", "review_on"),
        Index("ix_dpias_max_residual_score", "max_residual_score"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = _detail(
        "dpias.description", "the processing described: may name people and cases", False
    )
    owner_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[Status] = mapped_column(enum_type(Status, "dpia_status"), nullable=False)
    screening_criteria: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    is_dpia_required: Mapped[bool | None] = mapped_column(Boolean)
    screened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    policy_version: Mapped[str] = mapped_column(String(40), nullable=False, default="")
    # The highest residual likelihood x severity of its risks, kept by the service, so
    # the register filters on the residual risk in SQL.
    max_residual_score: Mapped[int | None] = mapped_column(Integer)
    dpo_advice: Mapped[str | None] = _detail("dpias.dpo_advice", "the DPO's advice")
    dpo_advice_on: Mapped[dt.date | None] = mapped_column(Date)
    is_dpo_advice_followed: Mapped[bool | None] = mapped_column(Boolean)
    dpo_not_followed_reason: Mapped[str | None] = _detail(
        "dpias.dpo_not_followed_reason", "why the DPO's advice was not followed"
    )
    ico_decision: Mapped[IcoDecision | None] = mapped_column(
        enum_type(IcoDecision, "dpia_ico_decision")
    )
    ico_consulted_on: Mapped[dt.date | None] = mapped_column(Date)
    ico_reference: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    ico_notes: Mapped[str | None] = _detail(
        "dpias.ico_notes", "the ICO's advice, or why the ICO was not consulted"
    )
    signed_off_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    signed_off_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    last_reviewed_on: Mapped[dt.date | None] = mapped_column(Date)

    owner: Mapped[User] = relationship(foreign_keys=[owner_user_id], lazy="joined")
    author: Mapped[User | None] = relationship(foreign_keys=[author_user_id], lazy="raise")
    signed_off_by: Mapped[User | None] = relationship(
        foreign_keys=[signed_off_by_user_id], lazy="raise"
    )
    risks: Mapped[list[DpiaRisk]] = relationship(
        back_populates="dpia", order_by="DpiaRisk.id", cascade="all, delete-orphan"
    )


class DpiaRisk(RowKeyed, Base):
    """A risk to people, scored before and after the measures taken against it."""

    __tablename__ = "dpia_risks"
    __table_args__ = (
        Index("ix_dpia_risks_dpia_id", "dpia_id"),
        CheckConstraint(
            "likelihood >= 1 AND severity >= 1 AND residual_likelihood >= 1 "
            "AND residual_severity >= 1",
            name="on_grid",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dpia_id: Mapped[int] = mapped_column(ForeignKey("dpias.id", ondelete="CASCADE"), nullable=False)
    description: Mapped[str] = mapped_column(
        EncryptedText("dpia_risks.description"), nullable=False, comment="the risk to people"
    )
    likelihood: Mapped[int] = mapped_column(Integer, nullable=False)
    severity: Mapped[int] = mapped_column(Integer, nullable=False)
    measures: Mapped[str] = mapped_column(
        EncryptedText("dpia_risks.measures"),
        nullable=False,
        default="",
        comment="the measures that reduce the risk",
    )
    residual_likelihood: Mapped[int] = mapped_column(Integer, nullable=False)
    residual_severity: Mapped[int] = mapped_column(Integer, nullable=False)

    dpia: Mapped[Dpia] = relationship(back_populates="risks")

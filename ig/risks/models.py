"""The IG risk register: each risk, its scored reviews, its actions and its links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ig.auth.models import User
from ig.db import Base, Timestamped, UTCDateTime, Versioned, enum_type
from ig.encrypted import EncryptedText
from ig.risks.rules import Status
from ig.rowkeys import RowKeyed

REFERENCE_PREFIX = "IGR-"


def _encrypted(column: str, what: str, nullable: bool = False) -> Any:
    """Free text that may name people or cases: encrypted in its row (design: encryption),
    loaded only by the record's page (lists never decrypt it)."""
    return mapped_column(
        EncryptedText(column),
        nullable=nullable,
        default=None if nullable else "",
        comment=what,
        deferred=True,
        deferred_group="detail",
    )


def _levels(prefix: str) -> tuple[CheckConstraint, ...]:
    """The database also keeps likelihood and impact on the 5 x 5 matrix."""
    return tuple(
        CheckConstraint(f"{prefix}{name} BETWEEN 1 AND 5", name=f"{prefix}{name}_on_matrix")
        for name in ("likelihood", "impact")
    )


class Risk(RowKeyed, Versioned, Timestamped, Base):
    """One information-governance risk, owned by a member of staff.

    ``likelihood``, ``impact``, ``score`` and ``review_on`` repeat the latest review's,
    kept by the service so that the register sorts and filters on them in SQL; the
    reviews are the history and the report reads scores as they stood on a date.
    """

    __tablename__ = "risks"
    __table_args__ = (
        UniqueConstraint("number"),
        Index("ix_risks_status_score", "status", "score"),
        Index("ix_risks_review_on", "review_on"),
        Index("ix_risks_owner_user_id", "owner_user_id"),
        *_levels(""),
        *_levels("target_"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    category: Mapped[str] = mapped_column(String(40), nullable=False)
    owner_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    cause: Mapped[str] = _encrypted("risks.cause", "what could bring the risk about")
    effect: Mapped[str] = _encrypted("risks.effect", "what would follow if it happened")
    controls: Mapped[str] = _encrypted("risks.controls", "the controls already in place")
    likelihood: Mapped[int] = mapped_column(Integer, nullable=False)
    impact: Mapped[int] = mapped_column(Integer, nullable=False)
    score: Mapped[int] = mapped_column(Integer, nullable=False)
    target_likelihood: Mapped[int] = mapped_column(Integer, nullable=False)
    target_impact: Mapped[int] = mapped_column(Integer, nullable=False)
    review_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[Status] = mapped_column(enum_type(Status, "risk_status"), nullable=False)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    closed_reason: Mapped[str | None] = _encrypted(
        "risks.closed_reason", "why the risk was closed", nullable=True
    )

    owner: Mapped[User] = relationship(foreign_keys=[owner_user_id], lazy="joined")
    reviews: Mapped[list[RiskReview]] = relationship(
        back_populates="risk",
        order_by="(RiskReview.reviewed_on.desc(), RiskReview.id.desc())",
        cascade="all, delete-orphan",
        lazy="raise",
    )
    actions: Mapped[list[RiskAction]] = relationship(
        order_by="(RiskAction.due_on, RiskAction.id)", cascade="all, delete-orphan", lazy="raise"
    )

    @property
    def reference(self) -> str:
        return f"{REFERENCE_PREFIX}{self.number:03d}"


class RiskReview(RowKeyed, Base):
    """A review of a risk: its score on ``reviewed_on``, why, who, and the next review."""

    __tablename__ = "risk_reviews"
    __table_args__ = (
        Index("ix_risk_reviews_risk_id_reviewed_on", "risk_id", "reviewed_on"),
        *_levels(""),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id", ondelete="CASCADE"), nullable=False)
    reviewed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    likelihood: Mapped[int] = mapped_column(Integer, nullable=False)
    impact: Mapped[int] = mapped_column(Integer, nullable=False)
    score: Mapped[int] = mapped_column(Integer, nullable=False)
    next_review_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    note: Mapped[str] = _encrypted("risk_reviews.note", "what the review found")
    reviewed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    policy_version: Mapped[str] = mapped_column(String(40), nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)

    risk: Mapped[Risk] = relationship(back_populates="reviews", lazy="raise")
    reviewed_by: Mapped[User | None] = relationship(lazy="joined")


class RiskAction(RowKeyed, Base):
    """Something to be done to bring the risk to its target, with its owner and dates."""

    __tablename__ = "risk_actions"
    __table_args__ = (Index("ix_risk_actions_risk_id", "risk_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id", ondelete="CASCADE"), nullable=False)
    description: Mapped[str] = _encrypted("risk_actions.description", "what is to be done")
    owner_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)

    owner: Mapped[User] = relationship(foreign_keys=[owner_user_id], lazy="joined")


# Links to the incidents, DPIAs and information assets that bear on a risk: by id (the
# database keeps them real) and by the reference people know them by.
LINK_TABLES = {
    "incident": ("risk_incidents", "incident_id", "incidents.id"),
    "dpia": ("risk_dpias", "dpia_id", "dpias.id"),
    "asset": ("risk_information_assets", "asset_id", "information_assets.id"),
}


def _link_table(name: str, column: str, target: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column("risk_id", ForeignKey("risks.id", ondelete="CASCADE"), primary_key=True),
        Column(column, ForeignKey(target, ondelete="CASCADE"), primary_key=True),
        Column("reference", String(40), nullable=False),
        Column("linked_at", UTCDateTime(), nullable=False),
        Index(f"ix_{name}_{column}", column),
    )


links = {kind: _link_table(*spec) for kind, spec in LINK_TABLES.items()}

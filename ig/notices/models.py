"""Privacy notices, every version of their text, and their reviews."""

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ig.auth.models import User
from ig.db import Base, Timestamped, Versioned, enum_type


class Audience(enum.StrEnum):
    PUBLIC = "public"
    STAFF = "staff"


class ReviewOutcome(enum.StrEnum):
    NO_CHANGE = "no_change"
    UPDATED = "updated"


class PrivacyNotice(Versioned, Timestamped, Base):
    """The notice for one service and audience (UK GDPR Arts. 13 and 14)."""

    __tablename__ = "privacy_notices"
    __table_args__ = (
        Index("ix_privacy_notices_service_key", "service_key"),
        Index("ix_privacy_notices_owner_user_id", "owner_user_id"),
        Index("ix_privacy_notices_next_review_on", "next_review_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    service_key: Mapped[str] = mapped_column(String(80), nullable=False)
    owner_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    published_url: Mapped[str] = mapped_column(String(500), nullable=False)
    audience: Mapped[Audience] = mapped_column(
        enum_type(Audience, "notice_audience"), nullable=False
    )
    processing: Mapped[str] = mapped_column(Text, nullable=False)
    current_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    effective_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    approved_by: Mapped[str] = mapped_column(String(200), nullable=False)
    review_interval_months: Mapped[int] = mapped_column(Integer, nullable=False)
    last_reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    next_review_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    review_flagged_at: Mapped[dt.datetime | None] = mapped_column()
    review_flag_reason: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    is_archived: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    owner: Mapped[User] = relationship(lazy="joined")
    versions: Mapped[list[NoticeVersion]] = relationship(
        back_populates="notice", order_by="NoticeVersion.number.desc()"
    )
    reviews: Mapped[list[NoticeReview]] = relationship(
        back_populates="notice", order_by="NoticeReview.id.desc()"
    )


class NoticeVersion(Base):
    """One published version of a notice's text, never changed once recorded."""

    __tablename__ = "privacy_notice_versions"
    __table_args__ = (UniqueConstraint("notice_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(
        ForeignKey("privacy_notices.id", ondelete="CASCADE"), nullable=False
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    effective_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    approved_by: Mapped[str] = mapped_column(String(200), nullable=False)
    change_summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recorded_at: Mapped[dt.datetime] = mapped_column(nullable=False)
    recorded_by: Mapped[str] = mapped_column(String(320), nullable=False)

    notice: Mapped[PrivacyNotice] = relationship(back_populates="versions")


class NoticeReview(Base):
    """A review of a notice: who, when, and whether the text had to change."""

    __tablename__ = "privacy_notice_reviews"
    __table_args__ = (Index("ix_privacy_notice_reviews_notice_id", "notice_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notice_id: Mapped[int] = mapped_column(
        ForeignKey("privacy_notices.id", ondelete="CASCADE"), nullable=False
    )
    reviewed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    reviewer_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    reviewer_label: Mapped[str] = mapped_column(String(320), nullable=False)
    outcome: Mapped[ReviewOutcome] = mapped_column(
        enum_type(ReviewOutcome, "notice_review_outcome"), nullable=False
    )
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    version_number: Mapped[int] = mapped_column(Integer, nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(nullable=False)

    notice: Mapped[PrivacyNotice] = relationship(back_populates="reviews")

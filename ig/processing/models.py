"""The record of processing activities: each activity, its controllers, categories and assets."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ig.auth.models import User
from ig.db import Base, Timestamped, Versioned, enum_type
from ig.encrypted import EncryptedText
from ig.people.models import Organisation
from ig.processing.rules import LawfulBasis, Role, Safeguard
from ig.rowkeys import RowKeyed

# The controllers of an activity: its joint controllers when the council is a controller,
# the controllers it processes for when it is a processor (Art. 30(2)(a)).
activity_controllers = Table(
    "processing_activity_controllers",
    Base.metadata,
    Column(
        "activity_id",
        ForeignKey("processing_activities.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "organisation_id",
        ForeignKey("organisations.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
)

# The information assets (ig.assets) the activity uses, by id: the database keeps the
# link real, and the asset's name is read through ig.assets.service.
activity_assets = Table(
    "processing_activity_assets",
    Base.metadata,
    Column(
        "activity_id",
        ForeignKey("processing_activities.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "asset_id",
        ForeignKey("information_assets.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
)


def _encrypted(column: str, what: str) -> Mapped[str]:
    """Free text that may name people: encrypted in its row, "" when nothing was said."""
    return mapped_column(
        EncryptedText(column),
        nullable=False,
        default="",
        comment=what,
        deferred=True,  # the register never decrypts it; the record and export do
        deferred_group="detail",
    )


class ProcessingActivity(RowKeyed, Versioned, Timestamped, Base):
    """One processing activity, as UK GDPR Art. 30(1) or 30(2) requires it recorded."""

    __tablename__ = "processing_activities"
    __table_args__ = (
        Index("ix_processing_activities_role_name", "role", "name"),
        Index("ix_processing_activities_lawful_basis", "lawful_basis"),
        Index("ix_processing_activities_owner_user_id", "owner_user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[Role] = mapped_column(enum_type(Role, "processing_role"), nullable=False)
    purpose: Mapped[str] = _encrypted("processing_activities.purpose", "why the data is processed")
    lawful_basis: Mapped[LawfulBasis] = mapped_column(
        enum_type(LawfulBasis, "processing_lawful_basis"), nullable=False
    )
    has_special_category: Mapped[bool] = mapped_column(Boolean, nullable=False)
    art9_condition: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    schedule_1_condition: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    has_policy_document: Mapped[bool] = mapped_column(Boolean, nullable=False)
    recipients: Mapped[str] = _encrypted(
        "processing_activities.recipients", "who the data is disclosed to"
    )
    safeguard: Mapped[Safeguard] = mapped_column(
        enum_type(Safeguard, "processing_safeguard"), nullable=False
    )
    transfer_detail: Mapped[str] = _encrypted(
        "processing_activities.transfer_detail", "the countries data goes to, and the safeguard"
    )
    retention: Mapped[str] = mapped_column(String(200), nullable=False)
    security_measures: Mapped[str] = _encrypted(
        "processing_activities.security_measures", "the technical and organisational measures"
    )
    relies_on_consent: Mapped[bool] = mapped_column(Boolean, nullable=False)
    is_automated: Mapped[bool] = mapped_column(Boolean, nullable=False)
    owner_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    policy_version: Mapped[str] = mapped_column(String(40), nullable=False)

    owner: Mapped[User] = relationship(lazy="joined")
    categories: Mapped[list[ActivityCategory]] = relationship(
        cascade="all, delete-orphan", order_by="(ActivityCategory.kind, ActivityCategory.key)"
    )
    controllers: Mapped[list[Organisation]] = relationship(
        secondary=activity_controllers, order_by=Organisation.name
    )


class ActivityCategory(Base):
    """A category of people ("people") or of personal data ("data") from the policy."""

    __tablename__ = "processing_activity_categories"

    activity_id: Mapped[int] = mapped_column(
        ForeignKey("processing_activities.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)

"""Information assets: each system or store, its owner, the data it holds, its suppliers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ig.assets.rules import AssetFormat, Criticality, Hosting
from ig.auth.models import User
from ig.db import Base, Timestamped, UTCDateTime, Versioned, enum_type
from ig.encrypted import EncryptedText
from ig.people.models import Organisation
from ig.rowkeys import RowKeyed

asset_suppliers = Table(
    "information_asset_suppliers",
    Base.metadata,
    Column(
        "asset_id",
        ForeignKey("information_assets.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "organisation_id",
        ForeignKey("organisations.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
)


# Links to other features' records, by id (the database keeps them real) and by the
# reference people know them by: the agreements that send data from the asset, the
# privacy notices that describe it and the incidents that involved it.
LINK_TABLES = {
    "agreement": ("information_asset_agreements", "agreement_id", "sharing_agreements.id"),
    "notice": ("information_asset_notices", "notice_id", "privacy_notices.id"),
    "incident": ("information_asset_incidents", "incident_id", "incidents.id"),
}


def _link_table(name: str, column: str, target: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column(
            "asset_id",
            ForeignKey("information_assets.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column(column, ForeignKey(target, ondelete="CASCADE"), primary_key=True, index=True),
        Column("reference", String(40), nullable=False),
        Column("linked_at", UTCDateTime(), nullable=False),
    )


links = {kind: _link_table(*spec) for kind, spec in LINK_TABLES.items()}


def _encrypted(column: str, what: str) -> Mapped[str]:
    """Free text that may name people: encrypted in its row, "" when nothing was said."""
    return mapped_column(
        EncryptedText(column),
        nullable=False,
        default="",
        comment=what,
        deferred=True,  # lists never decrypt it; the asset's page loads it
        deferred_group="detail",
    )


class InformationAsset(RowKeyed, Versioned, Timestamped, Base):
    """One system or store of information, with its Information Asset Owner (IAO)."""

    __tablename__ = "information_assets"
    __table_args__ = (
        Index("ix_information_assets_name", "name"),
        Index("ix_information_assets_owner_user_id", "owner_user_id"),
        Index("ix_information_assets_administrator_user_id", "administrator_user_id"),
        Index("ix_information_assets_criticality", "criticality"),
        Index("ix_information_assets_next_confirmation_on", "next_confirmation_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    system: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = _encrypted(
        "information_assets.description", "what the asset holds and what it is for"
    )
    owner_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    administrator_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    record_count: Mapped[int] = mapped_column(Integer, nullable=False)
    asset_format: Mapped[AssetFormat] = mapped_column(
        enum_type(AssetFormat, "asset_format"), nullable=False
    )
    hosting: Mapped[Hosting] = mapped_column(enum_type(Hosting, "asset_hosting"), nullable=False)
    location: Mapped[str] = _encrypted(
        "information_assets.location", "where the asset is kept: site, data centre, cabinet"
    )
    retention_period: Mapped[str] = mapped_column(String(200), nullable=False)
    retention_rule: Mapped[str] = mapped_column(String(200), nullable=False)
    security_controls: Mapped[str] = _encrypted(
        "information_assets.security_controls", "how the asset is protected"
    )
    criticality: Mapped[Criticality] = mapped_column(
        enum_type(Criticality, "asset_criticality"), nullable=False
    )
    last_confirmed_on: Mapped[dt.date | None] = mapped_column(Date)
    next_confirmation_on: Mapped[dt.date] = mapped_column(Date, nullable=False)

    owner: Mapped[User] = relationship(foreign_keys=[owner_user_id], lazy="joined")
    administrator: Mapped[User] = relationship(foreign_keys=[administrator_user_id], lazy="joined")
    categories: Mapped[list[AssetCategory]] = relationship(
        cascade="all, delete-orphan", order_by="AssetCategory.category"
    )
    suppliers: Mapped[list[Organisation]] = relationship(
        secondary=asset_suppliers, order_by=Organisation.name
    )


class AssetCategory(Base):
    """A category of personal data an asset holds, from policies/assets.toml."""

    __tablename__ = "information_asset_categories"

    asset_id: Mapped[int] = mapped_column(
        ForeignKey("information_assets.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(80), primary_key=True)
    is_special: Mapped[bool] = mapped_column(Boolean, nullable=False)

"""Processor contracts (UK GDPR Art. 28): the processor, its terms, assets and sub-processors."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ig.auth.models import User
from ig.db import Base, Timestamped, Versioned
from ig.encrypted import EncryptedText
from ig.people.models import Organisation
from ig.rowkeys import RowKeyed

contract_subprocessors = Table(
    "processor_contract_subprocessors",
    Base.metadata,
    Column(
        "contract_id",
        ForeignKey("processor_contracts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "organisation_id",
        ForeignKey("organisations.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
)

# The information assets (ig.assets) a contract serves, by id: the database keeps them real.
contract_assets = Table(
    "processor_contract_assets",
    Base.metadata,
    Column(
        "contract_id",
        ForeignKey("processor_contracts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "asset_id",
        ForeignKey("information_assets.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class ProcessorContract(RowKeyed, Versioned, Timestamped, Base):
    """A contract under which a processor handles personal data for the council."""

    __tablename__ = "processor_contracts"
    __table_args__ = (
        Index("ix_processor_contracts_processor_id", "processor_id"),
        Index("ix_processor_contracts_owner_user_id", "owner_user_id"),
        Index("ix_processor_contracts_end_on", "end_on"),
        Index("ix_processor_contracts_missing_terms", "missing_terms"),
        Index("ix_processor_contracts_title", "title"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    reference: Mapped[str] = mapped_column(String(40), nullable=False)
    processor_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=False
    )
    owner_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    start_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    end_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    value_band: Mapped[str] = mapped_column(String(40), nullable=False)
    # How many of the policy's Art. 28(3) terms the contract lacked when last saved: the
    # register filters and sorts on it in SQL; the page names them from ``terms``.
    missing_terms: Mapped[int] = mapped_column(Integer, nullable=False)
    notes: Mapped[str] = mapped_column(
        EncryptedText("processor_contracts.notes"),
        nullable=False,
        default="",
        comment="notes on the contract, which may name people",
        deferred=True,
        deferred_group="detail",
    )

    processor: Mapped[Organisation] = relationship(foreign_keys=[processor_id], lazy="joined")
    owner: Mapped[User] = relationship(foreign_keys=[owner_user_id], lazy="joined")
    terms: Mapped[list[ContractTerm]] = relationship(
        cascade="all, delete-orphan", order_by="ContractTerm.term"
    )
    subprocessors: Mapped[list[Organisation]] = relationship(
        secondary=contract_subprocessors, order_by=Organisation.name
    )


class ContractTerm(Base):
    """An Art. 28(3) term (its letter, from policies/contracts.toml) the contract contains."""

    __tablename__ = "processor_contract_terms"

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("processor_contracts.id", ondelete="CASCADE"), primary_key=True
    )
    term: Mapped[str] = mapped_column(String(40), primary_key=True)

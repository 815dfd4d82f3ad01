"""Refusals of information rights requests and their grounds, and the FOI/EIR
disclosure log (the tables of ig.rights.refusals and ig.rights.disclosures)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ig.db import Base, UTCDateTime, enum_type
from ig.rights.models import _secret
from ig.rowkeys import RowKeyed


class RefusalScope(enum.StrEnum):
    FULL = "full"  # the whole request refused, or all the information withheld
    PARTIAL = "partial"  # some information released, the rest withheld
    FEE = "fee"  # UK GDPR Art. 12(5)(a): a reasonable fee charged instead of refusing


class RightsRefusal(Base):
    """The decision to refuse a request, in whole or in part, or to charge a reasonable
    fee instead (UK GDPR Art. 12(5)(a)); its grounds, each with why it applies, are rows
    of RightsRefusalGround. One per request, recorded once."""

    __tablename__ = "rights_refusals"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("rights_requests.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[RefusalScope] = mapped_column(
        enum_type(RefusalScope, "rights_refusal_scope"), nullable=False
    )
    # FOIA s.1(1)(a) excluded: neither confirming nor denying the information is held.
    is_ncnd: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # UK GDPR Art. 12(5)(a): a reasonable fee charged instead of refusing, in pence.
    fee_pence: Mapped[int | None] = mapped_column(Integer)
    policy_version: Mapped[str] = mapped_column(String(40), nullable=False)
    recorded_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    recorded_by_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )

    grounds: Mapped[list[RightsRefusalGround]] = relationship(
        order_by="RightsRefusalGround.id", cascade="all, delete-orphan", lazy="selectin"
    )


class RightsRefusalGround(RowKeyed, Base):
    """One ground of a refusal (policies/rights.toml), why it applies and, for a qualified
    exemption or exception, the public interest reasoning."""

    __tablename__ = "rights_refusal_grounds"
    __table_args__ = (UniqueConstraint("request_id", "ground_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("rights_refusals.request_id", ondelete="CASCADE"), nullable=False
    )
    ground_key: Mapped[str] = mapped_column(String(40), nullable=False)
    reason: Mapped[str] = _secret(
        "rights_refusal_grounds.reason", "why the ground applies", deferred=False
    )
    public_interest: Mapped[str] = _secret(
        "rights_refusal_grounds.public_interest",
        "the public interest test: for and against disclosure, and the balance",
        deferred=False,
    )


class RightsDisclosure(Base):
    """An FOI or EIR response published to the public disclosure log: a summary of the
    request and of the response written for publication, with no requester's identity."""

    __tablename__ = "rights_disclosures"
    __table_args__ = (Index("ix_rights_disclosures_published_on", "published_on"),)

    request_id: Mapped[int] = mapped_column(
        ForeignKey("rights_requests.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    request_summary: Mapped[str] = mapped_column(Text, nullable=False)
    response_summary: Mapped[str] = mapped_column(Text, nullable=False)
    published_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    published_by_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )

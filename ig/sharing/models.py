"""Data-sharing agreements, their parties and signatures, documents and signatories."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ig.db import Base, Timestamped, UTCDateTime, Versioned, enum_type
from ig.encrypted import EncryptedBytes
from ig.people.models import Organisation
from ig.rowkeys import RowKeyed


class PartyRole(enum.StrEnum):
    CONTROLLER = "controller"
    JOINT_CONTROLLER = "joint_controller"
    PROCESSOR = "processor"
    RECIPIENT = "recipient"


class DpiaOutcome(enum.StrEnum):
    NOT_NEEDED = "not_needed"
    ACCEPTABLE = "acceptable"
    ACCEPTABLE_WITH_ACTIONS = "acceptable_with_actions"
    HIGH_RISK_ICO_CONSULTED = "high_risk_ico_consulted"


class Agreement(Versioned, Timestamped, Base):
    """One version of a data-sharing agreement. Its state is derived, never stored.

    ``content_digest`` is the SHA-256 of everything the parties sign; a party's
    signature counts only while its ``signed_digest`` equals it. ``party_count`` and
    ``signed_count`` are kept by the service so that the state is one SQL expression.
    """

    __tablename__ = "sharing_agreements"
    __table_args__ = (
        UniqueConstraint("reference", "revision"),
        UniqueConstraint("supersedes_id"),
        CheckConstraint("signed_count >= 0 AND signed_count <= party_count", name="signed_count"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
        Index("ix_sharing_agreements_review_on", "review_on"),
        Index("ix_sharing_agreements_ends_on", "ends_on"),
        Index("ix_sharing_agreements_owner_id", "owner_id"),
        Index("ix_sharing_agreements_lawful_basis", "lawful_basis"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    purpose: Mapped[str] = mapped_column(Text, nullable=False)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=False
    )
    lawful_basis: Mapped[str] = mapped_column(String(60), nullable=False)
    special_condition: Mapped[str | None] = mapped_column(String(60))
    statutory_gateway: Mapped[str | None] = mapped_column(String(60))
    data_items: Mapped[str] = mapped_column(Text, nullable=False, default="")
    is_special_category: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    data_subjects: Mapped[str] = mapped_column(Text, nullable=False, default="")
    frequency: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    transfer_method: Mapped[str] = mapped_column(Text, nullable=False, default="")
    transfer_security: Mapped[str] = mapped_column(Text, nullable=False, default="")
    retention: Mapped[str] = mapped_column(Text, nullable=False, default="")
    rights_requests: Mapped[str] = mapped_column(Text, nullable=False, default="")
    breach_procedure: Mapped[str] = mapped_column(Text, nullable=False, default="")
    conditions: Mapped[str] = mapped_column(Text, nullable=False, default="")
    dpia_reference: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    dpia_outcome: Mapped[DpiaOutcome | None] = mapped_column(enum_type(DpiaOutcome, "dpia_outcome"))
    dpia_on: Mapped[dt.date | None] = mapped_column(Date)
    starts_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    review_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    terminated_on: Mapped[dt.date | None] = mapped_column(Date)
    termination_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    content_digest: Mapped[str] = mapped_column(String(64), nullable=False)
    party_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    signed_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("sharing_agreements.id", ondelete="RESTRICT")
    )
    # Which of the council's services' data this agreement shares (a key of notices.toml
    # [services]), so that service's privacy notice can be flagged for review.
    service_key: Mapped[str | None] = mapped_column(String(40))

    owner: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)
    parties: Mapped[list[AgreementParty]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementParty.id"
    )
    category_rows: Mapped[list[AgreementCategory]] = relationship(
        cascade="all, delete-orphan", order_by="AgreementCategory.category"
    )
    purpose_rows: Mapped[list[AgreementPurpose]] = relationship(
        cascade="all, delete-orphan", order_by="AgreementPurpose.purpose"
    )
    documents: Mapped[list[AgreementDocument]] = relationship(
        back_populates="agreement", order_by="AgreementDocument.id"
    )

    @property
    def categories(self) -> list[str]:
        return [row.category for row in self.category_rows]

    @property
    def purposes(self) -> list[str]:
        return [row.purpose for row in self.purpose_rows]


class AgreementCategory(Base):
    """A kind of data the agreement covers (a key of sharing.toml [categories])."""

    __tablename__ = "sharing_agreement_categories"
    __table_args__ = (
        Index("ix_sharing_agreement_categories_category", "category", "agreement_id"),
    )

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_agreements.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(60), primary_key=True)


class AgreementPurpose(Base):
    """A purpose the agreement covers (a key of sharing.toml [purposes])."""

    __tablename__ = "sharing_agreement_purposes"
    __table_args__ = (Index("ix_sharing_agreement_purposes_purpose", "purpose", "agreement_id"),)

    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_agreements.id", ondelete="CASCADE"), primary_key=True
    )
    purpose: Mapped[str] = mapped_column(String(60), primary_key=True)


class AgreementParty(Base):
    """An organisation party to an agreement, its role, and its signature if it has signed."""

    __tablename__ = "sharing_agreement_parties"
    __table_args__ = (
        UniqueConstraint("agreement_id", "organisation_id"),
        Index("ix_sharing_agreement_parties_organisation_id", "organisation_id", "agreement_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_agreements.id", ondelete="CASCADE"), nullable=False
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), nullable=False
    )
    role: Mapped[PartyRole] = mapped_column(enum_type(PartyRole, "party_role"), nullable=False)
    signatory_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    signatory_title: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    signed_digest: Mapped[str | None] = mapped_column(String(64))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    evidence: Mapped[str] = mapped_column(Text, nullable=False, default="")

    agreement: Mapped[Agreement] = relationship(back_populates="parties")
    organisation: Mapped[Organisation] = relationship(lazy="joined", innerjoin=True)

    @property
    def has_signed(self) -> bool:
        """Whether this party's signature is for the agreement's current text."""
        return (
            self.signed_digest is not None and self.signed_digest == self.agreement.content_digest
        )


class AgreementDocument(Base):
    """An uploaded PDF: its name, size and digest. Its bytes are a DocumentContent, in
    the database, so that every app server can serve it."""

    __tablename__ = "sharing_agreement_documents"
    __table_args__ = (Index("ix_sharing_agreement_documents_agreement_id", "agreement_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_agreements.id", ondelete="RESTRICT"), nullable=False
    )
    original_name: Mapped[str] = mapped_column(String(255), nullable=False)
    size_bytes: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    agreement: Mapped[Agreement] = relationship(back_populates="documents")


class DocumentContent(RowKeyed, Base):
    """The bytes of an uploaded PDF, encrypted in their row like other case detail.

    A table of its own, so that listing an agreement's documents never reads them.
    """

    __tablename__ = "sharing_document_contents"
    __table_args__ = (UniqueConstraint("document_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_agreement_documents.id", ondelete="CASCADE"), nullable=False
    )
    data: Mapped[bytes] = mapped_column(
        EncryptedBytes("sharing_document_contents.data"),
        nullable=False,
        comment="an uploaded agreement PDF",
    )


class OrganisationSignatory(Base):
    """A user named as an organisation's signatory: they may sign for it in person."""

    __tablename__ = "sharing_signatories"
    __table_args__ = (
        UniqueConstraint("organisation_id", "user_id"),
        Index("ix_sharing_signatories_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


class GssRelease(Base):
    """A release of the ONS list of council codes, loaded with ``ig sharing load-gss``.

    Its codes replace, for each kind of council it holds (``prefixes``, like
    "E06 E07 E08 E09"), the list shipped in ig/sharing/reference/.
    """

    __tablename__ = "sharing_gss_releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(300), nullable=False)
    dated_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    prefixes: Mapped[str] = mapped_column(String(60), nullable=False)
    row_count: Mapped[int] = mapped_column(Integer, nullable=False)
    loaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)


class GssCode(Base):
    """A council's ONS GSS code and name, from the latest release loaded for its kind."""

    __tablename__ = "sharing_gss_codes"
    __table_args__ = (Index("ix_sharing_gss_codes_release_id", "release_id"),)

    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    release_id: Mapped[int] = mapped_column(
        ForeignKey("sharing_gss_releases.id", ondelete="RESTRICT"), nullable=False
    )

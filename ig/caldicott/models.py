"""Caldicott requests, the people they concern, each version of the decision, and links."""

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
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.orm.base import NO_VALUE

from ig.db import Base, Timestamped, UTCDateTime, Versioned, enum_type
from ig.encrypted import EncryptedText
from ig.errors import InvalidTransition
from ig.rowkeys import RowKeyed

SIGNED_IS_FINAL = (
    "A signed decision cannot be changed. Start an amendment: it becomes a new version, "
    "which needs its own sign-off"
)


class RequestStatus(enum.StrEnum):
    AWAITING_ASSESSMENT = "awaiting_assessment"
    AWAITING_DECISION = "awaiting_decision"
    DECIDED = "decided"


class Outcome(enum.StrEnum):
    APPROVED = "approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions"
    DECLINED = "declined"
    ADVICE_ONLY = "advice_only"


class Capacity(enum.StrEnum):
    """In which capacity a decision was signed: the Guardian, or a deputy acting for them."""

    GUARDIAN = "caldicott_guardian"
    DEPUTY = "deputy_caldicott_guardian"


class LinkKind(enum.StrEnum):
    INCIDENT = "incident"
    AGREEMENT = "agreement"


class CaldicottRequest(RowKeyed, Versioned, Timestamped, Base):
    """A request to use or disclose confidential information, and where its decision stands.

    The request's own details are fixed once raised: they are part of what each
    decision version signs. ``outcome``, ``decided_at`` and ``review_on`` copy the
    latest signed version so that the log filters and sorts in SQL.
    """

    __tablename__ = "caldicott_requests"
    __table_args__ = (
        UniqueConstraint("reference"),
        UniqueConstraint("year", "serial"),
        Index("ix_caldicott_requests_status_received_on", "status", "received_on"),
        Index("ix_caldicott_requests_received_on", "received_on"),
        Index("ix_caldicott_requests_request_type", "request_type"),
        Index("ix_caldicott_requests_outcome", "outcome"),
        Index("ix_caldicott_requests_organisation_id", "organisation_id"),
        # Reviews due and "due for review" counts: status and date in one index.
        Index("ix_caldicott_requests_status_review_on", "status", "review_on"),
        Index("ix_caldicott_requests_raised_by_id", "raised_by_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    serial: Mapped[int] = mapped_column(Integer, nullable=False)
    reference: Mapped[str] = mapped_column(String(20), nullable=False)
    received_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    raised_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    requester_name: Mapped[str] = mapped_column(
        EncryptedText("caldicott_requests.requester_name"),
        nullable=False,
        comment="name of the person making a Caldicott request",
    )
    requester_role: Mapped[str] = mapped_column(
        EncryptedText("caldicott_requests.requester_role"),
        nullable=False,
        comment="role of the person making a Caldicott request",
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT")
    )
    # The organisation's name when the request was made: the signed record must not
    # change when the register is edited later.
    organisation_name: Mapped[str] = mapped_column(String(200), nullable=False)
    channel: Mapped[str] = mapped_column(String(40), nullable=False)
    request_type: Mapped[str] = mapped_column(String(40), nullable=False)
    urgency: Mapped[str] = mapped_column(String(40), nullable=False)
    purpose: Mapped[str] = mapped_column(
        EncryptedText("caldicott_requests.purpose"),
        nullable=False,
        comment="purpose of a Caldicott request",
    )
    information: Mapped[str] = mapped_column(
        EncryptedText("caldicott_requests.information"),
        nullable=False,
        comment="the information a Caldicott request involves",
    )
    case_details: Mapped[str] = mapped_column(
        EncryptedText("caldicott_requests.case_details"),
        nullable=False,
        comment="details of the case behind a Caldicott request",
    )
    data_categories: Mapped[str] = mapped_column(String(400), nullable=False, default="")
    people_count: Mapped[int] = mapped_column(Integer, nullable=False)
    includes_deceased: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    needed_by: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[RequestStatus] = mapped_column(
        enum_type(RequestStatus, "caldicott_request_status"), nullable=False
    )
    outcome: Mapped[Outcome | None] = mapped_column(enum_type(Outcome, "caldicott_outcome"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    first_decided_on: Mapped[dt.date | None] = mapped_column(Date)
    days_to_decision: Mapped[int | None] = mapped_column(Integer)
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    signed_number: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    subjects: Mapped[list[CaldicottSubject]] = relationship(
        back_populates="request", order_by="CaldicottSubject.position"
    )
    versions: Mapped[list[CaldicottDecision]] = relationship(
        back_populates="request", order_by="CaldicottDecision.number"
    )
    links: Mapped[list[CaldicottLink]] = relationship(order_by="CaldicottLink.id")

    @property
    def category_keys(self) -> list[str]:
        return [key for key in self.data_categories.split(",") if key]


class CaldicottSubject(RowKeyed, Base):
    """An identifier of a person the request concerns, encrypted, with its blind index."""

    __tablename__ = "caldicott_subjects"
    __table_args__ = (
        Index("ix_caldicott_subjects_identifier_index", "identifier_index"),
        Index("ix_caldicott_subjects_request_id", "request_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("caldicott_requests.id", ondelete="CASCADE"), nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    identifier: Mapped[str] = mapped_column(
        EncryptedText("caldicott_subjects.identifier"),
        nullable=False,
        comment="identifier (case number, NHS number) of a person in a Caldicott request",
    )
    identifier_index: Mapped[str] = mapped_column(String(64), nullable=False)

    request: Mapped[CaldicottRequest] = relationship(back_populates="subjects")


class CaldicottDecision(RowKeyed, Versioned, Timestamped, Base):
    """One version of the assessment and decision on a request.

    A version is a draft until signed; once ``signed_at`` is set it is never changed
    (a listener refuses it), and a change is a new version that ``supersedes`` it.
    ``digest`` is the SHA-256 of the canonical JSON of what was signed and ``seal``
    its HMAC under the audit key, so that any later change is detectable.
    """

    __tablename__ = "caldicott_decisions"
    __table_args__ = (
        UniqueConstraint("request_id", "number"),
        Index("ix_caldicott_decisions_signed_at", "signed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("caldicott_requests.id", ondelete="RESTRICT"), nullable=False
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("caldicott_decisions.id", ondelete="RESTRICT")
    )
    amendment_reason: Mapped[str | None] = mapped_column(
        EncryptedText("caldicott_decisions.amendment_reason"),
        comment="why a Caldicott decision was amended",
    )
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    assessed_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    assessed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    article6: Mapped[str | None] = mapped_column(String(40))
    article9: Mapped[str | None] = mapped_column(String(40))
    article10: Mapped[str | None] = mapped_column(String(40))
    confidentiality_basis: Mapped[str | None] = mapped_column(String(40))
    legal_basis_note: Mapped[str | None] = mapped_column(
        EncryptedText("caldicott_decisions.legal_basis_note"),
        comment="notes on the legal basis of a Caldicott decision",
    )
    principle_notes: Mapped[str | None] = mapped_column(
        EncryptedText("caldicott_decisions.principle_notes"),
        comment="JSON: how each Caldicott principle is met",
    )
    consultations: Mapped[str | None] = mapped_column(
        EncryptedText("caldicott_decisions.consultations"),
        comment="JSON: people consulted on a Caldicott request and their advice",
    )
    recommended_outcome: Mapped[Outcome | None] = mapped_column(
        enum_type(Outcome, "caldicott_recommended_outcome")
    )
    recommendation: Mapped[str | None] = mapped_column(
        EncryptedText("caldicott_decisions.recommendation"),
        comment="the assessor's recommendation on a Caldicott request",
    )
    outcome: Mapped[Outcome | None] = mapped_column(
        enum_type(Outcome, "caldicott_decision_outcome")
    )
    conditions: Mapped[str | None] = mapped_column(
        EncryptedText("caldicott_decisions.conditions"),
        comment="JSON: conditions attached to a Caldicott approval",
    )
    reasons: Mapped[str | None] = mapped_column(
        EncryptedText("caldicott_decisions.reasons"),
        comment="the Guardian's reasons for a Caldicott decision",
    )
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    signed_by_name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    signed_capacity: Mapped[Capacity | None] = mapped_column(
        enum_type(Capacity, "caldicott_capacity")
    )
    signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    reauth_method: Mapped[str | None] = mapped_column(String(20))
    policy_version: Mapped[str | None] = mapped_column(String(40))
    digest: Mapped[str | None] = mapped_column(String(64))
    seal: Mapped[str | None] = mapped_column(String(64))

    request: Mapped[CaldicottRequest] = relationship(back_populates="versions")

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def is_assessed(self) -> bool:
        return self.assessed_at is not None


class CaldicottLink(Base):
    """A link from a request to an incident (breach advice) or a sharing agreement.

    Links are not part of the signed record: an approved flow can become an
    agreement long after the decision was signed.
    """

    __tablename__ = "caldicott_links"
    __table_args__ = (UniqueConstraint("request_id", "kind", "reference"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("caldicott_requests.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[LinkKind] = mapped_column(
        enum_type(LinkKind, "caldicott_link_kind"), nullable=False
    )
    reference: Mapped[str] = mapped_column(String(40), nullable=False)
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    linked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)


@event.listens_for(CaldicottDecision, "before_update")
def _refuse_change_to_signed(
    _mapper: object, _connection: object, target: CaldicottDecision
) -> None:
    """A signed version is final: whatever route tries to change it, the flush fails."""
    history = inspect(target).attrs.signed_at.history
    if any(value is not None for value in (*history.unchanged, *history.deleted)):
        raise InvalidTransition(SIGNED_IS_FINAL)


@event.listens_for(CaldicottDecision, "before_delete")
def _refuse_delete_of_signed(
    _mapper: object, _connection: object, target: CaldicottDecision
) -> None:
    if inspect(target).attrs.signed_at.loaded_value not in (None, NO_VALUE):
        raise InvalidTransition(SIGNED_IS_FINAL)

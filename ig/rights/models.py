"""Information rights requests: who asked, for what, when, and the clock's pauses.

The requester's identity and contact details, anyone acting for them and what they
asked are encrypted in the row; blind indexes of the identifier and contact details
find earlier requests from the same person without holding either in clear.
"""

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ig.auth.models import User
from ig.db import Base, Timestamped, UTCDateTime, Versioned, enum_type
from ig.encrypted import EncryptedText
from ig.rowkeys import RowKeyed


class RequestStatus(enum.StrEnum):
    OPEN = "open"
    PAUSED = "paused"  # UK GDPR Art. 12A: waiting for identity, clarification or a fee
    CLOSED = "closed"


class Outcome(enum.StrEnum):
    COMPLETE = "complete"
    PARTIAL = "partial"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class PauseReason(enum.StrEnum):
    """Art. 12A: what the controller is waiting for while the clock is stopped."""

    IDENTITY = "identity"
    CLARIFICATION = "clarification"
    FEE = "fee"


def _secret(column: str, what: str, *, deferred: bool = True) -> Mapped[str]:
    """Text naming or describing a person: encrypted in its row, "" when not given."""
    return mapped_column(
        EncryptedText(column),
        nullable=False,
        default="",
        comment=what,
        deferred=deferred,  # lists decrypt only the requester's name
        deferred_group="detail" if deferred else None,
    )


def _user(**kwargs: object) -> Mapped[int | None]:
    return mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), **kwargs)  # type: ignore[arg-type]


class RightsRequest(RowKeyed, Versioned, Timestamped, Base):
    """One request, complaint or FOI/EIR request, from receipt to the response sent."""

    __tablename__ = "rights_requests"
    __table_args__ = (
        Index("ix_rights_requests_status_due_on", "status", "due_on"),
        Index("ix_rights_requests_identifier_index", "identifier_index"),
        Index("ix_rights_requests_contact_index", "contact_index"),
        Index("ix_rights_requests_type_key", "type_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    type_key: Mapped[str] = mapped_column(String(40), nullable=False)
    status: Mapped[RequestStatus] = mapped_column(
        enum_type(RequestStatus, "rights_request_status"), nullable=False
    )
    received_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    channel: Mapped[str] = mapped_column(String(20), nullable=False)
    # The deadline as last computed, for sorting the register in SQL; while the clock
    # is paused, as if it restarted the day it stopped (pages show the live deadline).
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    policy_version: Mapped[str] = mapped_column(String(40), nullable=False)
    logged_by_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    logged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)

    requester_name: Mapped[str] = _secret(
        "rights_requests.requester_name", "name of the person the request is about", deferred=False
    )
    requester_identifier: Mapped[str] = _secret(
        "rights_requests.requester_identifier", "their case number or other identifier"
    )
    identifier_index: Mapped[str | None] = mapped_column(String(64))
    requester_contact: Mapped[str] = _secret(
        "rights_requests.requester_contact", "how to reach them: e-mail or postal address"
    )
    contact_index: Mapped[str | None] = mapped_column(String(64))
    representative_name: Mapped[str] = _secret(
        "rights_requests.representative_name", "who made the request on their behalf"
    )
    authority: Mapped[str] = _secret(
        "rights_requests.authority", "the authority to act for them (consent, attorney...)"
    )
    summary: Mapped[str] = _secret("rights_requests.summary", "what was asked for")

    extension_told_on: Mapped[dt.date | None] = mapped_column(Date)
    extension_months: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    extension_days: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    extension_reason: Mapped[str] = _secret(
        "rights_requests.extension_reason", "why the deadline was extended"
    )

    outcome: Mapped[Outcome | None] = mapped_column(enum_type(Outcome, "rights_outcome"))
    response_sent_on: Mapped[dt.date | None] = mapped_column(Date)
    outcome_note: Mapped[str] = _secret(
        "rights_requests.outcome_note", "what was sent, or why refused or withdrawn"
    )
    closed_by_user_id: Mapped[int | None] = _user()
    # Who in the information rights team answers it: a user with rights.manage.
    handler_user_id: Mapped[int | None] = _user(index=True)

    handler: Mapped[User | None] = relationship(foreign_keys=[handler_user_id], lazy="joined")
    pauses: Mapped[list[RightsPause]] = relationship(
        back_populates="request",
        order_by="RightsPause.started_on",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def reference(self) -> str:
        return f"IR-{self.id:05d}"


class RightsPause(Base):
    """A time the clock stood still (Art. 12A), from the day it stopped to the day it
    restarted; ``ended_on`` is None while it is still stopped."""

    __tablename__ = "rights_pauses"
    __table_args__ = (Index("ix_rights_pauses_request_id", "request_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("rights_requests.id", ondelete="CASCADE"), nullable=False
    )
    reason: Mapped[PauseReason] = mapped_column(
        enum_type(PauseReason, "rights_pause_reason"), nullable=False
    )
    started_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )

    request: Mapped[RightsRequest] = relationship(back_populates="pauses")


class RightsSearch(RowKeyed, Base):
    """The search for the person's data: which information assets, and why that search is
    reasonable and proportionate (as the ICO expects); one per request, kept up to date as
    assets are added."""

    __tablename__ = "rights_searches"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("rights_requests.id", ondelete="CASCADE"), primary_key=True
    )
    note: Mapped[str] = _secret(
        "rights_searches.note",
        "the search: which systems, why, and why proportionate",
        deferred=False,
    )
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    recorded_by_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


class Removal(enum.StrEnum):
    """What an asset's owner did with the person's data, for erasure or consent withdrawal."""

    DELETED = "deleted"
    RESTRICTED = "restricted"
    KEPT = "kept"  # with an exemption from policies/rights.toml


class RightsTask(RowKeyed, Versioned, Base):
    """A search of one information asset, asked of its Information Asset Owner: what was
    found and, for erasure or consent withdrawal, what was done with it."""

    __tablename__ = "rights_tasks"
    __table_args__ = (
        UniqueConstraint("request_id", "asset_id"),
        Index("ix_rights_tasks_owner_user_id_status", "owner_user_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("rights_requests.id", ondelete="CASCADE"), nullable=False
    )
    # ig.assets' table, linked by id only: names are read through ig.assets.lookup.
    asset_id: Mapped[int] = mapped_column(
        ForeignKey("information_assets.id", ondelete="RESTRICT"), nullable=False
    )
    owner_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    status: Mapped[TaskStatus] = mapped_column(
        enum_type(TaskStatus, "rights_task_status"), nullable=False
    )
    asked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    asked_by_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    is_found: Mapped[bool | None] = mapped_column(Boolean)
    findings: Mapped[str] = _secret(
        "rights_tasks.findings", "what the search found", deferred=False
    )
    removal: Mapped[Removal | None] = mapped_column(enum_type(Removal, "rights_task_removal"))
    removed_on: Mapped[dt.date | None] = mapped_column(Date)
    exemption_key: Mapped[str | None] = mapped_column(String(40))
    kept_reason: Mapped[str] = _secret(
        "rights_tasks.kept_reason", "why the data must be kept", deferred=False
    )
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    done_by_user_id: Mapped[int | None] = _user()

    request: Mapped[RightsRequest] = relationship(lazy="joined", innerjoin=True)
    owner: Mapped[User] = relationship(foreign_keys=[owner_user_id], lazy="joined", innerjoin=True)


class ConsentWithdrawal(Base):
    """A processing activity relying on consent (ig.processing, by id) that the person
    withdrew their consent from (UK GDPR Art. 7(3)), as recorded on the request."""

    __tablename__ = "rights_consent_withdrawals"

    request_id: Mapped[int] = mapped_column(
        ForeignKey("rights_requests.id", ondelete="CASCADE"), primary_key=True
    )
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("processing_activities.id", ondelete="RESTRICT"), primary_key=True
    )
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    recorded_by_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )

"""Notifications of an incident to a regulator, initial and follow-up (UK GDPR Art. 33)."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from ig.db import Base, UTCDateTime, enum_type
from ig.encrypted import EncryptedText
from ig.incidents.columns import secret
from ig.rowkeys import RowKeyed


class Regulator(enum.StrEnum):
    ICO = "ico"
    DHSC = "dhsc"


class Phase(enum.StrEnum):
    INITIAL = "initial"
    FOLLOW_UP = "follow_up"


class Notification(RowKeyed, Base):
    """One notification to a regulator; initial and follow-up phases (Art. 33(4))."""

    __tablename__ = "incident_notifications"
    __table_args__ = (Index("ix_incident_notifications_incident_id", "incident_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False
    )
    regulator: Mapped[Regulator] = mapped_column(enum_type(Regulator, "regulator"), nullable=False)
    phase: Mapped[Phase] = mapped_column(enum_type(Phase, "notification_phase"), nullable=False)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    external_reference: Mapped[str] = mapped_column(
        EncryptedText("incident_notifications.external_reference"),
        nullable=False,
        default="",
        comment="the regulator's case reference",
    )
    content: Mapped[str] = secret("incident_notifications.content", "what was sent")
    late_reason: Mapped[str] = mapped_column(
        EncryptedText("incident_notifications.late_reason"),
        nullable=False,
        default="",
        comment="reasons for notifying after the deadline",
    )
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

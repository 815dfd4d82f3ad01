"""The incident timeline: one append-only entry for each event in an incident's history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from ig.db import Base, UTCDateTime, utcnow
from ig.encrypted import EncryptedText
from ig.rowkeys import RowKeyed


class TimelineEntry(RowKeyed, Base):
    """One event in an incident's history; rows are only ever added."""

    __tablename__ = "incident_timeline"
    __table_args__ = (Index("ix_incident_timeline_incident_id", "incident_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False
    )
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    actor_label: Mapped[str] = mapped_column(String(320), nullable=False)
    event: Mapped[str] = mapped_column(String(60), nullable=False)
    summary: Mapped[str] = mapped_column(
        EncryptedText("incident_timeline.summary"),
        nullable=False,
        default="",
        comment="what happened, which may repeat a reference or reason recorded",
    )


@event.listens_for(TimelineEntry, "before_update")
@event.listens_for(TimelineEntry, "before_delete")
def _append_only(*_args: Any) -> None:
    raise ValueError("the incident timeline is append-only: entries are never changed")

"""The actions taken after an incident, each with an owner, a due date and a status."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ig.db import Base, Versioned, enum_type
from ig.incidents.columns import free_text
from ig.rowkeys import RowKeyed


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    ACCEPTED = "accepted"


class IncidentAction(RowKeyed, Versioned, Base):
    """An action with an owner and a due date; may assign a training course."""

    __tablename__ = "incident_actions"
    __table_args__ = (
        Index("ix_incident_actions_incident_id", "incident_id"),
        Index("ix_incident_actions_owner_id_status", "owner_id", "status"),
        # The IG report's actions overdue at a past date, answered from the index alone.
        Index("ix_incident_actions_completed_on_due_on", "completed_on", "due_on", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False
    )
    description: Mapped[str] = free_text("incident_actions.description", "what an action is to do")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[ActionStatus] = mapped_column(
        enum_type(ActionStatus, "incident_action_status"), nullable=False
    )
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    acceptance_reason: Mapped[str] = free_text(
        "incident_actions.acceptance_reason", "why an action's risk was accepted"
    )
    course_code: Mapped[str | None] = mapped_column(String(60))
    assignment_ids: Mapped[list[int]] = mapped_column(JSON, nullable=False, default=list)

"""The people in an incident: the members of staff involved and the people affected."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ig.db import Base
from ig.incidents.columns import secret
from ig.rowkeys import RowKeyed


class IncidentStaff(Base):
    """A member of staff involved in an incident."""

    __tablename__ = "incident_staff"
    __table_args__ = (
        UniqueConstraint("incident_id", "staff_id"),
        Index("ix_incident_staff_staff_id", "staff_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False
    )
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="RESTRICT"), nullable=False
    )


class AffectedPerson(RowKeyed, Base):
    """Someone whose data was involved; found again by the blind index of their identifier."""

    __tablename__ = "incident_affected_people"
    __table_args__ = (
        Index("ix_incident_affected_people_identifier_index", "identifier_index"),
        Index("ix_incident_affected_people_incident_id", "incident_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(
        ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False
    )
    identifier: Mapped[str] = secret(
        "incident_affected_people.identifier", "case number or other identifier of a person"
    )
    identifier_index: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str | None] = secret("incident_affected_people.name", "name of a person")
    note: Mapped[str | None] = secret(
        "incident_affected_people.note", "how this person was affected"
    )

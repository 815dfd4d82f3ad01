"""Access requests: who asked for which level of access to which asset's system, who
approved it, and when the asset's owner or administrator granted and removed it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ig.access.rules import AccessStatus
from ig.db import Base, Timestamped, UTCDateTime, Versioned, enum_type
from ig.encrypted import EncryptedText
from ig.people.models import Staff
from ig.rowkeys import RowKeyed


def _encrypted(column: str, what: str) -> Mapped[str]:
    """Free text that may name people served: encrypted in its row, "" when not given."""
    return mapped_column(
        EncryptedText(column),
        nullable=False,
        default="",
        comment=what,
        deferred=True,  # lists never decrypt it
        deferred_group="detail",
    )


def _user(**kwargs: object) -> Mapped[int | None]:
    return mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), **kwargs)  # type: ignore[arg-type]


class AccessRequest(RowKeyed, Versioned, Timestamped, Base):
    """One member of staff's access to one asset's system, from request to removal."""

    __tablename__ = "access_requests"
    __table_args__ = (
        Index("ix_access_requests_asset_id_status", "asset_id", "status"),
        Index("ix_access_requests_staff_id_status", "staff_id", "status"),
        Index("ix_access_requests_status", "status"),
        Index("ix_access_requests_recertify_by", "recertify_by"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    asset_id: Mapped[int] = mapped_column(
        ForeignKey("information_assets.id", ondelete="RESTRICT"), nullable=False
    )
    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="RESTRICT"), nullable=False
    )
    level: Mapped[str] = mapped_column(String(40), nullable=False)
    status: Mapped[AccessStatus] = mapped_column(
        enum_type(AccessStatus, "access_status"), nullable=False
    )
    reason: Mapped[str] = _encrypted("access_requests.reason", "why the access is needed")
    requested_by_user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    decided_by_user_id: Mapped[int | None] = _user()
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str] = _encrypted(
        "access_requests.decision_reason", "why the line manager approved or declined"
    )
    granted_by_user_id: Mapped[int | None] = _user()
    granted_on: Mapped[dt.date | None] = mapped_column(Date)
    removed_by_user_id: Mapped[int | None] = _user()
    removed_on: Mapped[dt.date | None] = mapped_column(Date)
    removal_reason: Mapped[str] = _encrypted(
        "access_requests.removal_reason", "why the access was removed"
    )

    # Recertification: the line manager confirms, each cycle, that the access is still
    # needed; asking for its removal gives the asset's keeper a task to remove it.
    recertify_by: Mapped[dt.date | None] = mapped_column(Date)
    recertified_on: Mapped[dt.date | None] = mapped_column(Date)
    recertified_by_user_id: Mapped[int | None] = _user()
    removal_asked_on: Mapped[dt.date | None] = mapped_column(Date)

    staff: Mapped[Staff] = relationship(lazy="joined")

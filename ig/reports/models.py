"""A generated IG report, stored as it was issued so that it can be reissued unchanged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ig.db import Base, UTCDateTime


class StoredReport(Base):
    """One generated report: its period, who generated it and when, every figure "as
    recorded then" and "as now known", the trends, and the policies it was computed under.

    Never changed once written: a report for the same period generated again is a new row.
    """

    __tablename__ = "ig_reports"
    __table_args__ = (Index("ix_ig_reports_generated_at", "generated_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(120), nullable=False)
    period_start: Mapped[dt.date] = mapped_column(Date, nullable=False)
    period_end: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # "As recorded then" counts only what ig held at this instant (the end of the period).
    recorded_by: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    generated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    generated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    generated_by_label: Mapped[str] = mapped_column(String(320), nullable=False)
    # {"then": [section, ...], "now": [section, ...], "trend": {...}}: see service.py.
    content: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    # {"reports": version, "files": {"incidents.toml": sha256, ...}}
    policy_versions: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)

"""A generated IG report, stored as it was issued so that it can be reissued unchanged."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String
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


class ReportFigure(Base):
    """One figure of a stored report, flat, for the report figures feed (Power BI).

    Written with the report and never changed: the report's ``content`` stays the record
    it is reissued from; these rows say the same figures in columns a feed can page.
    ``basis`` is "then" (as recorded then) or "now" (as now known when generated).
    """

    __tablename__ = "ig_report_figures"
    __table_args__ = (Index("ix_ig_report_figures_report_id", "report_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("ig_reports.id", ondelete="CASCADE"), nullable=False
    )
    basis: Mapped[str] = mapped_column(String(10), nullable=False)
    section: Mapped[str] = mapped_column(String(40), nullable=False)
    key: Mapped[str] = mapped_column(String(120), nullable=False)
    label: Mapped[str] = mapped_column(String(300), nullable=False)
    group: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20), nullable=False)
    target: Mapped[float | None] = mapped_column(Float)

"""The stored IG reports' figures as a read-only feed: one row a figure of a report, as
recorded then or as now known when it was generated, for Power BI's trend pages."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ig.feature import Feed, FeedChanges, FeedColumn
from ig.policies import Policies
from ig.reports.models import ReportFigure, StoredReport

C = FeedColumn


def _figures(_session: Session, _policies: Policies, _now: dt.datetime) -> Select:
    f, r = ReportFigure, StoredReport
    return select(
        f.id,
        f.report_id,
        r.period_start,
        r.period_end,
        r.generated_at,
        f.basis,
        f.section,
        f.key,
        f.label,
        f.group,
        f.value,
        f.unit,
        f.target,
    ).join(r, r.id == f.report_id)


FIGURES = Feed(
    "report_figures",
    "IG report figures",
    "reports.read",
    (
        C("id", "integer", "the row's number"),
        C("report_id", "integer", "the stored report the figure belongs to"),
        C("period_start", "date", "the first day of the report's period"),
        C("period_end", "date", "the last day of the report's period"),
        C("generated_at", "datetime", "when the report was generated"),
        C("basis", "string", "then: as recorded at the period's end; now: as known when generated"),
        C("section", "string", "the register the figure is about (incidents, training...)"),
        C("key", "string", "the figure's stable key, as the report's glossary defines it"),
        C("label", "string", "the figure's name in the report"),
        C("group", "string", "the breakdown it belongs to (By type...), or empty"),
        C("value", "number", "the figure; empty where there was nothing to count"),
        C("unit", "string", "count, percent, hours or days"),
        C("target", "number", "the target, where one exists"),
    ),
    _figures,
    FeedChanges(column="generated_at"),
)

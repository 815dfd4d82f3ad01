"""Generating, storing and reading IG reports.

A stored report's ``content`` is plain JSON, so it reissues exactly as generated whatever
changes in the registers or the code since::

    {"then": [section, ...],      # every section "as recorded then"
     "now": [section, ...],       # the same "as now known"
     "trend": {"quarters": [{"key", "label", "start", "end"}, ...],
               "series": {figure key: [value per quarter, ...]}}}

where a section is ``{"key", "title", "headline", "figures": [figure, ...]}`` and a
figure holds every field of ``ig.feature.Figure``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.audit.service import Page, paginate, record
from ig.auth.rules import Actor
from ig.db import london_today
from ig.errors import NotFound, PermissionDenied
from ig.feature import ReportPeriod, ReportSection, Section
from ig.policies import Policies
from ig.reports.models import ReportFigure, StoredReport
from ig.reports.policy import ReportsPolicy
from ig.reports.rules import check_period, quarter_containing
from ig.reports.trend import as_recorded, compute_sections, trend

GENERATE = "reports.generate"

log = logging.getLogger(__name__)


def _section_json(section: Section) -> dict[str, Any]:
    return {
        "key": section.key,
        "title": section.title,
        "headline": list(section.headline),
        "figures": [
            {**dataclasses.asdict(figure), "args": dict(figure.args)} for figure in section.figures
        ],
    }


def _figure_rows(report_id: int, basis: str, sections: Sequence[Section]) -> list[ReportFigure]:
    """The report's figures in columns, for the report figures feed."""
    return [
        ReportFigure(
            report_id=report_id,
            basis=basis,
            section=section.key,
            key=figure.key,
            label=figure.label,
            group=figure.group,
            value=figure.value,
            unit=figure.unit,
            target=figure.target,
        )
        for section in sections
        for figure in section.figures
    ]


def title_for(start: dt.date, end: dt.date, starts_month: int) -> str:
    """ "IG report, Q1 2026-27" for a whole quarter, else the dates."""
    q = quarter_containing(start, starts_month)
    if (q.start, q.end) == (start, end):
        return f"IG report, {q.label}"
    return f"IG report, {start:%-d %B %Y} to {end:%-d %B %Y}"


def generate_report(
    session: Session,
    actor: Actor,
    policies: Policies,
    sections: Sequence[ReportSection],
    start: dt.date | None,
    end: dt.date | None,
    now: dt.datetime,
) -> StoredReport:
    """Compute every section for the period "as recorded then" (by the end of its last
    day) and "as now known", with the headline figures' trends; store and audit it.

    Raises PermissionDenied unless the actor may generate reports, and ValidationFailed
    for a missing, reversed, out-of-range or future date.
    """
    if not actor.can(GENERATE):
        raise PermissionDenied("Only the SIRO and the IG team can generate the IG report")
    check_period(start, end, london_today(now))
    assert start is not None
    assert end is not None
    began = time.perf_counter()
    policy: ReportsPolicy = policies.reports
    then = as_recorded(start, end)
    recorded = compute_sections(session, policies, sections, then)
    as_known = compute_sections(session, policies, sections, ReportPeriod(start, end, None))
    report = StoredReport(
        title=title_for(start, end, policy.year_starts_month),
        period_start=start,
        period_end=end,
        recorded_by=then.end_at,
        generated_at=now,
        generated_by_id=actor.user_id,
        generated_by_label=actor.label,
        content={
            "then": [_section_json(s) for s in recorded],
            "now": [_section_json(s) for s in as_known],
            "trend": trend(session, policies, sections, then, recorded, now),
        },
        policy_versions={"reports": policy.version, "files": dict(policy.policy_files)},
    )
    _store(session, actor, report, recorded, as_known, now)
    log.info("IG report %s generated in %.2f s", report.id, time.perf_counter() - began)
    return report


def _store(
    session: Session,
    actor: Actor,
    report: StoredReport,
    recorded: Sequence[Section],
    as_known: Sequence[Section],
    now: dt.datetime,
) -> None:
    """Keep the report, its figures in columns for the feed, and the audit entry."""
    session.add(report)
    session.flush()
    session.add_all(_figure_rows(report.id, "then", recorded))
    session.add_all(_figure_rows(report.id, "now", as_known))
    period = {"start": report.period_start.isoformat(), "end": report.period_end.isoformat()}
    record(session, actor, "report.generated", "report", report.id, period, at=now)


def get_report(session: Session, report_id: int) -> StoredReport:
    """The stored report; NotFound if there is none."""
    report = session.get(StoredReport, report_id)
    if report is None:
        raise NotFound("There is no such report")
    return report


def list_reports(session: Session, page: int = 1, per_page: int = 20) -> Page:
    """The stored reports, newest first, one page of them."""
    query = select(StoredReport).order_by(StoredReport.generated_at.desc(), StoredReport.id.desc())
    return paginate(session, query, page, per_page)

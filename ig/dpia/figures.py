"""The DPIA section of the IG report: DPIAs open and reviews overdue at the period's end,
those signed off with a high residual risk, and the ICO's prior consultations.

Each fact counts from when the audit trail recorded it: creation, sign-off, a review
(with the next review it set) and the ICO decision. A review or consultation recorded
after the report's ``recorded_by``, even one dated back into the period, changes the
figures as now known but not as recorded then.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, or_, select, true
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.audit.recorded import (
    count_entries,
    day_end,
    day_start,
    detail_date_between,
    earliest,
    entry_at_between,
    latest_detail,
    was_recorded,
)
from ig.dpia.models import Dpia, IcoDecision
from ig.dpia.policy import DpiaPolicy
from ig.dpia.rules import add_months
from ig.feature import Figure, ReportPeriod, Section
from ig.policies import Policies

RECORD = "dpia"
READ = "dpia.read"


def first_review_still_ahead(end: dt.date, months: int) -> dt.date:
    """The earliest sign-off date whose first review (``months`` later) is not before
    ``end``: a DPIA signed off before it, and never reviewed, is overdue on ``end``."""
    day = add_months(end, -months) - dt.timedelta(days=4)
    while add_months(day, months) < end:
        day += dt.timedelta(days=1)
    return day


def _at_end(session: Session, policy: DpiaPolicy, period: ReportPeriod) -> tuple[int, int]:
    """(DPIAs open, signed-off DPIAs whose review was overdue) on the period's last day."""
    cutoff = earliest(period.recorded_by, day_end(period.end))
    created = was_recorded(RECORD, Dpia.id, ["dpia.created"], cutoff)
    signed = was_recorded(RECORD, Dpia.id, ["dpia.signed_off"], cutoff)
    # Reviews dated by the period's end are those setting a next review no later than
    # one interval after it; recorded by the cut-off (any time, as now known).
    horizon = add_months(period.end, policy.review_interval_months)
    next_review = latest_detail(
        RECORD,
        Dpia.id,
        ["dpia.reviewed"],
        "next_review",
        period.recorded_by,
        detail_date_between("next_review", None, horizon),
    )
    # Sign-off dates are UTC dates (sign_off_dpia takes now.date()).
    ahead = first_review_still_ahead(period.end, policy.review_interval_months)
    signed_long_ago = was_recorded(
        RECORD,
        Dpia.id,
        ["dpia.signed_off"],
        dt.datetime.combine(ahead, dt.time(), dt.UTC) - dt.timedelta(microseconds=1),
    )
    overdue = signed & case(
        (next_review.is_not(None), next_review < period.end.isoformat()), else_=signed_long_ago
    )
    # A screening that found no DPIA needed leaves the record screened, not open work.
    required = latest_detail(
        RECORD, Dpia.id, ["dpia.screened"], "required", cutoff, as_type="boolean"
    )
    is_open = ~signed & or_(required.is_(None), required == true())
    query = (
        select(func.count().filter(is_open), func.count().filter(overdue))
        .select_from(Dpia)
        .where(created)
    )
    still_open, late = session.execute(query).one()
    return still_open, late


def _high_signed_off(session: Session, policy: DpiaPolicy, period: ReportPeriod) -> int:
    during = entry_at_between(day_start(period.start), day_end(period.end))
    high = AuditEntry.detail["residual"].as_integer() >= policy.high_from
    query = count_entries("dpia.signed_off", period.recorded_by, during, high)
    return session.scalar(query.where(AuditEntry.record_type == RECORD)) or 0


def _consulted(session: Session, period: ReportPeriod) -> int:
    recorded = was_recorded(RECORD, Dpia.id, ["dpia.ico_consultation"], period.recorded_by)
    query = select(func.count(Dpia.id)).where(
        Dpia.ico_decision == IcoDecision.CONSULTED,
        Dpia.ico_consulted_on.between(period.start, period.end),
        recorded,
    )
    return session.scalar(query) or 0


def _figures(still_open: int, overdue: int, high: int, consulted: int) -> tuple[Figure, ...]:
    return (
        Figure(
            "dpia.open",
            "DPIAs open",
            still_open,
            "DPIAs started and not yet signed off on the last day of the period, leaving "
            "out those whose screening found no DPIA was needed.",
            counts_people=False,
            endpoint="dpia.index",
            permission=READ,
        ),
        Figure(
            "dpia.review_overdue",
            "DPIA reviews overdue",
            overdue,
            "Signed-off DPIAs whose periodic review was overdue on the last day of the period.",
            counts_people=False,
            target=0,
            endpoint="dpia.index",
            args={"overdue": "yes"},
            permission=READ,
        ),
        Figure(
            "dpia.high_residual_signed_off",
            "Signed off with a high residual risk",
            high,
            "DPIAs signed off in the period whose highest risk to people, after the "
            "measures taken, was high on the policy's grid.",
            counts_people=False,
            endpoint="dpia.index",
            args={"residual": "high"},
            permission=READ,
        ),
        Figure(
            "dpia.ico_consulted",
            "ICO prior consultations",
            consulted,
            "DPIAs on which the ICO was consulted before the processing began (UK GDPR "
            "Art. 36), the consultation dated in the period.",
            counts_people=False,
        ),
    )


def dpia_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The DPIA section for ``period`` (three queries)."""
    policy: DpiaPolicy = policies.dpia
    still_open, overdue = _at_end(session, policy, period)
    high = _high_signed_off(session, policy, period)
    figures = _figures(still_open, overdue, high, _consulted(session, period))
    return Section(
        "dpia",
        "Data protection impact assessments",
        figures,
        headline=("dpia.open", "dpia.review_overdue"),
    )

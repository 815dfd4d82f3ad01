"""The DPIA section of the IG report: DPIAs open and reviews overdue at the period's end,
those signed off with a high residual risk, and the ICO's prior consultations.

Each fact counts from when the audit trail recorded it: creation, sign-off, a review
(with the next review it set) and the ICO decision. A review or consultation recorded
after the report's ``recorded_by``, even one dated back into the period, changes the
figures as now known but not as recorded then. Each figure's condition is the register's
own filter (ig.dpia.register), so each links to exactly its DPIAs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.dpia.models import Dpia
from ig.dpia.policy import DpiaPolicy
from ig.dpia.register import consulted_between, open_on, review_overdue_on, signed_off_between
from ig.feature import Figure, ReportPeriod, Section, date_boxes
from ig.policies import Policies

READ = "dpia.read"


def _counts(session: Session, policy: DpiaPolicy, period: ReportPeriod) -> tuple[int, ...]:
    """(open, review overdue) on the period's last day, (signed off with a high residual
    risk, ICO consulted) in the period: the register's own filters, in one query."""
    cutoff, start, end = period.recorded_by, period.start, period.end
    query = select(
        func.count().filter(open_on(end, cutoff)),
        func.count().filter(review_overdue_on(end, policy.review_interval_months, cutoff)),
        func.count().filter(signed_off_between(start, end, cutoff, policy.high_from)),
        func.count().filter(consulted_between(start, end, cutoff)),
    ).select_from(Dpia)
    return tuple(session.execute(query).one())


def _links(period: ReportPeriod) -> dict[str, dict[str, Any]]:
    """Each linked figure's register filter."""
    start, end = date_boxes(period.start), date_boxes(period.end)
    return {
        "open": {"open_on": end},
        "overdue": {"overdue_on": end},
        "high": {"signed_from": start, "signed_to": end, "signed_high": "y"},
        "consulted": {"consulted_from": start, "consulted_to": end},
    }


def _figures(counts: tuple[int, ...], links: dict[str, dict[str, Any]]) -> tuple[Figure, ...]:
    still_open, overdue, high, consulted = counts
    return (
        Figure(
            "dpia.open",
            "DPIAs open",
            still_open,
            "DPIAs started and not yet signed off on the last day of the period, leaving "
            "out those whose screening found no DPIA was needed.",
            counts_people=False,
            endpoint="dpia.index",
            args=links["open"],
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
            args=links["overdue"],
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
            args=links["high"],
            permission=READ,
        ),
        Figure(
            "dpia.ico_consulted",
            "ICO prior consultations",
            consulted,
            "DPIAs on which the ICO was consulted before the processing began (UK GDPR "
            "Art. 36), the consultation dated in the period.",
            counts_people=False,
            endpoint="dpia.index",
            args=links["consulted"],
            permission=READ,
        ),
    )


def dpia_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The DPIA section for ``period`` (one query)."""
    policy: DpiaPolicy = policies.dpia
    figures = _figures(_counts(session, policy, period), _links(period))
    return Section(
        "dpia",
        "Data protection impact assessments",
        figures,
        headline=("dpia.open", "dpia.review_overdue"),
    )

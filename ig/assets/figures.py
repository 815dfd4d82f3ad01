"""The information asset register's section of the IG report: the assets on the register
at the period's end, those whose owner's confirmation was overdue then, and the
confirmations made in the period.

Whether a confirmation was overdue on the last day is read from the audit trail: the
due date the latest confirmation recorded by then set, or, for an asset never confirmed,
the day it was added (its first confirmation falls due that day). So a confirmation
recorded after the report's ``recorded_by`` does not change the report as recorded then.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ig.assets.models import InformationAsset
from ig.audit.models import AuditEntry
from ig.audit.recorded import (
    count_entries,
    day_end,
    day_start,
    earliest,
    entry_at_between,
    latest_detail,
    was_recorded,
)
from ig.feature import Figure, ReportPeriod, Section
from ig.policies import Policies

RECORD = "information_asset"
TICK = dt.timedelta(microseconds=1)


def _at_end(session: Session, period: ReportPeriod) -> tuple[int, int]:
    """(assets on the register, those overdue for confirmation) on the period's last day."""
    cutoff = earliest(period.recorded_by, day_end(period.end))
    due = latest_detail(
        RECORD, InformationAsset.id, ["asset.confirmed"], "next_confirmation_on", cutoff
    )
    # The asset's audit entry dates its addition, as the services record their time.
    added_before_last_day = was_recorded(
        RECORD, InformationAsset.id, ["asset.created"], day_start(period.end) - TICK
    )
    overdue = case((due.is_not(None), due < period.end.isoformat()), else_=added_before_last_day)
    added = was_recorded(RECORD, InformationAsset.id, ["asset.created"], cutoff)
    query = (
        select(func.count(), func.sum(case((overdue, 1), else_=0)))
        .select_from(InformationAsset)
        .where(added)
    )
    total, late = session.execute(query).one()
    return total, int(late or 0)


def _confirmed(session: Session, period: ReportPeriod) -> int:
    """Assets whose owner confirmed them in the period."""
    during = entry_at_between(day_start(period.start), day_end(period.end))
    query = count_entries("asset.confirmed", period.recorded_by, during)
    return session.scalar(query.where(AuditEntry.record_type == RECORD)) or 0


def assets_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The information asset register's section for ``period`` (two queries)."""
    total, overdue = _at_end(session, period)
    confirmed = _confirmed(session, period)
    figures = (
        Figure(
            "assets.registered",
            "Information assets on the register",
            total,
            "Information assets on the register on the last day of the period.",
            counts_people=False,
            endpoint="assets.index",
            permission="assets.read",
        ),
        Figure(
            "assets.confirmation_overdue",
            "Confirmations overdue at the period's end",
            overdue,
            "Information assets whose owner's periodic confirmation that the entry is "
            "accurate was overdue on the last day of the period.",
            counts_people=False,
            target=0,
            endpoint="assets.index",
            args={"overdue": "y"},
            permission="assets.read",
        ),
        Figure(
            "assets.confirmed",
            "Assets confirmed in the period",
            confirmed,
            "Information assets whose owner confirmed the entry was accurate during the period.",
            counts_people=False,
        ),
    )
    return Section(
        "assets",
        "Information assets",
        figures,
        headline=("assets.confirmation_overdue",),
    )

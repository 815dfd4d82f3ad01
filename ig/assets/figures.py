"""The information asset register's section of the IG report: the assets on the register
at the period's end, those whose owner's confirmation was overdue then, and the
confirmations made in the period.

Whether a confirmation was overdue on the last day is read from the audit trail: the
due date the latest confirmation recorded by then set, or, for an asset never confirmed,
the day it was added (its first confirmation falls due that day). So a confirmation
recorded after the report's ``recorded_by`` does not change the report as recorded then.
Each figure's condition is the register's own filter (ig.assets.register), so each links
to exactly its assets.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.assets.models import InformationAsset
from ig.assets.register import confirmed_between, on_register, overdue_on
from ig.feature import Figure, ReportPeriod, Section, date_boxes
from ig.policies import Policies


def _counts(session: Session, period: ReportPeriod) -> tuple[int, int, int]:
    """(assets on the register, those overdue for confirmation) on the period's last day,
    and (of any) those confirmed in the period: the register's own filters."""
    cutoff, end = period.recorded_by, period.end
    overdue = overdue_on(end, cutoff)
    confirmed = confirmed_between(period.start, end, cutoff)
    query = select(
        func.count().filter(on_register(end, cutoff)),
        func.count().filter(on_register(end, cutoff) & overdue),
        func.count().filter(confirmed),
    ).select_from(InformationAsset)
    total, late, done = session.execute(query).one()
    return total, late, done


def assets_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The information asset register's section for ``period`` (one query)."""
    total, overdue, confirmed = _counts(session, period)
    on_end = {"on": date_boxes(period.end)}
    figures = (
        Figure(
            "assets.registered",
            "Information assets on the register",
            total,
            "Information assets on the register on the last day of the period.",
            counts_people=False,
            endpoint="assets.index",
            args=on_end,
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
            args={**on_end, "overdue": "y"},
            permission="assets.read",
        ),
        Figure(
            "assets.confirmed",
            "Assets confirmed in the period",
            confirmed,
            "Information assets whose owner confirmed the entry was accurate during the period.",
            counts_people=False,
            endpoint="assets.index",
            args={
                "confirmed_from": date_boxes(period.start),
                "confirmed_to": date_boxes(period.end),
            },
            permission="assets.read",
        ),
    )
    return Section(
        "assets",
        "Information assets",
        figures,
        headline=("assets.confirmation_overdue",),
    )

"""The processor contracts section of the IG report: contracts in force at the period's
end, those ending within the policy's window after it, and those lacking terms UK GDPR
Art. 28(3) requires.

A contract counts once the audit trail has recorded it, and its missing terms as its
latest save recorded by the report's ``recorded_by`` listed them: a contract recorded
late, or terms added after the cut-off, change the figures as now known only. Start and
end dates are those the contract now holds.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.audit.recorded import latest_detail, was_recorded
from ig.contracts.models import ProcessorContract as C
from ig.contracts.policy import ContractsPolicy
from ig.feature import Figure, ReportPeriod, Section
from ig.policies import Policies

RECORD = "processor_contract"
SAVED = ("contract.created", "contract.updated")
READ = "contracts.read"
# How the trail holds "no term missing": the JSON text of an empty list.
NONE_MISSING = "[]"


def _counts(
    session: Session, policy: ContractsPolicy, period: ReportPeriod
) -> tuple[int, int, int]:
    """(in force on the last day, ending within the window after it, missing terms)."""
    cutoff = period.recorded_by
    missing = latest_detail(RECORD, C.id, SAVED, "missing_terms", cutoff)
    window_end = period.end + dt.timedelta(days=policy.ending_soon_days)
    query = (
        select(
            func.count(),
            func.count().filter(C.end_on <= window_end),
            func.count().filter(missing != NONE_MISSING),
        )
        .select_from(C)
        .where(
            C.start_on <= period.end,
            C.end_on >= period.end,
            was_recorded(RECORD, C.id, ["contract.created"], cutoff),
        )
    )
    active, ending, lacking = session.execute(query).one()
    return active, ending, lacking


def contracts_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The processor contracts section for ``period`` (one query)."""
    policy: ContractsPolicy = policies.contracts
    active, ending, lacking = _counts(session, policy, period)
    figures = (
        Figure(
            "contracts.active",
            "Processor contracts in force",
            active,
            "Contracts under which a processor handles personal data for the council "
            "(UK GDPR Art. 28) in force on the last day of the period.",
            counts_people=False,
            endpoint="contracts.index",
            permission=READ,
        ),
        Figure(
            "contracts.ending",
            "Ending soon after the period",
            ending,
            f"Processor contracts in force on the last day of the period that end within "
            f"{policy.ending_soon_days} days of it.",
            counts_people=False,
            endpoint="contracts.index",
            args={"flag": "ending_soon"},
            permission=READ,
        ),
        Figure(
            "contracts.missing_terms",
            "Missing Art. 28 terms",
            lacking,
            "Processor contracts in force on the last day of the period that lacked one or "
            "more of the terms UK GDPR Art. 28(3) requires.",
            counts_people=False,
            target=0,
            endpoint="contracts.index",
            args={"flag": "missing_terms"},
            permission=READ,
        ),
    )
    return Section(
        "contracts",
        "Processor contracts",
        figures,
        headline=("contracts.active", "contracts.missing_terms"),
    )

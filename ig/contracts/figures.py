"""The processor contracts section of the IG report: contracts in force at the period's
end, those ending within the policy's window after it, and those lacking terms UK GDPR
Art. 28(3) requires.

A contract counts once the audit trail has recorded it, and its missing terms as its
latest save recorded by the report's ``recorded_by`` listed them: a contract recorded
late, or terms or dates changed after the cut-off, change the figures as now known only.
Each figure's condition is the register's own filter, so each links to its records.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.contracts.models import ProcessorContract as C
from ig.contracts.policy import ContractsPolicy
from ig.contracts.register import ends_by, in_force_on, lacks_terms
from ig.contracts.rules import ending_soon_from
from ig.feature import Figure, ReportPeriod, Section, date_boxes
from ig.policies import Policies

READ = "contracts.read"


def _on_end(period: ReportPeriod, flag: str = "") -> dict[str, Any]:
    """The register's "in force on" filter for the period's last day, and ``flag``."""
    return {"in_force_on": date_boxes(period.end), **({"flag": flag} if flag else {})}


def _counts(
    session: Session, policy: ContractsPolicy, period: ReportPeriod
) -> tuple[int, int, int]:
    """(in force on the last day, ending within the window after it, missing terms)."""
    cutoff = period.recorded_by
    window_end = ending_soon_from(period.end, policy.ending_soon_days)
    query = (
        select(
            func.count(),
            func.count().filter(ends_by(window_end, cutoff)),
            func.count().filter(lacks_terms(cutoff)),
        )
        .select_from(C)
        .where(in_force_on(period.end, cutoff))
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
            args=_on_end(period),
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
            args=_on_end(period, "ending_soon"),
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
            args=_on_end(period, "missing_terms"),
            permission=READ,
        ),
    )
    return Section(
        "contracts",
        "Processor contracts",
        figures,
        headline=("contracts.active", "contracts.missing_terms"),
    )

"""The sharing section of the IG report: agreements in force, awaiting signature, expiring.

Each agreement's state is taken on the last day of the period, by ``rules.agreement_state``
written in SQL over the signatures recorded by ``period.recorded_by`` (every signature
since, for "as now known", dated by the end of the period). Agreements recorded after
``recorded_by``, and those replaced by a renewal started by the end of the period, are
left out. Each figure links to the register's agreements in that state "on" the period's
last day (its state and standing worked out by the same SQL, as now known); partners
not signed up link to the partner organisations party to no agreement in force that day.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ig.feature import Figure, ReportPeriod, Section, date_boxes
from ig.people.models import Organisation
from ig.policies import Policies
from ig.sharing.models import Agreement
from ig.sharing.rules import IN_FORCE, AgreementState, review_threshold
from ig.sharing.states import IN_FORCE_CHOICE, not_signed_up_on, standing_on, state_on_sql

READ = "sharing.read"


def _states(period: ReportPeriod, notice_days: int) -> Any:
    """A subquery of (agreement id, state on the period's last day, ends_on)."""
    state = state_on_sql(period.end, notice_days, period.known)
    return (
        select(Agreement.id.label("id"), state.label("state"), Agreement.ends_on.label("ends_on"))
        .where(*standing_on(period.end, period.known))
        .subquery("states")
    )


def _counts(session: Session, period: ReportPeriod, notice_days: int) -> list[int]:
    """[in force, awaiting signatures, review due, expiring, partners not signed up]."""
    states = _states(period, notice_days)
    in_force = states.c.state.in_([s.value for s in IN_FORCE])
    expiring = in_force & (states.c.ends_on <= review_threshold(period.end, notice_days))
    row = session.execute(
        select(
            func.count(case((in_force, 1))),
            func.count(case((states.c.state == AgreementState.AWAITING_SIGNATURES.value, 1))),
            func.count(case((states.c.state == AgreementState.REVIEW_DUE.value, 1))),
            func.count(case((expiring, 1))),
        )
    ).one()
    partners = session.scalar(
        select(func.count())
        .select_from(Organisation)
        .where(*not_signed_up_on(period.end, notice_days, period.known))
    )
    return [*row, partners or 0]


def _agreements(
    key: str,
    label: str,
    value: int,
    definition: str,
    args: dict[str, Any],
    endpoint: str = "sharing.index",
) -> Figure:
    """A figure of agreements or organisations, not people: never withheld as a small
    number; ``args`` (the register's filter on the period's last day) link its list."""
    return Figure(
        key, label, value, definition, counts_people=False,
        endpoint=endpoint, args=args, permission=READ,
    )  # fmt: skip


def sharing_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The sharing section of the IG report for ``period``."""
    notice_days: int = policies.sharing.review_notice_days
    row = _counts(session, period, notice_days)
    on = {"on": date_boxes(period.end)}
    in_force = {**on, "state": IN_FORCE_CHOICE}
    ending_by = date_boxes(review_threshold(period.end, notice_days))
    figures = (
        _agreements(
            "sharing.in_force", "Agreements in force", row[0],
            "Data-sharing agreements signed by every party, started and not ended or "
            "terminated on the last day of the period (including those due for review).",
            in_force,
        ),
        _agreements(
            "sharing.awaiting_signatures", "Awaiting signatures", row[1],
            "Agreements signed by some but not all of their parties on the last day of the period.",
            {**on, "state": AgreementState.AWAITING_SIGNATURES.value},
        ),
        _agreements(
            "sharing.review_due", "In force, review due", row[2],
            f"Agreements in force whose review date falls within {notice_days} days of the "
            "end of the period, or has passed.",
            {**on, "state": AgreementState.REVIEW_DUE.value},
        ),
        _agreements(
            "sharing.expiring", "Expiring", row[3],
            f"Agreements in force whose end date falls within {notice_days} days of the end "
            "of the period.",
            {**in_force, "end_to": ending_by},
        ),
        _agreements(
            "sharing.partners_not_signed_up", "Partners not signed up to an agreement in force",
            row[4],
            "Partner organisations in the register that are party to no agreement in force on "
            "the last day of the period.",
            {"unsigned_on": date_boxes(period.end)}, "sharing.organisations.index",
        ),
    )  # fmt: skip
    return Section(
        "sharing",
        "Data-sharing agreements",
        figures,
        headline=("sharing.in_force", "sharing.partners_not_signed_up"),
    )

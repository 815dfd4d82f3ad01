"""The sharing section of the IG report: agreements in force, awaiting signature, expiring.

Each agreement's state is taken on the last day of the period, by ``rules.agreement_state``
written in SQL over the signatures recorded by ``period.recorded_by`` (every signature
since, for "as now known", dated by the end of the period). Agreements recorded after
``recorded_by``, and those replaced by a renewal started by the end of the period, are
left out. The register shows states today, not on a past day, so these figures do not
link to it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session, aliased

from ig.feature import Figure, ReportPeriod, Section
from ig.people.models import Organisation
from ig.policies import Policies
from ig.sharing.models import Agreement, AgreementParty
from ig.sharing.rules import IN_FORCE, AgreementState, review_threshold

LATER = aliased(Agreement, name="renewal")


def _states(period: ReportPeriod, notice_days: int) -> Any:
    """A subquery of (agreement id, state on the period's last day, ends_on)."""
    day = period.end
    signed = (
        select(AgreementParty.agreement_id, func.count().label("signed"))
        .where(period.known(AgreementParty.signed_at), AgreementParty.signed_on <= day)
        .group_by(AgreementParty.agreement_id)
        .subquery("signed")
    )
    count = func.coalesce(signed.c.signed, 0)
    a = Agreement
    state = case(
        (a.terminated_on <= day, literal(AgreementState.TERMINATED.value)),
        (a.ends_on < day, literal(AgreementState.EXPIRED.value)),
        (count == 0, literal(AgreementState.DRAFT.value)),
        (count < a.party_count, literal(AgreementState.AWAITING_SIGNATURES.value)),
        (a.starts_on > day, literal(AgreementState.SIGNED_NOT_STARTED.value)),
        (
            a.review_on <= review_threshold(day, notice_days),
            literal(AgreementState.REVIEW_DUE.value),
        ),
        else_=literal(AgreementState.ACTIVE.value),
    )
    renewed = (
        select(LATER.id)
        .where(
            LATER.supersedes_id == a.id,
            LATER.starts_on <= day,
            period.known(LATER.created_at),
        )
        .exists()
    )
    return (
        select(a.id.label("id"), state.label("state"), a.ends_on.label("ends_on"))
        .outerjoin(signed, signed.c.agreement_id == a.id)
        .where(period.known(a.created_at), ~renewed)
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
    covered = (
        select(AgreementParty.organisation_id)
        .join(states, states.c.id == AgreementParty.agreement_id)
        .where(in_force)
    )
    partners = session.scalar(
        select(func.count())
        .select_from(Organisation)
        .where(
            Organisation.is_self.is_(False),
            period.known(Organisation.created_at),
            Organisation.id.not_in(covered),
        )
    )
    return [*row, partners or 0]


def _agreements(key: str, label: str, value: int, definition: str) -> Figure:
    # Agreements and organisations, not people: never withheld as a small number.
    return Figure(key, label, value, definition, counts_people=False)


def sharing_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The sharing section of the IG report for ``period``."""
    notice_days: int = policies.sharing.review_notice_days
    row = _counts(session, period, notice_days)
    figures = (
        _agreements(
            "sharing.in_force",
            "Agreements in force",
            row[0],
            "Data-sharing agreements signed by every party, started and not ended or "
            "terminated on the last day of the period (including those due for review).",
        ),
        _agreements(
            "sharing.awaiting_signatures",
            "Awaiting signatures",
            row[1],
            "Agreements signed by some but not all of their parties on the last day of the period.",
        ),
        _agreements(
            "sharing.review_due",
            "In force, review due",
            row[2],
            f"Agreements in force whose review date falls within {notice_days} days of the "
            "end of the period, or has passed.",
        ),
        _agreements(
            "sharing.expiring",
            "Expiring",
            row[3],
            f"Agreements in force whose end date falls within {notice_days} days of the end "
            "of the period.",
        ),
        _agreements(
            "sharing.partners_not_signed_up",
            "Partners not signed up to an agreement in force",
            row[4],
            "Partner organisations in the register that are party to no agreement in force on "
            "the last day of the period.",
        ),
    )
    return Section(
        "sharing",
        "Data-sharing agreements",
        figures,
        headline=("sharing.in_force", "sharing.partners_not_signed_up"),
    )

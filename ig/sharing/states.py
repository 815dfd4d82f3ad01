"""An agreement's state as SQL: today's (rules.agreement_state), on a past day as then
recorded, and with its days bound when the statement runs for the statements built once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Date, bindparam, case, func, literal, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from ig.people.models import Organisation
from ig.sharing.models import Agreement, AgreementParty
from ig.sharing.rules import IN_FORCE, AgreementState, review_threshold

# A day a clause compares with: a value, or a parameter bound when the statement runs.
Day = dt.date | ColumnElement[Any]
# The register's state filter's choice for IN_FORCE (active or due for review).
IN_FORCE_CHOICE = "in_force"
# Whether a fact stamped with an instant column counts (ReportPeriod.known's shape).
Known = Callable[[Any], Any]


def _state_case(terminated: Any, signed: Any, today: Day, review_by: Day) -> ColumnElement[str]:
    """rules.agreement_state as one SQL expression: reviews on or before ``review_by``
    are due."""
    a = Agreement
    return case(
        (terminated, literal(AgreementState.TERMINATED.value)),
        (a.ends_on < today, literal(AgreementState.EXPIRED.value)),
        (signed == 0, literal(AgreementState.DRAFT.value)),
        (signed < a.party_count, literal(AgreementState.AWAITING_SIGNATURES.value)),
        (a.starts_on > today, literal(AgreementState.SIGNED_NOT_STARTED.value)),
        (a.review_on <= review_by, literal(AgreementState.REVIEW_DUE.value)),
        else_=literal(AgreementState.ACTIVE.value),
    )


def state_sql(today: dt.date, notice_days: int) -> ColumnElement[str]:
    """rules.agreement_state as one SQL expression, so the register filters on it."""
    return _state_case(
        Agreement.terminated_on.is_not(None),
        Agreement.signed_count,
        today,
        review_threshold(today, notice_days),
    )


# The state with its days bound when the statement runs (``state_params``), for the
# statements the home page runs on every visit: built once, not per request.
BOUND_STATE = _state_case(
    Agreement.terminated_on.is_not(None),
    Agreement.signed_count,
    bindparam("today", type_=Date()),
    bindparam("review_by", type_=Date()),
)


def state_params(today: dt.date, notice_days: int) -> dict[str, dt.date]:
    """The values of BOUND_STATE's parameters."""
    return {"today": today, "review_by": review_threshold(today, notice_days)}


def _recorded(column: Any) -> Any:
    return column.is_not(None)


def state_on_sql(day: dt.date, notice_days: int, known: Known = _recorded) -> ColumnElement[str]:
    """The agreement's state on a past ``day``: terminated by then, counting the
    signatures dated by then whose recording ``known`` admits (every one, by default)."""
    signed = (
        select(func.count())
        .where(
            AgreementParty.agreement_id == Agreement.id,
            known(AgreementParty.signed_at),
            AgreementParty.signed_on <= day,
        )
        .scalar_subquery()
    )
    return _state_case(
        Agreement.terminated_on <= day, signed, day, review_threshold(day, notice_days)
    )


# Built once: making an alias per request costs more than the query it is used in.
LATER = aliased(Agreement, name="later")


def standing_on(day: dt.date, known: Known = _recorded) -> list[Any]:
    """The agreements in the register on ``day`` as ``known`` admits: recorded, and not
    replaced by a renewal that had started by then."""
    renewed = select(LATER.id).where(
        LATER.supersedes_id == Agreement.id, LATER.starts_on <= day, known(LATER.created_at)
    )
    return [known(Agreement.created_at), ~renewed.exists()]


def not_signed_up_on(day: dt.date, notice_days: int, known: Known = _recorded) -> list[Any]:
    """Partner organisations (not ourselves) in the register on ``day`` and party to no
    agreement in force then, as ``known`` admits (every record, by default)."""
    in_force = select(Agreement.id).where(
        *standing_on(day, known),
        state_on_sql(day, notice_days, known).in_([state.value for state in IN_FORCE]),
    )
    # An alias, so that the signatures counted inside the state stay the agreement's own.
    party = aliased(AgreementParty, name="party")
    covered = select(party.organisation_id).where(party.agreement_id.in_(in_force))
    return [
        Organisation.is_self.is_(False),
        known(Organisation.created_at),
        Organisation.id.not_in(covered),
    ]

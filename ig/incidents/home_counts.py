"""The home page's incident counts: new reports, gradings to confirm, and breaches past a
72-hour deadline by what they wait for, each in one query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.orm import Session

from ig.incidents.models import Incident, Status
from ig.incidents.register import (
    OPEN,
    count_where,
    dhsc_overdue_clause,
    ico_overdue_clause,
    overdue_clause,
)


def count_untriaged(session: Session) -> int:
    """How many reports wait for the IG team to triage them."""
    return count_where(session, Incident.status == Status.REPORTED)


def count_overdue(session: Session, now: dt.datetime) -> int:
    """How many incidents are past a 72-hour deadline with something still to do."""
    return count_where(session, overdue_clause(now))


@dataclass(frozen=True)
class OverdueCounts:
    """Incidents past the 72-hour deadline, by what is still to do."""

    ungraded: int
    unconfirmed: int
    ico: int
    dhsc: int


def _overdue_by_reason() -> Any:
    """The home page's overdue counts as one statement, built once: ``now`` is bound at
    each execution (building it took most of the incident tasks' time)."""
    now = bindparam("now", type_=Incident.deadline_at.type)
    ico = ico_overdue_clause(now)
    graded = Incident.likelihood.is_not(None)

    def total(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    return select(
        total(and_(ico, ~graded)),
        total(and_(ico, graded, Incident.is_ico_notifiable.is_(False))),
        total(and_(ico, graded, Incident.is_ico_notifiable.is_(True))),
        total(dhsc_overdue_clause(now)),
    ).where(overdue_clause(now))


_OVERDUE_BY_REASON = _overdue_by_reason()


def count_overdue_by_reason(session: Session, now: dt.datetime) -> OverdueCounts:
    """The overdue incidents split by what they wait for, in one query."""
    row = session.execute(_OVERDUE_BY_REASON, {"now": now}).one()
    return OverdueCounts(*(int(value) for value in row))


def count_awaiting_confirmation(session: Session) -> int:
    """How many gradings wait for the SIRO or Caldicott Guardian."""
    return count_where(
        session,
        Incident.needs_confirmation.is_(True),
        Incident.confirmed_at.is_(None),
        Incident.status.in_(OPEN),
    )

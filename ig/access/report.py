"""Who held which access on a given date, or had it removed between two, per asset or per
team (with the teams below), from the dates access was granted and removed: paged in SQL,
and as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from ig.access.models import AccessRequest
from ig.access.policy import AccessPolicy
from ig.assets.lookup import asset_names
from ig.audit.recorded import was_recorded
from ig.audit.service import Page
from ig.bounds import FIRST_DATE, LAST_DATE
from ig.people.leavers import left_by
from ig.people.models import Staff, Team

PER_PAGE = 50
RECORD = "access_request"
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = ["staff number", "name", "team", "asset", "level", "granted", "removed"]


@dataclass(frozen=True)
class ReportFilter:
    """The date the report is as at, and the asset or team (None: every one) it covers.

    With ``removed_from`` or ``removed_to`` (either end open), the report lists the access
    removed between them instead of that held on ``on``; "leavers only" then means staff
    who had left by ``removed_to`` (``on`` if open).
    """

    on: dt.date
    asset_id: int | None = None
    team_id: int | None = None
    leavers_only: bool = False  # staff who had left by ``on`` (the IG report links here)
    removed_from: dt.date | None = None
    removed_to: dt.date | None = None

    @property
    def is_removals(self) -> bool:
        """The report lists access removed between two dates, not access held on one."""
        return self.removed_from is not None or self.removed_to is not None


@dataclass(frozen=True)
class Held:
    """One person's access to one asset's system on the report's date."""

    staff_number: str
    name: str
    team: str
    asset: str
    level: str
    granted_on: dt.date
    removed_on: dt.date | None


def held_on(day: dt.date, cutoff: dt.datetime | None = None) -> ColumnElement[bool]:
    """Access held on ``day``: granted on or before it, not removed by it (rules.held_on),
    each as recorded by ``cutoff`` (as now known when None): a grant or removal counts
    from when the audit trail recorded it, even one dated back."""
    if cutoff is None:
        return (AccessRequest.granted_on <= day) & or_(
            AccessRequest.removed_on.is_(None), AccessRequest.removed_on > day
        )
    granted = was_recorded(RECORD, AccessRequest.id, ["access.granted"], cutoff)
    return (AccessRequest.granted_on <= day) & granted & ~removed_by(day, cutoff)


def removed_by(day: dt.date, cutoff: dt.datetime | None) -> ColumnElement[bool]:
    """Removal dated on or before ``day``, recorded by ``cutoff`` (any time, when None)."""
    recorded = was_recorded(RECORD, AccessRequest.id, ["access.removed"], cutoff)
    return (AccessRequest.removed_on <= day) & recorded


def removed_between(
    start: dt.date, end: dt.date, cutoff: dt.datetime | None = None
) -> ColumnElement[bool]:
    """Access granted and then removed with a removal date from ``start`` to ``end``
    (both inclusive), the removal recorded by ``cutoff`` (any time, when None)."""
    return (
        AccessRequest.granted_on.is_not(None)
        & (AccessRequest.removed_on >= start)
        & removed_by(end, cutoff)
    )


def held_by_leaver(day: dt.date, cutoff: dt.datetime | None = None) -> ColumnElement[bool]:
    """Access of staff who had left by ``day`` (by the leaving date recorded by ``cutoff``)."""
    # The leavers once, not a lookup per grant; uncorrelated, as the report's query joins
    # the staff too.
    leavers = select(Staff.id).where(left_by(day, cutoff)).correlate(None)
    return AccessRequest.staff_id.in_(leavers)


def _conditions(filters: ReportFilter) -> list[ColumnElement[bool]]:
    if filters.is_removals:
        until = filters.removed_to or filters.on
        start = filters.removed_from or FIRST_DATE
        listed = removed_between(start, filters.removed_to or LAST_DATE)
    else:
        until, listed = filters.on, held_on(filters.on)
    return [listed, held_by_leaver(until)] if filters.leavers_only else [listed]


def _query(session: Session, filters: ReportFilter) -> Select:
    query = (
        select(
            Staff.staff_number,
            Staff.name,
            Team.name.label("team"),
            AccessRequest.asset_id,
            AccessRequest.level,
            AccessRequest.granted_on,
            AccessRequest.removed_on,
        )
        .join(Staff, Staff.id == AccessRequest.staff_id)
        .join(Team, Team.id == Staff.team_id)
        .where(*_conditions(filters))
    )
    if filters.asset_id is not None:
        query = query.where(AccessRequest.asset_id == filters.asset_id)
    if filters.team_id is not None:
        team = session.get(Team, filters.team_id)
        path = team.path if team is not None else "/none/"
        query = query.where(Team.path.startswith(path, autoescape=False))
    return query


def _count(filters: ReportFilter, query: Select) -> Select:
    """How many rows the report has. Without a team, the requests alone: every request
    has its member of staff and every member of staff a team (both required), so the
    joins change nothing but would cost a hash of every member of staff."""
    if filters.team_id is not None:
        return select(func.count()).select_from(query.subquery())
    only = select(func.count(AccessRequest.id)).where(*_conditions(filters))
    if filters.asset_id is not None:
        only = only.where(AccessRequest.asset_id == filters.asset_id)
    return only


def _rows(session: Session, result: Iterable[Any], policy: AccessPolicy) -> list[Held]:
    found = list(result)
    names = asset_names(session, [r.asset_id for r in found]) if found else {}
    return [
        Held(
            r.staff_number,
            r.name,
            r.team,
            names.get(r.asset_id, ""),
            policy.level_label(r.level),
            r.granted_on,
            r.removed_on,
        )
        for r in found
    ]


def access_report(
    session: Session, policy: AccessPolicy, filters: ReportFilter, page: int = 1
) -> Page:
    """One page of the access held on ``filters.on``, by name (three queries in all)."""
    query = _query(session, filters)
    total = session.scalar(_count(filters, query)) or 0
    result = session.execute(
        query.order_by(Staff.name, Staff.id, AccessRequest.id)
        .limit(PER_PAGE)
        .offset((max(page, 1) - 1) * PER_PAGE)
    )
    return Page(_rows(session, result, policy), max(page, 1), PER_PAGE, total)


def _safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def access_report_csv(session: Session, policy: AccessPolicy, filters: ReportFilter) -> str:
    """Every row of the report, as CSV safe to open in a spreadsheet."""
    result = session.execute(_query(session, filters).order_by(Staff.name, Staff.id))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for h in _rows(session, result, policy):
        removed = h.removed_on.isoformat() if h.removed_on else ""
        values = (
            h.staff_number,
            h.name,
            h.team,
            h.asset,
            h.level,
            h.granted_on.isoformat(),
            removed,
        )
        writer.writerow([_safe(v) for v in values])
    return out.getvalue()

"""The information rights figures: month by month, the share of each kind of request
answered on time against its target (the ICO monitors councils below 90% for FOI); the
open requests by days left; and the year's paused clocks and extensions.

A handful of aggregate queries (one a month, one for the open requests, two for the
clock), counting every fact as now known; the IG report's rights section
(ig/rights/figures.py) defines "answered on time" and counts it here the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from ig.feature import ReportPeriod
from ig.rights.figures import answered_by_type, clock_changes, percent_on_time
from ig.rights.models import RequestStatus, RightsRequest
from ig.rights.policy import RightsPolicy

MONTHS = 12
# The open requests' bands, most urgent first: (label, last day counted from today).
BANDS = (("Overdue", -1), ("Due within 5 days", 5), ("6 to 10 days", 10), ("11 to 20 days", 20))
LATER, PAUSED = "More than 20 days", "Clock paused"


@dataclass(frozen=True)
class KindMonth:
    """One kind of request in one month: answered (withdrawn left out) and on time."""

    answered: int
    on_time: int

    @property
    def percent(self) -> float | None:
        return percent_on_time(self.on_time, self.answered)


@dataclass(frozen=True)
class Month:
    label: str  # "YYYY-MM"
    kinds: dict[str, KindMonth]

    @property
    def overall(self) -> KindMonth:
        return KindMonth(
            sum(k.answered for k in self.kinds.values()),
            sum(k.on_time for k in self.kinds.values()),
        )


@dataclass(frozen=True)
class RightsFigures:
    months: list[Month]  # oldest first
    kinds: list[str]  # the kinds answered at least once in the months, in policy order
    open_bands: list[tuple[str, int]]
    paused: int
    extended: int


def _month_starts(today: dt.date, count: int) -> list[dt.date]:
    year, month, starts = today.year, today.month, []
    for _ in range(count):
        starts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _month_end(start: dt.date) -> dt.date:
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _open_bands(session: Session, today: dt.date) -> list[tuple[str, int]]:
    """Open requests by days left on their deadline; a paused clock is a band of its own."""
    due = RightsRequest.due_on
    whens = [(RightsRequest.status == RequestStatus.PAUSED, literal(PAUSED))] + [
        (due <= today + dt.timedelta(days=last), literal(label)) for label, last in BANDS
    ]
    band = case(*whens, else_=literal(LATER))
    query = (
        select(band, func.count())
        .where(RightsRequest.status != RequestStatus.CLOSED)
        .group_by(band)
    )
    counts = {str(label): int(n) for label, n in session.execute(query)}
    return [(label, counts.get(label, 0)) for label, _ in BANDS] + [
        (LATER, counts.get(LATER, 0)),
        (PAUSED, counts.get(PAUSED, 0)),
    ]


def rights_figures(session: Session, policy: RightsPolicy, today: dt.date) -> RightsFigures:
    """The last twelve months' figures, to ``today``."""
    starts = _month_starts(today, MONTHS)
    months = []
    for start in starts:
        answered = answered_by_type(session, ReportPeriod(start, _month_end(start), None))
        kinds = {key: KindMonth(row[1], row[2]) for key, row in answered.items()}
        months.append(Month(f"{start:%Y-%m}", kinds))
    year = ReportPeriod(starts[0], today, None)
    return RightsFigures(
        months=months,
        kinds=[k for k in policy.types if any(k in m.kinds for m in months)],
        open_bands=_open_bands(session, today),
        paused=clock_changes(session, "paused", year),
        extended=clock_changes(session, "extended", year),
    )

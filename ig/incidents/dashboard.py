"""The dashboard's figures, aggregated in SQL: each chart also goes out as a table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ig.charts import Bar, bars
from ig.db import LONDON, london_today
from ig.incidents.models import Incident, Status
from ig.incidents.policy import IncidentsPolicy
from ig.incidents.register import OPEN

COUNTED = frozenset(s for s in Status if s not in (Status.WITHDRAWN, Status.DUPLICATE))
AGE_BANDS = ("0-7 days", "8-30 days", "31-90 days", "over 90 days")
HOUR_BANDS = ("within 24 hours", "24-48 hours", "48-72 hours", "after 72 hours")
UNTYPED = "Type not yet recorded"


@dataclass(frozen=True)
class Dashboard:
    months: list[str]
    month_bars: list[Bar]
    type_bars: list[Bar]
    type_columns: list[str]
    by_month_type: list[tuple[str, list[int], int]]
    notify_bars: list[Bar]
    notified_count: int
    average_hours: float | None
    age_bars: list[Bar]


def month_labels(today: dt.date, count: int = 24) -> list[str]:
    """The ``count`` months ending with ``today``'s, oldest first, as "YYYY-MM"."""
    year, month = today.year, today.month
    labels = []
    for _ in range(count):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return labels[::-1]


def _by_month_type(
    session: Session, policy: IncidentsPolicy, months: list[str]
) -> tuple[list[Bar], list[Bar], list[str], list[tuple[str, list[int], int]]]:
    # Grouped by status too rather than filtered on it: the (month, type, status) index
    # then answers alone, whatever the planner knows about the data.
    rows = session.execute(
        select(Incident.month, Incident.incident_type, Incident.status, func.count())
        .where(Incident.month >= months[0])
        .group_by(Incident.month, Incident.incident_type, Incident.status)
    ).all()
    counts: dict[tuple[str, str], int] = {}
    for month, kind, status, n in rows:
        if status not in COUNTED:
            continue
        label = policy.types.get(kind, kind) if kind else UNTYPED
        counts[(month, label)] = counts.get((month, label), 0) + n
    columns = sorted({label for _, label in counts})
    table = []
    for month in months:
        cells = [counts.get((month, label), 0) for label in columns]
        table.append((month, cells, sum(cells)))
    type_totals = [(label, sum(counts.get((m, label), 0) for m in months)) for label in columns]
    type_totals.sort(key=lambda pair: -pair[1])
    return bars([(m, total) for m, _, total in table]), bars(type_totals), columns, table


def _notify_hours(session: Session, since: dt.datetime) -> tuple[list[Bar], int, float | None]:
    band = case(
        (Incident.hours_to_notify < 24, HOUR_BANDS[0]),
        (Incident.hours_to_notify < 48, HOUR_BANDS[1]),
        (Incident.hours_to_notify < 72, HOUR_BANDS[2]),
        else_=HOUR_BANDS[3],
    )
    rows = session.execute(
        select(band, func.count(), func.sum(Incident.hours_to_notify))
        .where(Incident.first_notified_at >= since, Incident.hours_to_notify.is_not(None))
        .group_by(band)
    ).all()
    found = {label: (n, total) for label, n, total in rows}
    count = sum(n for n, _ in found.values())
    hours = sum(total or 0 for _, total in found.values())
    pairs = [(label, found.get(label, (0, 0))[0]) for label in HOUR_BANDS]
    return bars(pairs), count, (round(hours / count, 1) if count else None)


def _open_by_age(session: Session, now: dt.datetime) -> list[Bar]:
    band: Any = case(
        (Incident.reported_at >= now - dt.timedelta(days=7), AGE_BANDS[0]),
        (Incident.reported_at >= now - dt.timedelta(days=30), AGE_BANDS[1]),
        (Incident.reported_at >= now - dt.timedelta(days=90), AGE_BANDS[2]),
        else_=AGE_BANDS[3],
    )
    rows: dict[str, int] = dict(
        session.execute(  # type: ignore[arg-type]
            select(band, func.count()).where(Incident.status.in_(OPEN)).group_by(band)
        ).all()
    )
    return bars([(label, rows.get(label, 0)) for label in AGE_BANDS])


def build_dashboard(session: Session, policy: IncidentsPolicy, now: dt.datetime) -> Dashboard:
    """Incidents per month by type (24 months), hours to ICO notification, open by age."""
    months = month_labels(london_today(now))
    month_bars, type_bars, columns, table = _by_month_type(session, policy, months)
    since = dt.datetime.strptime(months[0] + "-01", "%Y-%m-%d").replace(tzinfo=LONDON)
    notify_bars, notified, average = _notify_hours(session, since.astimezone(dt.UTC))
    return Dashboard(
        months=months,
        month_bars=month_bars,
        type_bars=type_bars,
        type_columns=columns,
        by_month_type=table,
        notify_bars=notify_bars,
        notified_count=notified,
        average_hours=average,
        age_bars=_open_by_age(session, now),
    )

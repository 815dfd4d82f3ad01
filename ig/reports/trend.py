"""The report's trend: each headline figure as recorded at the end of each quarter.

A complete quarter's figures "as recorded then" count only what had been recorded by the
end of its last day, so once that day is past they are fixed: they are computed once and
kept in the shared figure cache (``ig.cache``), and every later report's trend reuses
them. What they are kept under names everything else they depend on: the quarter, the
sections asked for, the policy files' digests and a digest of ig's own code, so that a
changed policy or an upgrade computes them afresh. A quarter not yet over (the report's
own, or a period ending today) is always computed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ig import cache
from ig.feature import ReportPeriod, ReportSection, Section
from ig.policies import Policies
from ig.reports.policy import ReportsPolicy
from ig.reports.rules import Quarter, quarter_containing, quarters_ending

HeadlineValues = dict[str, float | None]


@functools.cache
def code_digest() -> str:
    """SHA-256 over ig's Python source, read once a process: figures kept under it are
    computed afresh after any change to the code that computes them."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def as_recorded(start: dt.date, end: dt.date, *, headline_only: bool = False) -> ReportPeriod:
    """The period counting only what had been recorded by the end of its last day."""
    period = ReportPeriod(start, end, None, headline_only)
    return dataclasses.replace(period, recorded_by=period.end_at)


def compute_sections(
    session: Session, policies: Policies, sections: Sequence[ReportSection], period: ReportPeriod
) -> list[Section]:
    """Every section of the report for ``period``, in order."""
    return [section(session, policies, period) for section in sections]


def _headlines(computed: Sequence[Section]) -> HeadlineValues:
    values: HeadlineValues = {}
    for section in computed:
        figures = {figure.key: figure.value for figure in section.figures}
        values.update({key: figures.get(key) for key in section.headline})
    return values


def _quarter_headlines(
    session: Session,
    policies: Policies,
    sections: Sequence[ReportSection],
    period: ReportPeriod,
    now: dt.datetime,
) -> HeadlineValues:
    """The headline figures of ``period`` as recorded at its end; kept once that is past."""

    def compute() -> HeadlineValues:
        return _headlines(compute_sections(session, policies, sections, period))

    if period.recorded_by is None or period.recorded_by >= now:
        return compute()
    policy: ReportsPolicy = policies.reports
    key = (
        "reports.trend",
        period.start.isoformat(),
        period.end.isoformat(),
        tuple(f"{s.__module__}.{s.__qualname__}" for s in sections),
    )
    stamp = (tuple(sorted(policy.policy_files.items())), code_digest())
    return cache.cached(session, key, stamp, compute)


def trend(
    session: Session,
    policies: Policies,
    sections: Sequence[ReportSection],
    period: ReportPeriod,
    latest: list[Section],
    now: dt.datetime,
) -> dict[str, Any]:
    """Each headline figure over the quarters ending with the one ``period`` ends in, as
    recorded at the end of each quarter (the last quarter cut short at the period's end,
    and taken from ``latest`` when the period is that quarter)."""
    policy: ReportsPolicy = policies.reports
    starts = policy.year_starts_month
    quarters = quarters_ending(
        quarter_containing(period.end, starts), policy.trend_quarters, starts
    )
    series: dict[str, list[float | None]] = {}
    for index, q in enumerate(quarters):
        end = min(q.end, period.end)
        if index == len(quarters) - 1 and (q.start, end) == (period.start, period.end):
            values = _headlines(latest)
        else:
            period_then = as_recorded(q.start, end, headline_only=True)
            values = _quarter_headlines(session, policies, sections, period_then, now)
        for key, value in values.items():
            series.setdefault(key, [None] * len(quarters))[index] = value
    return {"quarters": [_quarter_json(q) for q in quarters], "series": series}


def _quarter_json(q: Quarter) -> dict[str, str]:
    return {"key": q.key, "label": q.label, "start": q.start.isoformat(), "end": q.end.isoformat()}

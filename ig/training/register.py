"""The DSPT evidence export, and writing any training CSV safely."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.people.models import Team
from ig.training.compliance import counted_columns, status_rows
from ig.training.policy import TrainingPolicy
from ig.training.rules import Basis, Status, percent


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_lines(rows: Iterator[list[object]]) -> Iterator[str]:
    """Rows as CSV text, a line at a time, every cell made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_safe(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


Totals = dict[tuple[int | None, str], list[int]]


def evidence_totals(
    session: Session, policy: TrainingPolicy, on_date: dt.date, basis: Basis = Basis.AS_RECORDED
) -> tuple[list[tuple[int, str]], Totals]:
    """The teams in order, and the counts per (team or None for all, course) on a date.

    One query classifies every pair and counts them per team and course; those few
    thousand counts are then added up each team's path, which is cheaper than asking
    the database to join every team to every team below it.
    """
    rows = status_rows(session, policy, on_date, basis=basis)
    per_team = select(rows.c.team_id, rows.c.course_code, *counted_columns(rows)).group_by(
        rows.c.team_id, rows.c.course_code
    )
    teams = session.execute(select(Team.id, Team.name, Team.path).order_by(Team.path)).all()
    totals: dict[tuple[int | None, str], list[int]] = {}
    paths = {team_id: path for team_id, _name, path in teams}
    for row in session.execute(per_team):
        counts = [int(getattr(row, s.value) or 0) for s in Status]
        ancestors = [int(part) for part in paths[row.team_id].strip("/").split("/")]
        for key in [None, *ancestors]:
            sums = totals.setdefault((key, row.course_code), [0] * len(Status))
            for index, value in enumerate(counts):
                sums[index] += value
    return [(team_id, name) for team_id, name, _path in teams], totals


def _cached_totals(
    session: Session, policy: TrainingPolicy, on_date: dt.date, today: dt.date, basis: Basis
) -> tuple[list[tuple[int, str]], Totals]:
    from ig.training.cache import cached, is_settled

    return cached(
        session,
        ("evidence", policy.fingerprint, on_date, basis.value),
        lambda: evidence_totals(session, policy, on_date, basis),
        past=is_settled(on_date, today, basis),
    )


def evidence_csv(
    session: Session,
    policy: TrainingPolicy,
    on_date: dt.date,
    generated_at: dt.datetime,
    today: dt.date,
) -> Iterator[str]:
    """DSPT evidence as CSV: each team (with the teams below it) and course, and in all.

    The counts and the verdict are on the basis the policy names (``evidence_basis``);
    both percentages, as recorded then and as now known, stand beside them.
    """
    basis = Basis(policy.evidence_basis)
    teams, recorded = _cached_totals(session, policy, on_date, today, Basis.AS_RECORDED)
    known = recorded
    if on_date < today:  # up to today, nothing recorded later can be dated on or before it
        known = _cached_totals(session, policy, on_date, today, Basis.AS_NOW_KNOWN)[1]
    used = known if basis is Basis.AS_NOW_KNOWN else recorded

    def lines() -> Iterator[list[object]]:
        yield ["Data security and protection training compliance"]
        yield ["As at", on_date.isoformat(), "Target %", policy.target_percent]
        yield ["Figures", basis.label, "Set by", "policies/training.toml evidence_basis"]
        yield ["Policy version", policy.version, "Generated", generated_at.isoformat()]
        yield [
            *("Team", "Course", *[s.label for s in Status], "Compliance %", "Meets target"),
            *(f"Compliance % {b.label}" for b in Basis),
        ]
        for team_id, name in [(None, "Whole organisation"), *teams]:
            for code in policy.courses:
                key = (team_id, code)
                if key in used:
                    both = [_percent(recorded.get(key)), _percent(known.get(key))]
                    yield [*_evidence_row(name, code, used[key], policy), *both]

    return csv_lines(lines())


def _percent(counts: list[int] | None) -> float:
    by_status = dict(zip(Status, counts or [0] * len(Status), strict=True))
    good = by_status[Status.COMPLIANT] + by_status[Status.EXPIRING_SOON]
    return percent(good, good + by_status[Status.OVERDUE])


def _evidence_row(label: str, code: str, counts: list[int], policy: TrainingPolicy) -> list[object]:
    value = _percent(counts)
    return [label, code, *counts, value, "yes" if value >= policy.target_percent else "no"]

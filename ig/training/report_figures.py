"""The training section of the IG report: compliance at the end of the period.

Figures are taken on the period's last day from one pass of ``compliance.status_rows``
grouped by team and course (kept in the training cache), rolled up in Python to each
course, each directorate and each team below it (600 teams make 6,000 rows at most), on
the basis the report asks for:
"as recorded then" counts the completions ig held at the end of that day, "as now known"
also those recorded since and dated on or before it. The headline is data security
awareness, the course the DSPT's 95% target is set for; for the trend's earlier quarters
(``headline_only``) only that course is counted. The percentages link to the
organisation's training page on that day, which shows their counts; the overdue count to
the pairs it counts (ig.training.overdue). (A separate module from figures.py, whose own
Figure is the training pages' figure.)
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.db import london_today
from ig.feature import Figure, ReportPeriod, Section, date_boxes
from ig.people.models import Team
from ig.policies import Policies
from ig.training.cache import cached, is_settled
from ig.training.compliance import counted_columns, status_rows
from ig.training.figures import Figure as Counts
from ig.training.figures import overall
from ig.training.policy import TrainingPolicy
from ig.training.rules import Basis, Status

# Directorates and the services or teams directly below them: a board paper's depth.
DEPTHS = {0: "By directorate", 1: "By service or team"}
HEADLINE = "training.security_awareness"
TeamCourse = tuple[int, str]


def _basis(period: ReportPeriod) -> Basis:
    """Which completions the report counts: those recorded by its cut-off, or all known."""
    return Basis.AS_NOW_KNOWN if period.recorded_by is None else Basis.AS_RECORDED


def _counts(
    session: Session, policy: TrainingPolicy, period: ReportPeriod, codes: list[str] | None
) -> dict[TeamCourse, dict[Status, int]]:
    """Each (team, course)'s counts of each status, kept in the training cache while the
    data they depend on is unchanged: a past day "as recorded then" never changes."""
    basis = _basis(period)

    def compute() -> dict[TeamCourse, dict[Status, int]]:
        rows = status_rows(session, policy, period.end, course_codes=codes, basis=basis)
        query = select(rows.c.team_id, rows.c.course_code, *counted_columns(rows)).group_by(
            rows.c.team_id, rows.c.course_code
        )
        return {
            (row.team_id, row.course_code): {s: int(getattr(row, s.value) or 0) for s in Status}
            for row in session.execute(query)
        }

    key = ("report", policy.fingerprint, period.end, basis.value, tuple(codes or ()))
    return cached(session, key, compute, past=is_settled(period.end, london_today(), basis))


def _sum(counts: list[dict[Status, int]], label: str, target: float) -> Counts:
    return overall([Counts(label, c, target) for c in counts], label, target)


def _on_end(period: ReportPeriod) -> dict[str, Any]:
    """Where the percentages are shown for the period's last day, with their counts: the
    organisation's training page as at that day."""
    return {
        "endpoint": "training.organisation",
        "args": {"on": date_boxes(period.end)},
        "permission": "training.view_all",
    }


def _overdue_on_end(period: ReportPeriod) -> dict[str, Any]:
    """The (person, course) pairs overdue on the period's last day, on the report's basis."""
    return {
        "endpoint": "training.overdue",
        "args": {"on": date_boxes(period.end), "basis": _basis(period).value},
        "permission": "training.view_all",
    }


def _percent(
    key: str, label: str, counts: Counts, definition: str, link: dict[str, Any], group: str = ""
) -> Figure:
    return Figure(
        key,
        label,
        counts.percent,
        definition,
        unit="percent",
        group=group,
        target=counts.target,
        counts_people=False,
        **link,
    )


def _teams(
    session: Session,
    policy: TrainingPolicy,
    found: dict[TeamCourse, dict[Status, int]],
    link: dict[str, Any],
) -> list[Figure]:
    """Each directorate's figure and that of each service or team directly below it."""
    below: dict[int, list[dict[Status, int]]] = defaultdict(list)
    paths: dict[int, str] = {i: p for i, p in session.execute(select(Team.id, Team.path))}  # noqa: C416
    for (team_id, _code), counts in found.items():
        for ancestor in paths.get(team_id, "").strip("/").split("/"):
            if ancestor:
                below[int(ancestor)].append(counts)
    figures = []
    for team_id, name, path in session.execute(
        select(Team.id, Team.name, Team.path).order_by(Team.path)
    ):
        depth = path.count("/") - 2
        if depth in DEPTHS:
            figures.append(
                _percent(
                    f"training.team.{team_id}",
                    name,
                    _sum(below.get(team_id, []), name, policy.target_percent),
                    "Compliance of the staff of this part of the organisation and every team "
                    "below it with all their required courses, on the last day of the period.",
                    link,
                    DEPTHS[depth],
                )
            )
    return figures


def training_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The training section of the IG report for ``period``."""
    policy: TrainingPolicy = policies.training
    headline_code = next(iter(policy.courses))
    found = _counts(session, policy, period, [headline_code] if period.headline_only else None)
    target = policy.target_percent
    per_course = {
        code: _sum([c for (_t, k), c in found.items() if k == code], course.title, target)
        for code, course in policy.courses.items()
    }
    figures = [
        Figure(
            HEADLINE,
            f"Staff compliant with {policy.courses[headline_code].title.lower()} training",
            per_course[headline_code].percent,
            "Staff who must take the course and had completed it in date on the last day of "
            "the period, as a percentage of those completed or overdue (exempt staff and new "
            "starters still within their allowance are left out): the DSPT's measure.",
            unit="percent",
            target=target,
            counts_people=False,
            **_on_end(period),
        )
    ]
    if period.headline_only:
        return Section("training", "Training", tuple(figures), headline=(HEADLINE,))
    figures += _breakdown(session, policy, found, per_course, period)
    return Section("training", "Training", tuple(figures), headline=(HEADLINE,))


def _breakdown(
    session: Session,
    policy: TrainingPolicy,
    found: dict[TeamCourse, dict[Status, int]],
    per_course: dict[str, Counts],
    period: ReportPeriod,
) -> list[Figure]:
    """All courses together, each course, and each directorate and team below it."""
    link = _on_end(period)
    every = overall(list(per_course.values()), "All courses", policy.target_percent)
    return [
        _percent(
            "training.compliance",
            "Compliance with all required courses",
            every,
            "Required (person, course) pairs completed and in date on the last day of the "
            "period, as a percentage of those completed or overdue.",
            link,
        ),
        Figure(
            "training.overdue",
            "Required courses overdue",
            every.n_overdue,
            "Required (person, course) pairs not completed, or expired, by the last day of "
            "the period.",
            **_overdue_on_end(period),
        ),
        *(
            _percent(
                f"training.course.{code}",
                f"{code}: {counts.label}",
                counts,
                "Compliance with this course on the last day of the period (as for all courses).",
                link,
                "By course",
            )
            for code, counts in per_course.items()
        ),
        *_teams(session, policy, found, link),
    ]

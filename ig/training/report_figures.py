"""The training section of the IG report: compliance at the end of the period.

Figures are taken on the period's last day from ``figures.course_figures`` and
``figures.team_figures`` (a few aggregate queries whatever the number of staff), on the
basis the report asks for: "as recorded then" counts the completions ig held at the end
of that day, "as now known" also those recorded since and dated on or before it.
(A separate module from figures.py, whose own Figure is the training pages' figure.)
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ig.feature import Figure, ReportPeriod, Section
from ig.policies import Policies
from ig.training.figures import course_figures, overall, team_figures
from ig.training.policy import TrainingPolicy
from ig.training.rules import Basis

# Directorates and the services or teams directly below them: a board paper's depth.
DEPTHS = {0: "By directorate", 1: "By service or team"}
TEAMS_SHOWN = 500


def _teams(session: Session, policy: TrainingPolicy, day: dt.date, basis: Basis) -> list[Figure]:
    """Each directorate's figure and that of each service or team directly below it."""
    page = team_figures(session, policy, day, per_page=TEAMS_SHOWN, basis=basis)
    return [
        Figure(
            f"training.team.{team.team_id}",
            team.name,
            team.figure.percent,
            "Compliance of the staff of this part of the organisation and every team below "
            "it, on the last day of the period.",
            unit="percent",
            group=DEPTHS[team.depth],
            target=policy.target_percent,
            counts_people=False,
        )
        for team in page.rows
        if team.depth in DEPTHS
    ]


def training_section(session: Session, policies: Policies, period: ReportPeriod) -> Section:
    """The training section of the IG report for ``period``."""
    policy: TrainingPolicy = policies.training
    basis = Basis.AS_NOW_KNOWN if period.recorded_by is None else Basis.AS_RECORDED
    day = period.end
    args = {"on": [day.day, day.month, day.year]}
    courses = course_figures(session, policy, day, basis=basis)
    total = overall(courses, "All courses", policy.target_percent)
    figures = [
        Figure(
            "training.compliance",
            "Staff compliant with their required training",
            total.percent,
            "Required (person, course) pairs completed and in date on the last day of the "
            "period, as a percentage of those completed or overdue (exempt staff and new "
            "starters still within their allowance are left out).",
            unit="percent",
            target=policy.target_percent,
            counts_people=False,
            endpoint="training.organisation",
            args=args,
            permission="training.view_all",
        ),
        Figure(
            "training.overdue",
            "Required courses overdue",
            total.n_overdue,
            "Required (person, course) pairs not completed, or expired, by the last day of "
            "the period.",
        ),
    ]
    for index, course in enumerate(courses):
        figures.append(
            Figure(
                f"training.course.{index}",
                course.label,
                course.percent,
                "Compliance with this course on the last day of the period (as for all courses).",
                unit="percent",
                group="By course",
                target=policy.target_percent,
                counts_people=False,
            )
        )
    figures.extend(_teams(session, policy, day, basis))
    return Section("training", "Training", tuple(figures), headline=("training.compliance",))

"""The IG team's incident tasks on the home page: it is told of every new report at once,
and of every breach past a 72-hour deadline, whatever its grading."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import utcnow
from ig.feature import Task
from ig.incidents import home_counts

OVERDUE = {"overdue": "y"}


def overdue_tasks(session: Session, now: dt.datetime) -> list[Task]:
    """One task for each thing that breaches past their 72-hour deadline still wait on."""
    counts = home_counts.count_overdue_by_reason(session, now)
    wanted = [
        (
            counts.ungraded,
            "Grade breaches: 72-hour deadline passed, not yet graded",
            "The ICO deadline runs from awareness whatever the grading",
        ),
        (
            counts.unconfirmed,
            "Confirm gradings: 72-hour deadline passed, not yet confirmed",
            "Graded below the ICO threshold and waiting for the SIRO or a Caldicott Guardian",
        ),
        (
            counts.ico,
            "Notify the ICO: 72-hour deadline passed",
            "Notifiable breaches past the deadline without an ICO notification",
        ),
        (
            counts.dhsc,
            "Notify DHSC / NHS England: 72-hour deadline passed",
            "Serious breaches past the deadline without a DSPT incident report",
        ),
    ]
    return [
        Task(title, "incidents.index", OVERDUE, detail, count, is_overdue=True)
        for count, title, detail in wanted
        if count
    ]


def incident_tasks(session: Session, actor: Actor) -> list[Task]:
    """New reports to triage, breaches past a 72-hour deadline, gradings to confirm."""
    tasks = []
    if actor.can("incidents.manage"):
        tasks.extend(overdue_tasks(session, utcnow()))  # first: nothing overdue is missed
        new = home_counts.count_untriaged(session)
        if new:
            tasks.append(
                Task(
                    "Triage new incident reports",
                    "incidents.index",
                    {"status": "reported"},
                    "Reported by staff and not yet triaged",
                    new,
                )
            )
    if actor.can("incidents.grade_confirm"):
        waiting = home_counts.count_awaiting_confirmation(session)
        if waiting:
            tasks.append(
                Task(
                    "Confirm incident gradings",
                    "incidents.index",
                    {},
                    "Gradings proposed by the IG officer, waiting for confirmation",
                    waiting,
                )
            )
    return tasks

"""The IG team's incident tasks on the home page: it is told of every new report at once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.db import utcnow
from ig.home.service import Task, task_source
from ig.incidents import register


@task_source
def incident_tasks(session: Session, actor: Actor) -> list[Task]:
    """New reports to triage, overdue ICO deadlines, gradings waiting for confirmation."""
    tasks = []
    if actor.can("incidents.manage"):
        new = register.count_untriaged(session)
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
        overdue = register.count_overdue(session, utcnow())
        if overdue:
            tasks.append(
                Task(
                    "Notify the ICO: 72-hour deadline passed",
                    "incidents.index",
                    {"overdue": "y"},
                    "Notifiable incidents past the deadline without a notification",
                    overdue,
                )
            )
    if actor.can("incidents.grade_confirm"):
        waiting = register.count_awaiting_confirmation(session)
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

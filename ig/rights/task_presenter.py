"""Ready-to-show values for the search tasks: the asset's name, the state, the answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ig.assets.lookup import asset_names
from ig.rights.models import Removal, RightsTask, TaskStatus
from ig.rights.policy import RightsPolicy


@dataclass(frozen=True)
class TaskRow:
    task: RightsTask
    asset_name: str
    state: str
    tag: str
    answer: str  # what was found and done, "" while open
    is_overdue: bool


def _uk(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def answer_of(task: RightsTask, policy: RightsPolicy) -> str:
    """The owner's answer in a sentence or two; "" while the task is open."""
    if task.status is TaskStatus.OPEN:
        return ""
    found = "Found" if task.is_found else "Not found"
    parts = [f"{found}: {task.findings}"]
    if task.removal is Removal.KEPT:
        exemption = policy.exemptions.get(task.exemption_key or "")
        label = exemption.label if exemption else task.exemption_key
        parts.append(f"Kept ({label}): {task.kept_reason}")
    elif task.removal is not None and task.removed_on is not None:
        parts.append(f"{task.removal.value.capitalize()} on {_uk(task.removed_on)}")
    return ". ".join(parts)


def task_rows(
    session: Session, tasks: list[RightsTask], policy: RightsPolicy, today: dt.date
) -> list[TaskRow]:
    """Rows for ``tasks``, with their assets' names in one query."""
    names = asset_names(session, [task.asset_id for task in tasks])
    rows = []
    for task in tasks:
        is_open = task.status is TaskStatus.OPEN
        overdue = is_open and task.request.due_on < today
        state, tag = (
            ("Overdue", "govuk-tag--red")
            if overdue
            else ("Open", "govuk-tag--blue")
            if is_open
            else ("Recorded", "govuk-tag--green")
        )
        name = names.get(task.asset_id, f"Asset {task.asset_id}")
        rows.append(TaskRow(task, name, state, tag, answer_of(task, policy), overdue))
    return rows

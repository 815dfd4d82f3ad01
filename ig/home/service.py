"""Each person's own tasks, gathered from the features that have work for them."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.feature import Task, TaskSource


def list_tasks(session: Session, actor: Actor, sources: Iterable[TaskSource]) -> list[Task]:
    """Every task for ``actor`` from each of ``sources``: those whose deadline has passed
    first, the most urgent work on the page, then the rest; each in the sources' order."""
    tasks = [task for source in sources for task in source(session, actor)]
    return sorted(tasks, key=lambda task: not task.is_overdue)  # stable: keeps the order

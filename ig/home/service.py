"""Each person's own tasks, gathered from the features that have work for them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from ig.auth.rules import Actor


@dataclass(frozen=True)
class Task:
    """Something the person should do, with where to do it."""

    title: str
    endpoint: str
    args: dict[str, Any] = field(default_factory=dict)
    detail: str = ""
    count: int | None = None
    is_overdue: bool = False  # a deadline has passed: shown first in its feature, in red


# Each feature registers a function that returns the actor's tasks from that feature.
TaskSource = Callable[[Session, Actor], list[Task]]
TASK_SOURCES: list[TaskSource] = []


def task_source(source: TaskSource) -> TaskSource:
    """Register a feature's task source."""
    TASK_SOURCES.append(source)
    return source


def list_tasks(session: Session, actor: Actor) -> list[Task]:
    """Every task for ``actor`` across the features, in registration order."""
    return [task for source in TASK_SOURCES for task in source(session, actor)]

"""Home-page task: the contracts a person owns that are flagged."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.auth.rules import Actor
from ig.contracts.models import ProcessorContract
from ig.contracts.rules import ending_soon_from
from ig.db import london_today
from ig.feature import Task


def contract_tasks(session: Session, actor: Actor) -> list[Task]:
    """The actor's own contracts missing Art. 28 terms, and those ended or ending soon."""
    if actor.user_id is None:
        return []
    policy = current_app.extensions["ig.policies"].contracts
    today = london_today()
    soon = ending_soon_from(today, policy.ending_soon_days)
    end_on = ProcessorContract.end_on
    missing, ending, ended = session.execute(
        select(
            func.count().filter(ProcessorContract.missing_terms > 0, end_on >= today),
            func.count().filter(end_on >= today, end_on <= soon),
            func.count().filter(end_on < today),
        ).where(ProcessorContract.owner_user_id == actor.user_id)
    ).one()
    tasks = []
    if missing:
        tasks.append(
            Task(
                "Add the missing Art. 28 terms to your processor contracts",
                "contracts.mine",
                {},
                "They lack terms UK GDPR Art. 28(3) requires",
                missing,
                is_overdue=True,
            )
        )
    if ending or ended:
        tasks.append(
            Task(
                "Renew, replace or close your processor contracts",
                "contracts.mine",
                {},
                f"Ended, or ending within {policy.ending_soon_days} days",
                ending + ended,
                is_overdue=bool(ended),
            )
        )
    return tasks

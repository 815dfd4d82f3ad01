"""Home-page tasks: requests awaiting a line manager's approval, and approved access
awaiting the asset's owner or administrator."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ig.access.register import awaiting_approval, awaiting_keeper, count
from ig.access.rules import AccessStatus
from ig.auth.rules import Actor
from ig.feature import Task


def access_tasks(session: Session, actor: Actor) -> list[Task]:
    """The actor's access decisions to make and grants to record."""
    if actor.user_id is None:
        return []
    tasks = []
    to_approve = count(session, awaiting_approval(session, actor.user_id))
    if to_approve:
        tasks.append(
            Task(
                "Approve or decline requests for access",
                "access.approvals",
                {},
                "Your staff are waiting for access to information systems",
                to_approve,
            )
        )
    to_grant = count(session, awaiting_keeper(actor.user_id, AccessStatus.APPROVED))
    if to_grant:
        tasks.append(
            Task(
                "Grant approved access to your systems",
                "access.keeper",
                {},
                "Approved by a line manager, not yet recorded as granted",
                to_grant,
            )
        )
    return tasks

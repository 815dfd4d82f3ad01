"""Home-page tasks: requests awaiting a line manager's approval, and approved access
awaiting the asset's owner or administrator."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ig.access.recertification import to_recertify, to_remove
from ig.access.register import awaiting_approval, awaiting_keeper, count
from ig.access.rules import AccessStatus
from ig.auth.rules import Actor
from ig.db import london_today
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
    today = london_today()
    due = count(session, to_recertify(session, actor.user_id, today))
    if due:
        tasks.append(
            Task(
                "Recertify your staff's access to systems",
                "access.recertify_list",
                {},
                "Keep or remove each person's access: its recertification is due",
                due,
                is_overdue=True,
            )
        )
    removals = count(session, to_remove(actor.user_id, today))
    if removals:
        tasks.append(
            Task(
                "Remove access from your systems",
                "access.keeper",
                {},
                "Held by leavers, or their line manager asked for it to be removed",
                removals,
                is_overdue=True,
            )
        )
    return tasks

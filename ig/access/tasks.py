"""Home-page tasks: requests awaiting a line manager's decision and their staff's access
due for recertification; approved access to grant, and access to remove, for the asset's
owner or administrator."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ig.access.recertification import to_recertify, to_remove
from ig.access.register import awaiting_approval, awaiting_keeper, counts
from ig.access.rules import AccessStatus
from ig.auth.rules import Actor
from ig.db import london_today
from ig.feature import Task


def access_tasks(session: Session, actor: Actor) -> list[Task]:
    """The actor's access decisions, recertifications, grants and removals to make."""
    if actor.user_id is None:
        return []
    today, user_id = london_today(), actor.user_id
    wanted = (
        (
            awaiting_approval(session, user_id),
            ("Approve or decline requests for access", "access.approvals"),
            "Your staff are waiting for access to information systems",
            False,
        ),
        (
            to_recertify(session, user_id, today),
            ("Recertify your staff's access to systems", "access.recertify_list"),
            "Keep or remove each person's access: its recertification is due",
            True,
        ),
        (
            awaiting_keeper(user_id, AccessStatus.APPROVED),
            ("Grant approved access to your systems", "access.keeper"),
            "Approved by a line manager, not yet recorded as granted",
            False,
        ),
        (
            to_remove(user_id, today),
            ("Remove access from your systems", "access.keeper"),
            "Held by leavers, or their line manager asked for it to be removed",
            True,
        ),
    )
    found = counts(session, [where for where, *_ in wanted])
    return [
        Task(title, endpoint, {}, detail, number, is_overdue=overdue)
        for number, (_, (title, endpoint), detail, overdue) in zip(found, wanted, strict=True)
        if number
    ]

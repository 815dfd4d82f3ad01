"""Home-page tasks: requests awaiting a line manager's decision and their staff's access
due for recertification; approved access to grant, and access to remove, for the asset's
owner or administrator."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ig.access.recertification import to_recertify, to_remove
from ig.access.register import awaiting_approval, awaiting_keeper, count
from ig.access.rules import AccessStatus
from ig.assets.lookup import kept_asset_ids
from ig.auth.rules import Actor
from ig.db import london_today
from ig.feature import Task


def access_tasks(session: Session, actor: Actor) -> list[Task]:
    """The actor's access decisions, recertifications, grants and removals to make."""
    if actor.user_id is None:
        return []
    today, user_id = london_today(), actor.user_id
    wanted = [
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
    ]
    kept = kept_asset_ids(session, user_id)
    if kept:  # the keeper's tasks, for those who own or administer an asset
        wanted += [
            (
                awaiting_keeper(kept, AccessStatus.APPROVED),
                ("Grant approved access to your systems", "access.keeper"),
                "Approved by a line manager, not yet recorded as granted",
                False,
            ),
            (
                to_remove(kept, today),
                ("Remove access from your systems", "access.keeper"),
                "Held by leavers, or their line manager asked for it to be removed",
                True,
            ),
        ]
    # One count each: each condition has its own index (combined with OR into one
    # statement, PostgreSQL scanned every request instead).
    tasks = []
    for where, (title, endpoint), detail, overdue in wanted:
        found = count(session, where)
        if found:
            tasks.append(Task(title, endpoint, {}, detail, found, is_overdue=overdue))
    return tasks

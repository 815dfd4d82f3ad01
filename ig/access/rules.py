"""Access requests: their states, the moves between them, and who may make each move.

Pure functions of plain values: the service loads the people and the asset and asks
these rules, so every refusal is decided (and tested) in one place.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from collections.abc import Collection


class AccessStatus(enum.StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    GRANTED = "granted"
    REMOVED = "removed"


STATUS_LABELS = {
    AccessStatus.REQUESTED: "Awaiting approval",
    AccessStatus.APPROVED: "Approved, to grant",
    AccessStatus.DECLINED: "Declined",
    AccessStatus.GRANTED: "Granted",
    AccessStatus.REMOVED: "Removed",
}

# States move only forward: requested, then approved or declined; approved access is
# granted, and granted access is later removed. Declined and removed are final.
NEXT: dict[AccessStatus, frozenset[AccessStatus]] = {
    AccessStatus.REQUESTED: frozenset({AccessStatus.APPROVED, AccessStatus.DECLINED}),
    AccessStatus.APPROVED: frozenset({AccessStatus.GRANTED}),
    AccessStatus.DECLINED: frozenset(),
    AccessStatus.GRANTED: frozenset({AccessStatus.REMOVED}),
    AccessStatus.REMOVED: frozenset(),
}


def transition_problem(current: AccessStatus, wanted: AccessStatus) -> str | None:
    """Why ``current`` cannot move to ``wanted``, or None when it may."""
    if wanted in NEXT[current]:
        return None
    return (
        f"This request is {STATUS_LABELS[current].lower()}: it cannot be "
        f"{wanted.value} now (requests move only forward)"
    )


def approval_problem(
    approver_user_id: int | None,
    staff_user_id: int | None,
    staff_team_id: int,
    managed_team_ids: Collection[int],
) -> str | None:
    """Why this person may not approve or decline the request, or None when they may.

    Only a line manager approves: a manager of the member of staff's team or of a team
    above it (``managed_team_ids`` holds every team below the teams they manage), and
    never for their own access.
    """
    if approver_user_id is None:
        return "Sign in as the member of staff's line manager to approve access"
    if staff_user_id is not None and staff_user_id == approver_user_id:
        return "Nobody approves their own access: your line manager must approve it"
    if staff_team_id not in managed_team_ids:
        return "Only a line manager of this member of staff can approve their access"
    return None


def keeper_problem(
    user_id: int | None, owner_user_id: int, administrator_user_id: int
) -> str | None:
    """Why this person may not record access granted or removed on the asset, or None."""
    if user_id is None or user_id not in (owner_user_id, administrator_user_id):
        return "Only the asset's owner or administrator can record access granted or removed"
    return None


def date_problem(
    on: dt.date, today: dt.date, not_before: dt.date, what: str, before_what: str
) -> str | None:
    """Why ``on`` cannot be the date access was granted or removed, or None."""
    if on > today:
        return f"The date {what} cannot be in the future"
    if on < not_before:
        return f"The date {what} cannot be before {before_what} ({not_before:%-d %B %Y})"
    return None


def held_on(day: dt.date, granted_on: dt.date | None, removed_on: dt.date | None) -> bool:
    """Whether access granted on ``granted_on`` and removed on ``removed_on`` (if it was)
    was held on ``day``: from the grant's day, until the day before its removal."""
    if granted_on is None or granted_on > day:
        return False
    return removed_on is None or removed_on > day


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def recertify_by(since: dt.date, every_months: int) -> dt.date:
    """When a line manager must next recertify access granted or recertified ``since``."""
    return add_months(since, every_months)

"""Linking members of staff to their user accounts, by work e-mail address.

Most staff are not users of ig. Those who are (managers, IG officers, anyone who signs
in to see their own training) are linked to their staff record when the two share an
e-mail address, so that their own record, their role-based courses and their
reminders find them. Only an unambiguous match links: one staff record with the
address, and a user not yet linked to another record.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, and_, func, select, update
from sqlalchemy.orm import Session, aliased

from ig.audit.service import record
from ig.auth.models import User
from ig.auth.rules import Actor
from ig.people.models import Staff


def link_staff_to_users(session: Session, actor: Actor) -> int:
    """Link every unlinked member of staff whose work e-mail is exactly one user's
    address (ignoring case) to that user, in one statement; returns how many."""
    address = func.lower(Staff.work_email)
    other = aliased(Staff)
    user_id = select(User.id).where(User.email == address).correlate(Staff).scalar_subquery()
    unique_address = (
        select(func.count(other.id))
        .where(func.lower(other.work_email) == address)
        .correlate(Staff)
        .scalar_subquery()
    ) == 1
    user_is_free = ~(
        select(other.id)
        .join(User, User.id == other.user_id)
        .where(User.email == address)
        .correlate(Staff)
        .exists()
    )
    statement = (
        update(Staff)
        .where(
            Staff.user_id.is_(None),
            Staff.work_email != "",
            and_(user_id.is_not(None), unique_address, user_is_free),
        )
        .values(user_id=user_id)
        .execution_options(synchronize_session=False)
    )
    result: CursorResult[Any] = session.execute(statement)  # type: ignore[assignment]
    linked = result.rowcount or 0
    if linked:
        record(session, actor, "staff.linked_to_users", None, None, {"linked": linked})
    return linked

"""The access pages' pickers: assets by name, and a manager's own staff by name or number."""

from __future__ import annotations

from typing import cast

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from ig.assets.lookup import PICKER as ASSETS
from ig.people import pickers
from ig.people.models import Staff
from ig.people.service import managed_team_ids

__all__ = ["ASSETS", "STAFF", "staff_scope"]

# Staff in post, shown with their staff number: two colleagues may share a name.
STAFF = pickers.Kind(
    "member of staff",
    Staff.id.expression,
    Staff.name + " (" + Staff.staff_number + ")",
    (Staff.name.expression,),
    cast(ColumnElement[str | None], Staff.staff_number.expression),
    only=Staff.left_on.is_(None),
)


def staff_scope(session: Session, user_id: int | None) -> pickers.Scope:
    """The staff a manager may ask for access for: those in their teams and below."""
    return select(Staff.id).where(Staff.team_id.in_(managed_team_ids(session, user_id)))

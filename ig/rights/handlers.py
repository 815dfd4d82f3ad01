"""Who handles each request: a member of the information rights team (a user whose roles
grant rights.manage), set and changed on the request's page, each change audited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.auth.models import User, UserRole
from ig.auth.rules import Actor
from ig.errors import EditConflict, InvalidTransition, PermissionDenied, ValidationFailed
from ig.policies import RolesPolicy
from ig.rights.models import RequestStatus, RightsRequest
from ig.rights.records import get_request
from ig.rights.service import audit

HANDLER_PERMISSION = "rights.manage"


def handler_roles(roles: RolesPolicy) -> list[str]:
    """The roles whose holders may handle a request."""
    return sorted(
        name for name, role in roles.roles.items() if HANDLER_PERMISSION in role.permissions
    )


def list_handlers(session: Session, roles: RolesPolicy) -> list[User]:
    """Active users who may handle a request, by name."""
    holders = select(UserRole.user_id).where(UserRole.role.in_(handler_roles(roles)))
    query = select(User).where(User.is_active.is_(True), User.id.in_(holders))
    return list(session.scalars(query.order_by(User.name, User.id)))


def assign_handler(
    session: Session,
    actor: Actor,
    roles: RolesPolicy,
    request_id: int,
    user_id: int | None,
    now: dt.datetime,
    version: int | None = None,
) -> RightsRequest:
    """Make ``user_id`` the request's handler (None: no one).

    Raises PermissionDenied (no rights.manage), NotFound, EditConflict,
    InvalidTransition (closed), ValidationFailed (handler: not someone who may handle it).
    """
    if not actor.can(HANDLER_PERMISSION) or actor.user_id is None:
        raise PermissionDenied("Only the information rights team can assign a request")
    item = get_request(session, request_id)
    if version is not None and version != item.version:
        raise EditConflict()
    if item.status is RequestStatus.CLOSED:
        raise InvalidTransition("This request is closed: its handler cannot change")
    if user_id is not None and user_id not in {u.id for u in list_handlers(session, roles)}:
        raise ValidationFailed(
            "handler", "Choose someone in the information rights team who can manage requests"
        )
    if user_id == item.handler_user_id:
        raise ValidationFailed("handler", "They already handle this request")
    before = item.handler_user_id
    item.handler_user_id = user_id
    session.flush()
    session.refresh(item, ["handler"])
    audit(session, actor, "handler_changed", item, now, before=before, after=user_id)
    return item

"""User administration: listing accounts, changing roles, disabling, resetting passwords."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from ig.audit.service import Page, record
from ig.auth import rules, tokens
from ig.auth.models import RecoveryCode, User, UserRole
from ig.auth.rules import Actor
from ig.auth.service import check_roles, end_all_sessions, hash_password
from ig.db import check_version
from ig.errors import PermissionDenied, ValidationFailed
from ig.policies import Policies

# The permission that lets someone administer users; nobody may take it from themselves,
# so that the last administrator cannot lock everyone out by accident.
MANAGE = "users.manage"


def list_users(session: Session, search: str = "", page: int = 1, per_page: int = 25) -> Page:
    """Users whose e-mail or name contains ``search``, by e-mail, one page at a time."""
    query = select(User)
    if search.strip():
        pattern = f"%{_escape_like(search.strip().casefold())}%"
        query = query.where(
            or_(
                User.email.like(pattern, escape="\\"),
                func.lower(User.name).like(pattern, escape="\\"),
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, page)
    rows = session.scalars(query.order_by(User.email).limit(per_page).offset((page - 1) * per_page))
    return Page(list(rows), page, per_page, total)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def update_user(
    session: Session,
    actor: Actor,
    policies: Policies,
    user: User,
    version: int,
    name: str,
    roles: Iterable[str],
    now: dt.datetime,
) -> None:
    """Change ``user``'s name and roles, as loaded at ``version``.

    Raises EditConflict if someone saved the user since, ValidationFailed on a bad
    name or role, PermissionDenied if an administrator would remove their own right
    to manage users. Audits the old and new roles.
    """
    check_version(user, version)
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationFailed("name", "Enter a name of 1 to 200 characters")
    new_roles = check_roles(policies, roles)
    old_roles = sorted(user.role_names)
    if actor.user_id == user.id and MANAGE not in policies.roles.permissions_of(new_roles):
        raise PermissionDenied("You cannot remove your own right to manage users")
    renamed = name != user.name
    if renamed:
        user.name = name
    if new_roles != old_roles:
        user.roles = [role for role in user.roles if role.role in new_roles] + [
            UserRole(role=role) for role in new_roles if role not in old_roles
        ]
        user.updated_at = now  # the version must move even when only the roles changed
    # Changes first, audit entries after: record() flushes, so the row is written once.
    if renamed:
        record(session, actor, "user.renamed", "user", user.id, at=now)
    if new_roles != old_roles:
        record(
            session,
            actor,
            "user.roles_changed",
            "user",
            user.id,
            {"from": old_roles, "to": new_roles},
            at=now,
        )
    session.flush()


def set_active(
    session: Session, actor: Actor, user: User, version: int, is_active: bool, now: dt.datetime
) -> None:
    """Enable or disable an account; disabling ends every session and revokes every
    API token at once (enabling it again does not bring them back).

    Raises EditConflict on a stale ``version`` and PermissionDenied for one's own account.
    """
    check_version(user, version)
    if actor.user_id == user.id and not is_active:
        raise PermissionDenied("You cannot disable your own account")
    if user.is_active == is_active:
        return
    user.is_active = is_active
    record(
        session, actor, "user.enabled" if is_active else "user.disabled", "user", user.id, at=now
    )
    if not is_active:
        end_all_sessions(session, actor, user, now, "account disabled")
        tokens.revoke_all_tokens(session, actor, user, now, tokens.Revoked.ACCOUNT_DISABLED)
    session.flush()


def reset_password(
    session: Session,
    actor: Actor,
    policies: Policies,
    user: User,
    version: int,
    password: str,
    now: dt.datetime,
) -> None:
    """Set a new password chosen by an administrator; end every session of ``user`` and
    revoke every API token they have.

    Raises EditConflict on a stale ``version``, ValidationFailed on a weak password.
    """
    check_version(user, version)
    rules.check_password(policies.security, password, (user.email, user.name))
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    record(session, actor, "user.password_reset", "user", user.id, at=now)
    end_all_sessions(session, actor, user, now, "password reset")
    tokens.revoke_all_tokens(session, actor, user, now, tokens.Revoked.CREDENTIAL_RESET)


def reset_two_factor(
    session: Session, actor: Actor, user: User, version: int, now: dt.datetime
) -> None:
    """Turn off ``user``'s two-factor set-up (a lost phone) and end their sessions.

    Their role may still require two-factor: they then set it up again at next sign-in.
    """
    check_version(user, version)
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record(session, actor, "two_factor.reset", "user", user.id, at=now)
    end_all_sessions(session, actor, user, now, "two-factor reset")

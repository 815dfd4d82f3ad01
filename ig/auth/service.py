"""Accounts and sign-in: creating users, checking passwords, throttling, sessions."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ig.audit.service import record
from ig.auth import rules, throttle, tokens
from ig.auth.models import User, UserRole, UserSession
from ig.auth.rules import SYSTEM, Actor
from ig.errors import DomainError, NotFound, ValidationFailed
from ig.feature import Task
from ig.people.accounts import link_staff_to_users
from ig.policies import Policies

# argon2id with the library's defaults (RFC 9106's second recommended option).
_hasher = PasswordHasher()
# Verified against when the account does not exist, so both cases take as long.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
SIGN_IN_REFUSED = "Enter a correct e-mail address and password"
THROTTLED = (
    "There have been too many attempts to sign in. Wait 5 minutes and try again, "
    "or ask an administrator to help"
)


class SignInRefused(DomainError):
    """Sign-in failed; the message is the same whether or not the account exists."""

    status = 401


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().casefold()))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user")
    return user


def create_user(
    session: Session,
    actor: Actor,
    policies: Policies,
    email: str,
    name: str,
    password: str,
    roles: Iterable[str],
) -> User:
    """Create a user with ``roles``; ValidationFailed on a bad e-mail, role or password.

    A member of staff with the same work e-mail is linked to the new account."""
    email = email.strip().casefold()
    rules.check_email(email)
    role_list = check_roles(policies, roles)
    if find_user_by_email(session, email) is not None:
        raise ValidationFailed("email", "A user with this e-mail address already exists")
    rules.check_password(policies.security, password, (email, name))
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        roles=[UserRole(role=role) for role in role_list],
    )
    session.add(user)
    session.flush()
    record(session, actor, "user.created", "user", user.id, {"roles": role_list})
    link_staff_to_users(session, actor)
    return user


def check_roles(policies: Policies, roles: Iterable[str]) -> list[str]:
    """The roles, sorted; ValidationFailed if none is given or one is not in roles.toml."""
    role_list = sorted(set(roles))
    if not role_list or any(role not in policies.roles.roles for role in role_list):
        known = ", ".join(policies.roles.roles)
        raise ValidationFailed("roles", f"Choose one or more roles from: {known}")
    return role_list


def authenticate(
    session: Session, policies: Policies, email: str, password: str, address: str, now: dt.datetime
) -> User:
    """Check an e-mail and password, throttled per account and per address.

    Raises SignInRefused with one message for a wrong password, an unknown account and
    a disabled one, so the answer reveals nothing; a throttled attempt is refused
    before the password is even checked (NCSC: limit guesses to about 10 in 5 minutes).
    Failures are written to the database (and the audit trail), so the caller must
    commit even when this raises.
    """
    if throttle.is_throttled(session, policies, email, address, now):
        record(session, SYSTEM, "login.throttled", detail={"address": address}, at=now)
        raise SignInRefused(THROTTLED)
    user = find_user_by_email(session, email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        valid = user is not None and user.is_active
    except (VerificationError, InvalidHashError):
        valid = False
    if not valid or user is None:
        throttle.count_failure(session, email, address, now)
        record(
            session,
            SYSTEM,
            "login.failed",
            "user",
            user.id if user else None,
            {"address": address},
            at=now,
        )
        raise SignInRefused(SIGN_IN_REFUSED)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


@dataclass(frozen=True)
class NewSession:
    token: str
    row: UserSession


def start_session(session: Session, user: User, user_agent: str, now: dt.datetime) -> NewSession:
    """Open a server-side session for ``user`` and audit the sign-in; returns the raw token."""
    token = secrets.token_urlsafe(32)
    row = UserSession(
        token_hash=_sha256(token),
        user_id=user.id,
        created_at=now,
        last_seen_at=now,
        user_agent=user_agent[:300],
    )
    session.add(row)
    session.flush()
    record(session, actor_for(user, None), "login", "user", user.id, at=now)
    return NewSession(token, row)


def load_session(
    session: Session, policies: Policies, token: str, now: dt.datetime
) -> UserSession | None:
    """The live session for ``token``, or None if unknown, revoked, idle or too old.

    One statement, every request: the session, its user and the user's roles together.
    """
    query = (
        select(UserSession)
        .where(UserSession.token_hash == _sha256(token))
        .options(joinedload(UserSession.user).joinedload(User.roles))
    )
    row = session.scalars(query).unique().one_or_none()
    if row is None or row.revoked_at is not None or not row.user.is_active:
        return None
    policy = policies.security
    if now - row.last_seen_at > dt.timedelta(minutes=policy.session_idle_minutes):
        return None
    if now - row.created_at > dt.timedelta(hours=policy.session_absolute_hours):
        return None
    return row


def touch_session(session: Session, row: UserSession, now: dt.datetime) -> bool:
    """Record activity at most once a minute; True if the row changed."""
    if now - row.last_seen_at < dt.timedelta(minutes=1):
        return False
    row.last_seen_at = now
    session.flush()
    return True


def end_session(session: Session, row: UserSession, now: dt.datetime) -> None:
    """Sign out this browser."""
    row.revoked_at = now
    record(session, actor_for(row.user, None), "logout", "user", row.user_id, at=now)
    session.flush()


def end_all_sessions(
    session: Session, actor: Actor, user: User, now: dt.datetime, reason: str
) -> int:
    """Revoke every live session of ``user``; returns how many ended."""
    rows = session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
    ).all()
    for row in rows:  # a handful per user; loading them keeps objects in the session current
        row.revoked_at = now
    record(session, actor, "sessions.revoked", "user", user.id, {"reason": reason}, at=now)
    session.flush()
    return len(rows)


def change_password(
    session: Session,
    actor: Actor,
    policies: Policies,
    user: User,
    current: str,
    new: str,
    now: dt.datetime,
) -> None:
    """Change ``user``'s own password, end every session and revoke every API token."""
    try:
        _hasher.verify(user.password_hash, current)
    except (VerificationError, InvalidHashError):
        raise ValidationFailed("current_password", "Your current password is not correct") from None
    rules.check_password(policies.security, new, (user.email, user.name))
    user.password_hash = hash_password(new)
    user.password_changed_at = now
    record(session, actor, "user.password_changed", "user", user.id, at=now)
    end_all_sessions(session, actor, user, now, "password changed")
    tokens.revoke_all_tokens(session, actor, user, now, tokens.Revoked.OWN_CREDENTIAL_CHANGED)


def sign_out_everywhere(session: Session, actor: Actor, user: User, now: dt.datetime) -> None:
    """End every session of ``user`` and revoke every API token they have."""
    end_all_sessions(session, actor, user, now, "signed out everywhere")
    tokens.revoke_all_tokens(session, actor, user, now, tokens.Revoked.SIGNED_OUT_EVERYWHERE)


def actor_for(user: User, policies: Policies | None) -> Actor:
    """The Actor for ``user``: their roles and, given policies, their permissions."""
    permissions = policies.roles.permissions_of(user.role_names) if policies else frozenset()
    return Actor(user_id=user.id, label=user.email, roles=user.role_names, permissions=permissions)


def requires_two_factor(policies: Policies, user: User) -> bool:
    """Whether policy makes two-factor compulsory for ``user``."""
    if policies.security.totp_required_for_everyone:
        return True
    return any(
        policies.roles.roles[name].requires_two_factor
        for name in user.role_names
        if name in policies.roles.roles
    )


def list_sessions(session: Session, user: User) -> list[UserSession]:
    """``user``'s sessions that have not been revoked, newest first."""
    return list(
        session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
            .order_by(UserSession.last_seen_at.desc())
        )
    )


def account_tasks(session: Session, actor: Actor) -> list[Task]:
    """Remind a user without two-factor authentication to turn it on."""
    user = session.get(User, actor.user_id) if actor.user_id else None
    if user is None or user.has_totp:
        return []
    return [
        Task(
            "Turn on two-factor authentication",
            "auth.enrol",
            detail="It protects your account if your password is ever stolen.",
        )
    ]


# Added for the Caldicott decision log's sign-off, which asks the signer to confirm
# who they are again before a decision is signed.
def verify_password(user: User, password: str) -> bool:
    """Whether ``password`` is ``user``'s current password (re-authentication only).

    Unlike ``authenticate`` it neither throttles nor records anything: the caller is
    already signed in and audits a failure itself.
    """
    try:
        return bool(_hasher.verify(user.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False

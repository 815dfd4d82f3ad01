"""API tokens: created for a user, shown once, stored hashed, expiring, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ig.audit.service import record
from ig.auth.models import ApiToken, User
from ig.auth.rules import Actor
from ig.errors import NotFound, ValidationFailed
from ig.policies import DEFAULT_API_TOKEN_MAX_DAYS

PREFIX = "igt_"
# What a token may do: read-only tokens (Power BI and other reporting tools) are
# refused anything but GET and HEAD anywhere in the API.
READ_ONLY = "read-only"
READ_WRITE = "read-write"
SCOPES = (READ_ONLY, READ_WRITE)
# Last use is written at most this often per token, not on every request.
LAST_USED_EVERY = dt.timedelta(minutes=1)


class Revoked(StrEnum):
    """Why a token was revoked, as the audit trail and the owner's account page say it."""

    BY_OWNER = "revoked by its owner"
    BY_ADMINISTRATOR = "revoked by an administrator"
    OWN_CREDENTIAL_CHANGED = "password changed"
    CREDENTIAL_RESET = "password reset"
    SIGNED_OUT_EVERYWHERE = "signed out everywhere"
    ACCOUNT_DISABLED = "account disabled"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session,
    actor: Actor,
    user: User,
    name: str,
    now: dt.datetime,
    *,
    days: int | None = None,
    max_days: int = DEFAULT_API_TOKEN_MAX_DAYS,
    scope: str = READ_WRITE,
) -> tuple[ApiToken, str]:
    """Create a token for ``user`` lasting ``days`` (``max_days``, the policy's maximum,
    if not given); returns the row and the raw token, which is never stored.

    ValidationFailed on a bad name, a lifetime outside 1 to ``max_days`` days, a scope
    other than read-only or read-write, or a disabled account.
    """
    if scope not in SCOPES:
        raise ValidationFailed("scope", "A token is read-only or read-write")
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed("name", "Give the token a name of 1 to 100 characters")
    lifetime = max_days if days is None else days
    if lifetime < 1:
        raise ValidationFailed("days", "A token must last at least 1 day")
    if lifetime > max_days:
        raise ValidationFailed("days", f"A token can last at most {max_days} days")
    if not user.is_active:
        raise ValidationFailed("email", "That account is disabled")
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        prefix=raw[:12],
        token_hash=_hash(raw),
        created_at=now,
        expires_at=now + dt.timedelta(days=lifetime),
        scope=scope,
    )
    session.add(token)
    session.flush()
    detail = {"user_id": user.id, "name": name, "scope": scope}
    expiry = {"expires_at": token.expires_at.isoformat()}
    record(session, actor, "api_token.created", "api_token", token.id, detail | expiry, at=now)
    return token, raw


@dataclass(frozen=True)
class TokenCheck:
    """What a presented token is worth: its owner if it works, else why it does not.

    ``refusal`` is "unknown" (no such token, or its owner is disabled), "revoked" or
    "expired"; ``token`` is the row when there is one.
    """

    user: User | None
    refusal: str | None = None
    token: ApiToken | None = None


def check_token(session: Session, raw: str, now: dt.datetime) -> TokenCheck:
    """Look ``raw`` up; a live token's last use is recorded (at most once a minute)."""
    if not raw.startswith(PREFIX):
        return TokenCheck(None, "unknown")
    query = (
        select(ApiToken)
        .where(ApiToken.token_hash == _hash(raw))
        .options(joinedload(ApiToken.user).joinedload(User.roles))  # one statement
    )
    token = session.scalars(query).unique().one_or_none()
    if token is None or not token.user.is_active:
        return TokenCheck(None, "unknown")
    state = token.state_at(now)
    if state != "live":
        return TokenCheck(None, state, token)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        token.last_used_at = now
        session.flush()
    return TokenCheck(token.user, None, token)


def find_user_by_token(session: Session, raw: str, now: dt.datetime) -> User | None:
    """The active owner of a live token, or None; records when the token was last used."""
    return check_token(session, raw, now).user


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """``user``'s tokens, live, expired and revoked, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def _revoke(
    session: Session, actor: Actor, token: ApiToken, now: dt.datetime, reason: Revoked
) -> None:
    token.revoked_at = now
    token.revoked_reason = reason.value
    record(
        session,
        actor,
        "api_token.revoked",
        "api_token",
        token.id,
        {"user_id": token.user_id, "reason": reason.value},
        at=now,
    )


def revoke_token(
    session: Session, actor: Actor, token_id: int, now: dt.datetime, *, owner: User | None = None
) -> ApiToken:
    """Revoke a token at once; revoking one already revoked changes nothing.

    With ``owner``, only that user's token may be revoked: anyone else's is NotFound,
    so the answer does not reveal that it exists.
    """
    token = session.get(ApiToken, token_id)
    if token is None or (owner is not None and token.user_id != owner.id):
        raise NotFound("No such token")
    if token.revoked_at is None:
        reason = Revoked.BY_OWNER if owner is not None else Revoked.BY_ADMINISTRATOR
        _revoke(session, actor, token, now, reason)
        session.flush()
    return token


def revoke_all_tokens(
    session: Session, actor: Actor, user: User, now: dt.datetime, reason: Revoked
) -> int:
    """Revoke every token of ``user`` that still works, each audited with ``reason``.

    Returns how many were revoked; expired and already revoked tokens are left as they are.
    """
    live = session.scalars(
        select(ApiToken).where(
            ApiToken.user_id == user.id,
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > now,
        )
    ).all()
    for token in live:
        _revoke(session, actor, token, now, reason)
    session.flush()
    return len(live)

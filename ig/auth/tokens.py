"""API tokens: created for a user, shown once, stored hashed, revocable."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.models import ApiToken, User
from ig.auth.rules import Actor
from ig.errors import NotFound, ValidationFailed

PREFIX = "igt_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session, actor: Actor, user: User, name: str, now: dt.datetime
) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the row and the raw token, which is never stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed("name", "Give the token a name of 1 to 100 characters")
    if not user.is_active:
        raise ValidationFailed("email", "That account is disabled")
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id, name=name, prefix=raw[:12], token_hash=_hash(raw), created_at=now
    )
    session.add(token)
    session.flush()
    record(
        session,
        actor,
        "api_token.created",
        "api_token",
        token.id,
        {"user_id": user.id, "name": name},
        at=now,
    )
    return token, raw


def find_user_by_token(session: Session, raw: str, now: dt.datetime) -> User | None:
    """The active owner of a live token, or None; records when the token was last used."""
    if not raw.startswith(PREFIX):
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(raw)))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        token.last_used_at = now
        session.flush()
    return token.user


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    """``user``'s tokens, live and revoked, newest first."""
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
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
        token.revoked_at = now
        record(
            session,
            actor,
            "api_token.revoked",
            "api_token",
            token.id,
            {"user_id": token.user_id},
            at=now,
        )
        session.flush()
    return token

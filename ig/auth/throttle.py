"""Throttling guesses at passwords and codes, counted in the database across workers.

The NCSC's password guidance asks for a limit on guesses (about 10 in 5 minutes)
rather than lock-outs or complexity rules; the limits live in policies/security.toml.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.auth.models import LoginAttempt
from ig.crypto import get_keyring
from ig.policies import Policies


def account_key(email: str) -> str:
    """A keyed hash of a normalised e-mail address, for counting failures per account."""
    normalised = email.strip().casefold()
    return hmac.new(
        get_keyring().index_key, b"login\x00" + normalised.encode(), "sha256"
    ).hexdigest()


def _too_many(session: Session, column: Any, value: str, since: dt.datetime, limit: int) -> bool:
    count = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(column == value, LoginAttempt.at > since)
    )
    return (count or 0) >= limit


def is_throttled(
    session: Session, policies: Policies, email: str, address: str, now: dt.datetime
) -> bool:
    """Whether the account or the address has had too many failures within the window."""
    policy = policies.security
    since = now - dt.timedelta(minutes=policy.login_window_minutes)
    return _too_many(
        session,
        LoginAttempt.account_key,
        account_key(email),
        since,
        policy.login_max_failures_per_account,
    ) or _too_many(
        session, LoginAttempt.address, address, since, policy.login_max_failures_per_address
    )


def count_failure(session: Session, email: str, address: str, now: dt.datetime) -> None:
    """Count a failed guess (password or second factor) against the account and address."""
    session.add(LoginAttempt(at=now, account_key=account_key(email), address=address[:64]))
    session.flush()

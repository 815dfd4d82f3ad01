"""Small helpers shared by the auth, web and API tests."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.audit.models import AuditEntry
from ig.auth import service
from ig.auth.models import LoginAttempt
from ig.auth.throttle import account_key
from tests import factories

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def audit_mark(db: Session) -> int:
    """The sequence number of the latest audit entry, to look only at what follows."""
    return db.scalar(select(func.max(AuditEntry.seq))) or 0


def actions(db: Session, record_id: object | None = None, after: int = 0) -> list[str]:
    """The audit actions recorded (for one record if given, after a mark), oldest first."""
    query = select(AuditEntry.action).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
    if record_id is not None:
        query = query.where(AuditEntry.record_id == str(record_id))
    return list(db.scalars(query))


def count_attempts(db: Session, email: str) -> int:
    """Failed guesses counted against the account ``email``."""
    key = account_key(email)
    return db.scalar(select(func.count()).where(LoginAttempt.account_key == key)) or 0


def without_tokens(html: bytes, *values: str) -> str:
    """``html`` with the CSRF token and the given values blanked, for comparing pages."""
    text = re.sub(r'name="csrf_token"[^>]*value="[^"]*"', 'name="csrf_token"', html.decode())
    text = re.sub(r'value="[^"]*"([^>]*name="csrf_token")', r"\1", text)
    for value in values:
        text = text.replace(value, "VALUE")
    return text


@pytest.fixture
def login_as(login_as: Callable[..., Any], db: Session) -> Callable[..., Any]:
    """The shared ``login_as``, committed (into the test's outer transaction).

    A request that does not commit closes the session at teardown, which rolls back
    to the last commit: without this, the signed-in user would vanish after the first
    request that changes nothing.
    """

    def login(*roles: str, **kwargs: Any) -> Any:
        user = login_as(*roles, **kwargs)
        db.commit()
        return user

    return login


# argon2id as production runs it is deliberately slow (hundreds of milliseconds on a
# busy machine); tests that sign in dozens of times use a cheap profile instead.
# test_service checks the production parameters themselves.
PRODUCTION_HASHER = service._hasher
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
FAST_PASSWORD_HASH = FAST_HASHER.hash(factories.PASSWORD)


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "_hasher", FAST_HASHER)
    monkeypatch.setattr(service, "_DUMMY_HASH", FAST_HASHER.hash("not anyone's password"))
    monkeypatch.setattr(factories, "PASSWORD_HASH", FAST_PASSWORD_HASH)

"""Factory functions for test records: small, explicit, with sensible defaults."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from ig.auth.models import User, UserRole

PASSWORD = "a long test passphrase 42"
# Hashed once: argon2 is deliberately slow, and most tests only need a valid hash.
PASSWORD_HASH = PasswordHasher().hash(PASSWORD)
_sequence = itertools.count(1)


def make_user(
    db: Session,
    roles: Iterable[str] = ("staff",),
    email: str | None = None,
    name: str | None = None,
    **fields: Any,
) -> User:
    number = next(_sequence)
    user = User(
        email=email or f"user{number}@example.org",
        name=name or f"Test User {number}",
        password_hash=PASSWORD_HASH,
        roles=[UserRole(role=role) for role in roles],
        **fields,
    )
    db.add(user)
    db.flush()
    return user

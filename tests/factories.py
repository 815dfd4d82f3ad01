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


def make_team(db: Session, name: str | None = None, parent: Any = None, kind: str = "team") -> Any:
    """A team under ``parent`` (or at the top), with its materialised path set."""
    from ig.people.models import Team, TeamKind

    team = Team(name=name or f"Team {next(_sequence)}", kind=TeamKind(kind), path="/")
    team.parent_id = parent.id if parent is not None else None
    db.add(team)
    db.flush()
    team.path = f"{parent.path if parent is not None else '/'}{team.id}/"
    db.flush()
    return team


def make_staff(db: Session, team: Any = None, **fields: Any) -> Any:
    """A member of staff in ``team`` (a new team if none), in post since 2020."""
    import datetime as dt

    from ig.people.models import Staff

    number = next(_sequence)
    staff = Staff(
        staff_number=fields.pop("staff_number", f"S{number:06d}"),
        name=fields.pop("name", f"Staff Member {number}"),
        team_id=(team or make_team(db)).id,
        started_on=fields.pop("started_on", dt.date(2020, 1, 6)),
        **fields,
    )
    db.add(staff)
    db.flush()
    return staff


def make_completion(
    db: Session, staff: Any, course_code: str, completed_on: Any, **fields: Any
) -> Any:
    """A completion recorded (by default) at noon UTC on the day it was completed."""
    import datetime as dt

    from ig.training.models import Completion, CompletionSource

    completion = Completion(
        staff_id=staff.id,
        course_code=course_code,
        completed_on=completed_on,
        source=fields.pop("source", CompletionSource.MANUAL),
        recorded_at=fields.pop(
            "recorded_at", dt.datetime.combine(completed_on, dt.time(12), dt.UTC)
        ),
        **fields,
    )
    db.add(completion)
    db.flush()
    return completion

"""Demo data: a fictional London borough, Eastmere, with a user for every role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.auth.models import User
from ig.auth.rules import SYSTEM
from ig.auth.service import create_user
from ig.policies import Policies

# Demo passwords are public by design: they are printed and in the README.
DEMO_PASSWORD = "correct horse battery staple"  # noqa: S105
DEMO_USERS = [
    ("ig.officer@eastmere.example", "Priya Shah", ("ig_officer",)),
    ("guardian@eastmere.example", "Dr Helen Okafor", ("caldicott_guardian",)),
    ("deputy.guardian@eastmere.example", "Tom Berry", ("deputy_caldicott_guardian",)),
    ("siro@eastmere.example", "Margaret Lowe", ("siro",)),
    ("manager@eastmere.example", "Sam Idowu", ("manager",)),
    ("staff@eastmere.example", "Alex Morgan", ("staff",)),
    ("auditor@eastmere.example", "Ruth Penrose", ("auditor",)),
    ("admin@eastmere.example", "Kit Adeyemi", ("administrator",)),
]


def load_demo(session: Session, policies: Policies, only_if_empty: bool = False) -> bool:
    """Create the demo users and each feature's demo records; True if it loaded them.

    With ``only_if_empty``, does nothing and returns False when any user exists, so
    that ``make run`` never adds demo records to a database in use.
    """
    if only_if_empty and session.scalar(select(func.count()).select_from(User)):
        return False
    users = {}
    for email, name, roles in DEMO_USERS:
        users[email] = create_user(session, SYSTEM, policies, email, name, DEMO_PASSWORD, roles)
    _load_training(session, policies, users)
    _load_sharing(session, policies, users["ig.officer@eastmere.example"])
    _load_incidents(session, policies, users)
    _load_caldicott(session, policies, users)
    _load_notices(session, policies, users)
    _load_reminders(session, policies)
    return True


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    roles: tuple[str, ...]
    two_factor: bool  # the role makes them set up two-factor authentication at first sign-in


def demo_logins(session: Session, policies: Policies) -> list[DemoLogin]:
    """The demo users that exist in the database, in DEMO_USERS order (none if never loaded)."""
    from ig.auth.service import requires_two_factor

    emails = [email for email, _name, _roles in DEMO_USERS]
    found = {
        user.email: user for user in session.scalars(select(User).where(User.email.in_(emails)))
    }
    return [
        DemoLogin(email, DEMO_PASSWORD, roles, requires_two_factor(policies, found[email]))
        for email, _name, roles in DEMO_USERS
        if email in found
    ]


def _load_training(session: Session, policies: Policies, users: dict[str, User]) -> None:
    from ig.db import utcnow
    from ig.training.demo import load_training_demo

    load_training_demo(
        session,
        policies.training,
        users["manager@eastmere.example"].id,
        users["staff@eastmere.example"].id,
        utcnow().date(),
    )


def _load_sharing(session: Session, policies: Policies, ig_officer: User) -> None:
    from ig.auth.service import actor_for
    from ig.sharing.demo import load_sharing_demo

    load_sharing_demo(session, actor_for(ig_officer, policies), policies.sharing)


def _load_incidents(session: Session, policies: Policies, users: dict[str, User]) -> None:
    from ig.auth.service import actor_for
    from ig.db import utcnow
    from ig.incidents.demo import load_incidents_demo

    def actor(email: str) -> Any:
        return actor_for(users[email], policies)

    load_incidents_demo(
        session,
        policies.incidents,
        actor("staff@eastmere.example"),
        actor("ig.officer@eastmere.example"),
        actor("guardian@eastmere.example"),
        utcnow(),
    )


def _load_caldicott(session: Session, policies: Policies, users: dict[str, User]) -> None:
    from ig.auth.service import actor_for
    from ig.caldicott.demo import load_caldicott_demo
    from ig.db import utcnow

    guardian = users["guardian@eastmere.example"]
    load_caldicott_demo(
        session,
        policies.caldicott,
        actor_for(users["staff@eastmere.example"], policies),
        actor_for(users["ig.officer@eastmere.example"], policies),
        (guardian, actor_for(guardian, policies)),
        DEMO_PASSWORD,
        utcnow(),
    )


def _load_notices(session: Session, policies: Policies, users: dict[str, User]) -> None:
    from ig.auth.service import actor_for
    from ig.db import utcnow
    from ig.notices.demo import load_notices_demo

    officer = users["ig.officer@eastmere.example"]
    load_notices_demo(
        session,
        policies.notices,
        actor_for(officer, policies),
        officer.id,
        users["manager@eastmere.example"].id,
        utcnow(),
    )


def _load_reminders(session: Session, policies: Policies) -> None:
    """Last, so that the pass sees every feature's demo records."""
    from ig.db import utcnow
    from ig.reminders.demo import load_reminders_demo

    load_reminders_demo(session, policies.reminders, utcnow())

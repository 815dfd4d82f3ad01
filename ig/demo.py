"""Demo data: a fictional London borough, Eastmere, with a user for every role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ig.auth.models import User
from ig.auth.rules import SYSTEM
from ig.auth.service import actor_for, create_user
from ig.db import utcnow
from ig.feature import DemoContext
from ig.features import in_demo_order, report_sections
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
    ("rights@eastmere.example", "Nadia Rahman", ("information_rights_officer",)),
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
    users = {
        email: create_user(session, SYSTEM, policies, email, name, DEMO_PASSWORD, roles)
        for email, name, roles in DEMO_USERS
    }
    demo = DemoContext(
        session,
        policies,
        users,
        {email: actor_for(user, policies) for email, user in users.items()},
        DEMO_PASSWORD,
        utcnow(),
        report_sections(),
    )
    for feature in in_demo_order():
        if feature.load_demo is not None:
            feature.load_demo(demo)
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

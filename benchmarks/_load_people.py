"""The people the load benchmark signs in as, one per role, and their credentials.

The data set's user 1 is the IG officer and user 2 a manager of a 30-person team; a
Caldicott Guardian and a member of staff are added through ``create_user``. Every role
but staff must pass a second factor, so, as the in-process benchmarks do, each run
opens a server-side session through ``start_session`` with the second factor marked
done and signs the session cookie with the server's secret key, which is what the
sign-in pages would have left in the browser. API calls use tokens from ``create_token``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy.orm import Session

from ig.auth import service as auth_service
from ig.auth.models import User
from ig.auth.rules import SYSTEM
from ig.auth.tokens import create_token
from ig.db import Database, make_engine, utcnow
from ig.features import load_policies
from ig.policies import Policies

COOKIE = "__Host-ig"  # the production session cookie's name
ADDED = {
    "caldicott_guardian": ("guardian@bench.example", "Bench Guardian"),
    "staff": ("staff@bench.example", "Bench Staff"),
}
FIXED = {"ig_officer": 1, "manager": 2}  # user ids in the data set
API_ROLES = ("ig_officer", "staff")


@dataclass(frozen=True)
class Credentials:
    """Request headers for a role: its session cookie, and a bearer token for the API."""

    cookie: dict[str, str]
    api: dict[str, str]


def _user(session: Session, policies: Policies, role: str) -> User:
    if role in FIXED:
        found = session.get(User, FIXED[role])
        assert found is not None, f"the data set has no user {FIXED[role]}"
        return found
    email, name = ADDED[role]
    existing = auth_service.find_user_by_email(session, email)
    if existing is not None:
        return existing
    password = secrets.token_urlsafe(24)  # never used: sessions are opened directly
    return auth_service.create_user(session, SYSTEM, policies, email, name, password, [role])


def _cookie(secret_key: str, token: str) -> str:
    signer = Flask("ig-bench")
    signer.secret_key = secret_key
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    assert serializer is not None
    return str(serializer.dumps({"_user_id": token, "_fresh": True}))


def sign_in(url: str, policies_dir: Path, secret_key: str) -> dict[str, Credentials]:
    """Open a session for each role (and a token for the API roles); their headers."""
    policies = load_policies(policies_dir)
    database = Database(make_engine(url))
    now = utcnow()
    found: dict[str, Credentials] = {}
    with database.session_scope() as session:
        for role in (*FIXED, *ADDED):
            user = _user(session, policies, role)
            opened = auth_service.start_session(session, user, "ig load benchmark", now)
            opened.row.is_two_factor_done = True
            api = {}
            if role in API_ROLES:
                _, raw = create_token(
                    session, SYSTEM, user, "load benchmark", now, days=1, max_days=1
                )
                api = {"Authorization": f"Bearer {raw}"}
            cookie = {"Cookie": f"{COOKIE}={_cookie(secret_key, opened.token)}"}
            found[role] = Credentials(cookie, api)
    database.engine.dispose()
    return found

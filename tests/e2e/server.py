"""The live server for browser tests: the real app on its own database, in a thread."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyotp
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine
from werkzeug.serving import BaseWSGIServer, make_server

from ig import create_app
from ig.auth.models import User
from ig.auth.rules import SYSTEM
from ig.auth.service import (
    create_user,
    find_user_by_email,
    get_user,
    requires_two_factor,
    start_session,
)
from ig.db import Database, make_engine, utcnow
from ig.migrations import upgrade
from ig.policies import Policies
from ig.settings import PROJECT_ROOT, Settings

# A password that passes the NCSC checks (length, zxcvbn deny-list); every e2e user has it.
PASSWORD = "quartz lantern orbit meadow 7391"
_numbers = itertools.count(1)


def scratch_postgres_url(test_url: str) -> str:
    """The e2e database's URL: the test database's name with ``_e2e`` added."""
    url = make_url(test_url)
    return url.set(database=f"{url.database}_e2e").render_as_string(hide_password=False)


def _admin_engine(url: str) -> Engine:
    """An AUTOCOMMIT engine on the server's ``postgres`` database (CREATE DATABASE needs it)."""
    return create_engine(
        make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=None
    )


def _quoted(url: str) -> str:
    name = make_url(url).database or ""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unexpected database name {name!r} in IG_TEST_POSTGRES_URL")
    return f'"{name}"'


@contextmanager
def scratch_database(backend: str, directory: Path, postgres_url: str) -> Iterator[str]:
    """Create an empty database for the live server, yield its URL, drop it afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'e2e.sqlite3'}"
        return
    url = scratch_postgres_url(postgres_url)
    admin = _admin_engine(url)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {_quoted(url)} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {_quoted(url)}"))
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {_quoted(url)} WITH (FORCE)"))
        admin.dispose()


@dataclass
class E2EUser:
    """A user created for a browser test, with what the browser needs to sign in."""

    id: int
    email: str
    name: str
    password: str
    totp_secret: str | None = None
    last_step: int | None = field(default=None, repr=False)

    def next_code(self, now: dt.datetime | None = None) -> str:
        """A TOTP code not used before: the current step, or the next one if that is used."""
        if self.totp_secret is None:
            raise ValueError(f"{self.email} has no two-factor secret")
        generator = pyotp.TOTP(self.totp_secret)
        step = generator.timecode(now or utcnow())
        if self.last_step is not None and step <= self.last_step:
            step = self.last_step + 1  # the server accepts one step ahead of its clock
        self.last_step = step
        return generator.generate_otp(step)


class LiveServer:
    """The application served over HTTP on 127.0.0.1 from a background thread."""

    def __init__(self, backend: str, database_url: str, settings: Settings, policies: Policies):
        self.backend = backend
        self.engine = make_engine(database_url)
        upgrade(self.engine)
        self.database = Database(self.engine)
        self.policies = policies
        self.app = create_app(settings, self.database)
        self._server: BaseWSGIServer = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
        self._server.server_close()
        self.engine.dispose()

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def create_user(
        self, *roles: str, name: str | None = None, two_factor: bool | None = None
    ) -> E2EUser:
        """Create a user with ``roles`` (default staff) and a unique e-mail address.

        With ``two_factor`` (by default: when the roles require it), the user has already
        set up TOTP, and ``user.next_code()`` gives the code to type in; False leaves it
        to be set up at first sign-in.
        """
        roles = roles or ("staff",)
        number = next(_numbers)
        email = f"{roles[0].replace('_', '.')}.{number}.{uuid.uuid4().hex[:8]}@e2e.example"
        name = name or f"E2E Tester {number}"
        with self.database.session_scope() as session:
            user = create_user(session, SYSTEM, self.policies, email, name, PASSWORD, roles)
            result = E2EUser(user.id, user.email, user.name, PASSWORD)
            if two_factor is None:
                two_factor = requires_two_factor(self.policies, user)
            if two_factor:
                _give_totp(user, result)
        return result

    def session_cookie(self, user: E2EUser) -> dict[str, Any]:
        """A signed-in session for ``user`` (two-factor passed), as a browser cookie.

        For journeys that are not about signing in: it saves the sign-in pages.
        """
        with self.database.session_scope() as session:
            new = start_session(session, get_user(session, user.id), "e2e", utcnow())
            new.row.is_two_factor_done = True
            token = new.token
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        return {
            "name": self.app.config["SESSION_COOKIE_NAME"],
            "value": serializer.dumps({"_user_id": token, "_fresh": True}),
            "url": self.base_url,
            "httpOnly": True,
            "sameSite": "Lax",
        }

    def existing_user(self, email: str, password: str) -> E2EUser:
        """An existing user (e.g. from the demo), with TOTP set up if their roles need it."""
        with self.database.session_scope() as session:
            user = find_user_by_email(session, email)
            if user is None:
                raise LookupError(f"no user {email}")
            result = E2EUser(user.id, user.email, user.name, password)
            if requires_two_factor(self.policies, user):
                _give_totp(user, result)
        return result


def _give_totp(user: User, result: E2EUser) -> None:
    """Two-factor as if set up in the browser a step ago, so the current code is unused.

    (The enrolment journey itself is tested in test_two_factor.py.)
    """
    now = utcnow()
    user.totp_secret = result.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = now
    user.totp_last_step = result.last_step = pyotp.TOTP(user.totp_secret).timecode(now) - 1


def live_settings(database_url: str, instance: Path, key_material: dict) -> Settings:
    return Settings(
        env="test",
        database_url=database_url,
        secret_key=secrets.token_urlsafe(48),
        key_material=key_material,
        policies_dir=PROJECT_ROOT / "policies",
        instance_path=instance,
    )

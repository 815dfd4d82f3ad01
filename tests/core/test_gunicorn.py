"""`gunicorn wsgi:app` as the README's Production section runs it, in real processes.

Everything here goes through the commands an operator types: ``ig keys init`` for the
data keys, ``ig init`` for the schema, ``ig create-user`` for the account and
``gunicorn wsgi:app`` with two workers, all with IG_ENV=production.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from ig.crypto import new_key_material
from ig.settings import PROJECT_ROOT
from tests.conftest import POSTGRES_URL

BIN = Path(sys.executable).parent
PASSWORD = "quartz lantern orbit meadow 7391"
EMAIL = "sam.staff@example.org"
START_SECONDS = 20


@contextmanager
def scratch_database(backend: str, directory: Path) -> Iterator[str]:
    """An empty database for the gunicorn run, its URL; on PostgreSQL ``<test db>_gunicorn``.

    A database of its own, created and dropped here, so the run never touches the one
    the other tests in this session hold open.
    """
    if backend == "sqlite":
        yield f"sqlite:///{directory / 'ig.sqlite3'}"
        return
    url = make_url(POSTGRES_URL)
    name = f"{url.database}_gunicorn"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    drop()
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        drop()
        admin.dispose()


def base_environ(directory: Path) -> dict[str, str]:
    """A production environment with nothing inherited but PATH.

    HOME is the test's folder because recent gunicorn (27 here) opens a control socket in
    ~/.gunicorn, which two runs at once would otherwise share.
    """
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(directory),
        "IG_ENV": "production",
        "IG_INSTANCE_PATH": str(directory / "instance"),
    }


def run(command: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own console scripts, fixed arguments
        command,
        env=env,
        cwd=PROJECT_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def gunicorn(*options: str) -> list[str]:
    """The README's ``gunicorn wsgi:app``, on a free loopback port, with ``options``."""
    return [str(BIN / "gunicorn"), "--bind", "127.0.0.1:0", *options, "wsgi:app"]


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: str


class Visitor:
    """A browser behind the TLS-terminating proxy that production runs ig behind.

    The production cookie is ``__Host-`` and Secure, which a browser sends over HTTPS
    only. Here the hop from the proxy to gunicorn is plain HTTP on loopback, as in a
    real deployment, so this client plays both parts: it keeps the cookie jar itself
    (the browser's side is HTTPS) and adds the proxy's X-Forwarded-Proto and
    X-Forwarded-For, which ig believes because IG_TRUSTED_PROXIES=1, as the README
    says to set. ig therefore sees an HTTPS request, exactly as behind the proxy, and
    Flask-WTF's strict Referer check for HTTPS applies, so forms send the Referer a
    browser would.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.jar: dict[str, str] = {}
        self.set_cookies: list[SimpleCookie] = []

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Reply:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            reply = Reply(response.status, response.msg, response.read().decode("utf-8"))
        finally:
            connection.close()
        for line in reply.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(line)
            self.set_cookies.append(cookie)
            for name, morsel in cookie.items():
                self.jar[name] = morsel.value
        return reply


class Gunicorn:
    """``gunicorn wsgi:app`` in its own process group, its log in a file."""

    def __init__(self, env: dict[str, str], directory: Path) -> None:
        self.log = directory / "gunicorn.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
                gunicorn("--workers", "2"),
                env=env,
                cwd=PROJECT_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.port = self._wait_until_serving()

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def _wait_until_serving(self) -> int:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn exited with {self.process.returncode}:\n{self.output()}")
            listening = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.output())
            if listening and self.output().count("Booting worker with pid") == 2:
                port = int(listening.group(1))
                # Workers may still be importing the app: a refused connection means retry.
                with contextlib.suppress(OSError):
                    if Visitor(port).request("GET", "/sign-in").status == 200:
                        return port
            time.sleep(0.1)
        self.stop()
        pytest.fail(f"gunicorn did not serve within {START_SECONDS} s:\n{self.output()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's graceful shutdown, workers included
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def server(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gunicorn]:
    """gunicorn serving production settings on an empty database of its own.

    Set up as the README says: the key file from ``ig keys init`` with every
    production setting already exported, then ``ig init`` and ``ig create-user``.
    One server per database for this file's tests, as starting one costs seconds.
    """
    directory = tmp_path_factory.mktemp(f"gunicorn-{backend}")
    with scratch_database(backend, directory) as url:
        keys = directory / "data_keys.json"
        env = {
            **base_environ(directory),
            "IG_DATABASE_URL": url,
            "IG_SECRET_KEY": secrets.token_urlsafe(48),
            "IG_DATA_KEYS_FILE": str(keys),
            "IG_TRUSTED_PROXIES": "1",
        }
        made = run([str(BIN / "ig"), "keys", "init", str(keys)], env)
        assert made.returncode == 0, made.stderr
        initialised = run([str(BIN / "ig"), "init"], env)
        assert initialised.returncode == 0, initialised.stderr
        user = [str(BIN / "ig"), "create-user", EMAIL, "--role", "staff", "--name", "Sam Staff"]
        created = run(user, env, stdin=PASSWORD + "\n")
        assert created.returncode == 0, created.stderr
        started = Gunicorn(env, directory)
        try:
            yield started
        finally:
            started.stop()
        # Both workers served and then left on SIGTERM, and gunicorn exited cleanly.
        assert started.process.returncode == 0, started.output()
        assert started.output().count("Worker exiting") == 2, started.output()


def csrf_token(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert found, "the sign-in form has no CSRF token"
    return found.group(1)


def test_gunicorn_serves_signed_in_pages_with_production_cookie_and_headers(server):
    visitor = Visitor(server.port)
    form = visitor.request("GET", "/sign-in")
    assert form.status == 200
    signed_in = visitor.request(
        "POST",
        "/sign-in",
        {"csrf_token": csrf_token(form.body), "next": "", "email": EMAIL, "password": PASSWORD},
    )
    assert signed_in.status == 302, signed_in.body
    assert signed_in.headers["Location"] == "/"
    # Several requests, so that both workers are likely to answer one: the session
    # lives in the database and the signed cookie, never in one worker's memory.
    for _ in range(4):
        home = visitor.request("GET", "/")
        assert home.status == 200
        assert "Sam Staff" in home.body
        assert "Sign out" in home.body

    morsels = [cookie[name] for cookie in visitor.set_cookies for name in cookie]
    assert morsels, "no cookie was set"
    for morsel in morsels:
        # __Host-: Secure, Path=/ and no Domain, so no other host can set or read it.
        assert morsel.key == "__Host-ig"
        assert morsel["secure"] is True
        assert morsel["httponly"] is True
        assert morsel["samesite"] == "Lax"
        assert morsel["path"] == "/"
        assert morsel["domain"] == ""
    headers = home.headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self';" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cache-Control"] == "no-store"


def test_gunicorn_refuses_a_sign_in_form_from_another_site(server):
    """The Referer check that HTTPS behind the proxy turns on: another origin is refused."""
    visitor = Visitor(server.port)
    token = csrf_token(visitor.request("GET", "/sign-in").body)
    visitor.origin = "https://elsewhere.example"
    refused = visitor.request(
        "POST", "/sign-in", {"csrf_token": token, "next": "", "email": EMAIL, "password": PASSWORD}
    )
    assert refused.status == 400
    assert "did not come from this service" in refused.body
    assert visitor.request("GET", "/").headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"IG_SECRET_KEY": None}, "IG_SECRET_KEY is not set"),
        ({"IG_SECRET_KEY": "too-short-0123456789"}, "IG_SECRET_KEY is too weak"),
        ({"IG_DATA_KEYS_FILE": None}, "IG_DATA_KEYS_FILE (or IG_DATA_KEYS) must be set"),
        ({"IG_DATABASE_URL": None}, "IG_DATABASE_URL must be set in production"),
    ],
)
def test_gunicorn_stops_at_start_up_naming_a_missing_or_weak_setting(tmp_path, change, named):
    """The README's command as it stands, no --preload: a worker that cannot load the app
    exits with gunicorn's boot-error code, and the master then stops at once (exit 3)
    rather than starting it again and again."""
    keys = tmp_path / "data_keys.json"
    keys.write_text(json.dumps(new_key_material()))
    env = {
        **base_environ(tmp_path),
        "IG_DATABASE_URL": f"sqlite:///{tmp_path / 'ig.sqlite3'}",
        "IG_SECRET_KEY": secrets.token_urlsafe(48),
        "IG_DATA_KEYS_FILE": str(keys),
    }
    for name, value in change.items():
        if value is None:
            del env[name]
        else:
            env[name] = value
    started = time.monotonic()
    result = run(gunicorn(), env)
    assert result.returncode == 3, result.stderr
    assert named in result.stderr
    assert "Reason: Worker failed to boot." in result.stderr
    assert time.monotonic() - started < 20

"""Shared fixtures: settings, an app per database, a rolled-back session per test, clients."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from jinja2 import MemcachedBytecodeCache
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from werkzeug.routing import Rule

from ig import cache, create_app
from ig.crypto import KeyRing, install_keyring, new_key_material
from ig.db import Database, make_engine, utcnow
from ig.features import load_policies
from ig.migrations import upgrade
from ig.policies import Policies
from ig.settings import PROJECT_ROOT, Settings
from tests import factories

BACKENDS = [
    name.strip()
    for name in os.environ.get("IG_TEST_DATABASES", "sqlite").split(",")
    if name.strip()
]


def worker_database_url(url: str) -> str:
    """``url`` with the pytest-xdist worker's name added to the database's, if any.

    Each worker of a parallel run (``make test`` runs one per core) then has a database
    of its own, and so do the scratch databases the tests name after it.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


POSTGRES_URL = worker_database_url(
    os.environ.get("IG_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/ig_test")
)
KEY_MATERIAL = {**new_key_material("test1"), "source": "tests"}


def pytest_sessionstart(session: pytest.Session) -> None:
    """Create this worker's PostgreSQL database when the run is parallel."""
    if "postgresql" not in BACKENDS or not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    url = make_url(POSTGRES_URL)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep each database's browser tests in one worker of a parallel run, and run the
    checks marked ``presentation`` on the first database only.

    Browser tests share a live server and a browser per database within a process, so
    spread over both workers each would start (and fill with demo data) both servers.
    A presentation check (layout, print styles) looks at markup and styles that no
    database changes; the journeys still run on every database.
    """
    kept, deselected = [], []
    for item in items:
        backend = getattr(item, "callspec", None) and item.callspec.params.get("backend")
        if backend and item.get_closest_marker("presentation") and backend != BACKENDS[0]:
            deselected.append(item)
            continue
        if backend and item.nodeid.startswith("tests/e2e/"):
            item.add_marker(pytest.mark.xdist_group(f"e2e-{backend}"))
        kept.append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


def database_url(backend: str, directory: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{directory / 'test.sqlite3'}"
    if backend == "postgresql":
        return POSTGRES_URL
    raise pytest.UsageError(f"IG_TEST_DATABASES: unknown database {backend!r}")


def reset_postgres(engine: Engine) -> None:
    """Empty the test database completely, so migrations start from nothing."""
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def keyring() -> KeyRing:
    ring = KeyRing.from_material(KEY_MATERIAL)
    install_keyring(ring)
    return ring


@pytest.fixture(scope="session")
def policies() -> Policies:
    return load_policies(PROJECT_ROOT / "policies")


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def engine(
    backend: str, tmp_path_factory: pytest.TempPathFactory, keyring: KeyRing
) -> Iterator[Engine]:
    """A migrated database for the whole run, per backend."""
    url = database_url(backend, tmp_path_factory.mktemp(backend))
    engine = make_engine(url)
    if backend == "postgresql":
        reset_postgres(engine)
    upgrade(engine)
    yield engine
    engine.dispose()


@contextmanager
def rolled_back_session(
    engine: Engine, keyring: KeyRing, session_class: type[Session] = Session
) -> Iterator[Session]:
    """A session inside a transaction that is rolled back at the end.

    Commits made by the code under test release savepoints only, so nothing a test
    writes outlives it.
    """
    install_keyring(keyring)
    connection = engine.connect()
    transaction = connection.begin()
    session = session_class(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    yield session
    session.close()
    transaction.rollback()
    connection.close()


@pytest.fixture(autouse=True)
def _fresh_figures() -> Iterator[None]:
    """Each test starts with no computed figures in this process's memory: the rows that
    held them were rolled back with the last test's transaction."""
    cache.forget()
    yield
    cache.forget()


@pytest.fixture
def db(engine: Engine, keyring: KeyRing) -> Iterator[Session]:
    """A session whose writes are all rolled back after the test."""
    with rolled_back_session(engine, keyring) as session:
        yield session


@pytest.fixture
def settings(tmp_path: Path, engine: Engine) -> Settings:
    return Settings(
        env="test",
        database_url=engine.url.render_as_string(hide_password=False),
        secret_key=secrets.token_urlsafe(48),
        key_material=KEY_MATERIAL,
        policies_dir=PROJECT_ROOT / "policies",
        instance_path=tmp_path / "instance",
    )


class IgClient(FlaskClient):
    """A test client that sends a valid CSRF token with every form, unless told not to."""

    def csrf_token(self) -> str:
        with self.session_transaction() as session:
            raw = session.setdefault("csrf_token", secrets.token_hex(20))
        serializer = URLSafeTimedSerializer(
            self.application.secret_key or "", salt="wtf-csrf-token"
        )
        return serializer.dumps(raw)

    def post(self, *args: Any, csrf: bool = True, **kwargs: Any) -> Any:
        if csrf and "json" not in kwargs:
            data = dict(kwargs.pop("data", None) or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)


class _TemplateCode:
    """Jinja's compiled templates, kept for the whole run in this process.

    Every test builds its own app, and each app's Jinja environment would compile every
    template it renders again (most of a page test's time). Jinja's bytecode cache keys
    each template by its name and a checksum of its source, so a changed template is
    compiled afresh; the pages render exactly as without it.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._code.get(key)

    def set(self, key: str, value: bytes, timeout: int | None = None) -> None:
        self._code[key] = value


TEMPLATE_CODE = MemcachedBytecodeCache(_TemplateCode())  # type: ignore[arg-type]
_BUILDERS: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}
_compile_builder = Rule._compile_builder


def _kept_builder(rule: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
    """Werkzeug's URL builder for ``rule``, compiled once per distinct rule in this process.

    Werkzeug compiles a small function for each route of each new app, and with some
    two hundred routes that is most of building an app, which every test does. The
    function depends only on the rule's text, its parsed parts, its defaults and its
    converters (it takes the rule itself as an argument), so one compiled for an equal
    rule builds the same URLs.
    """
    key = (
        rule.rule,
        tuple(rule._trace),
        repr(sorted((rule.defaults or {}).items())),
        tuple((name, type(converter)) for name, converter in rule._converters.items()),
        append_unknown,
    )
    builder = _BUILDERS.get(key)
    if builder is None:
        builder = _BUILDERS[key] = _compile_builder(rule, append_unknown)
    return builder


Rule._compile_builder = _kept_builder  # type: ignore[method-assign]


@pytest.fixture
def app(settings: Settings, engine: Engine, db: Session) -> Flask:
    app = create_app(settings, Database(engine, session_factory=lambda: db))
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
    app.test_client_class = IgClient
    return app


@pytest.fixture
def client(app: Flask) -> IgClient:
    return app.test_client()  # type: ignore[return-value]


@pytest.fixture
def login_as(client: IgClient, db: Session) -> Callable[..., Any]:
    """Sign the test client in as a new user with ``roles`` (two-factor already passed)."""
    from ig.auth import service

    def login(*roles: str, email: str | None = None, **kwargs: Any) -> Any:
        user = factories.make_user(db, roles=roles or ("staff",), email=email, **kwargs)
        new = service.start_session(db, user, "pytest", utcnow())
        new.row.is_two_factor_done = True
        db.flush()
        with client.session_transaction() as session:
            session["_user_id"] = new.token
            session["_fresh"] = True
        return user

    return login

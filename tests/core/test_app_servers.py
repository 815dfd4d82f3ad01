"""Two app servers against one PostgreSQL, as behind a reverse proxy: the same figures
from either, computed once for both, and never stale after a change.

Each server is ``gunicorn wsgi:app`` in its own process on its own port (as two
machines would run it); tests/core/test_gunicorn.py runs the operator's commands, so
the data here is written in this process.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from ig.auth.rules import SYSTEM
from ig.auth.tokens import create_token
from ig.crypto import KeyRing, get_keyring, install_keyring, new_key_material
from ig.db import Database, london_today, make_engine, utcnow
from ig.migrations import upgrade
from ig.people.models import Staff
from tests.conftest import BACKENDS
from tests.core.test_gunicorn import Gunicorn, base_environ, scratch_database
from tests.factories import make_completion, make_staff, make_team, make_user

OFFICER = "iona.officer@example.org"
COMPLIANCE = "/api/v1/training/compliance"

pytestmark = pytest.mark.skipif(
    "postgresql" not in BACKENDS, reason="two app servers share one PostgreSQL database"
)


def get(port: int, path: str, token: str) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Authorization": f"Bearer {token}", "X-Forwarded-Proto": "https"}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200, body
        return json.loads(body)
    finally:
        connection.close()


def computed_at(database: Database) -> list[dt.datetime]:
    with database.session_scope() as session:
        query = text("SELECT computed_at FROM cached_figures ORDER BY key")
        return list(session.execute(query).scalars())


@contextmanager
def keys_of(material: dict) -> Iterator[None]:
    """The servers' data keys installed in this process while it writes their data (the
    audit chain and encrypted columns use the installed key ring), then the test run's."""
    previous = get_keyring()
    install_keyring(KeyRing.from_material({**material, "source": "two servers"}))
    try:
        yield
    finally:
        install_keyring(previous)


@dataclass
class Servers:
    ports: list[int]
    database: Database
    token: str
    keys: dict
    staff_id: int


def _populate(database: Database) -> tuple[str, int]:
    """An IG officer with an API token, and a team of two staff; the token and one's id.
    Written here rather than through the ig commands, which would cost a process each."""
    with database.session_scope() as session:
        officer = make_user(session, roles=("ig_officer",), email=OFFICER)
        _token, raw = create_token(session, SYSTEM, officer, "two servers", utcnow())
        team = make_team(session, name="Adults East")
        first = make_staff(session, team, name="Ann Ash")
        make_staff(session, team, name="Ben Birch")
        return raw, first.id


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory, keyring: KeyRing) -> Iterator[Servers]:
    """Two gunicorn servers on one new, migrated database with a team of two."""
    directory = tmp_path_factory.mktemp("two-servers")
    with scratch_database("postgresql", directory) as url:
        keys = directory / "data_keys.json"
        material = new_key_material()
        keys.write_text(json.dumps(material))
        database = Database(make_engine(url))
        with keys_of(material):
            upgrade(database.engine)
            token, staff_id = _populate(database)
        env = {
            **base_environ(directory),
            "IG_DATABASE_URL": url,
            "IG_SECRET_KEY": secrets.token_urlsafe(48),
            "IG_DATA_KEYS_FILE": str(keys),
            "IG_TRUSTED_PROXIES": "1",
        }
        started = []
        try:
            for n in range(2):
                own = directory / f"server-{n}"
                own.mkdir()
                started.append(Gunicorn({**env, "HOME": str(own)}, own))
            yield Servers([server.port for server in started], database, token, material, staff_id)
        finally:
            for server in started:
                server.stop()
            database.engine.dispose()


def test_two_servers_give_the_same_figures_computed_once_and_never_stale(servers):
    (first, second), token = servers.ports, servers.token

    before = get(first, COMPLIANCE, token)
    stored = computed_at(servers.database)
    assert stored, "the first server kept no figures for the other"
    assert get(second, COMPLIANCE, token) == before
    assert computed_at(servers.database) == stored, "the second server computed it again"

    with keys_of(servers.keys), servers.database.session_scope() as session:
        ann = session.get(Staff, servers.staff_id)
        make_completion(session, ann, "DSA", london_today())

    after = get(second, COMPLIANCE, token)
    assert after != before, "a completion recorded since did not change the figures"
    assert get(first, COMPLIANCE, token) == after

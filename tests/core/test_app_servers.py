"""Two app servers against one PostgreSQL, as behind a reverse proxy: the same figures
from either, computed once for both, and never stale after a change.

Each server is ``gunicorn wsgi:app`` in its own process on its own port (as two
machines would run it), set up through the commands an operator types.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import BACKENDS
from tests.core.test_gunicorn import BIN, PASSWORD, Gunicorn, base_environ, run, scratch_database

OFFICER = "iona.officer@example.org"
COMPLIANCE = "/api/v1/training/compliance"

pytestmark = pytest.mark.skipif(
    "postgresql" not in BACKENDS, reason="two app servers share one PostgreSQL database"
)


def ig(env: dict[str, str], *arguments: str, stdin: str = "") -> str:
    done = run([str(BIN / "ig"), *arguments], env, stdin=stdin)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


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


def computed_at(url: str) -> list[dt.datetime]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            query = text("SELECT computed_at FROM cached_figures ORDER BY key")
            return list(connection.execute(query).scalars())
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict, list[int], str]]:
    """Two gunicorn servers on one new database with a team of two; (env, ports, url)."""
    directory = tmp_path_factory.mktemp("two-servers")
    with scratch_database("postgresql", directory) as url:
        keys = directory / "data_keys.json"
        env = {
            **base_environ(directory),
            "IG_DATABASE_URL": url,
            "IG_SECRET_KEY": secrets.token_urlsafe(48),
            "IG_DATA_KEYS_FILE": str(keys),
            "IG_TRUSTED_PROXIES": "1",
        }
        ig(env, "keys", "init", str(keys))
        ig(env, "init")
        ig(env, "create-user", OFFICER, "--role", "ig_officer", "--name", "Iona", stdin=PASSWORD)
        ig(env, "add-team", "Adults East")
        staff = directory / "staff.csv"
        staff.write_text(
            "Staff number,Name,Work email,Team,Job title,Start date,Leaving date\n"
            "E1,Ann Ash,ann@example.org,Adults East,Social worker,01/01/2020,\n"
            "E2,Ben Birch,ben@example.org,Adults East,Social worker,01/01/2020,\n"
        )
        ig(env, "import-staff", str(staff))
        started = []
        try:
            for n in range(2):
                own = directory / f"server-{n}"
                own.mkdir()
                started.append(Gunicorn({**env, "HOME": str(own)}, own))
            yield env, [server.port for server in started], url
        finally:
            for server in started:
                server.stop()


def test_two_servers_give_the_same_figures_computed_once_and_never_stale(servers, tmp_path):
    env, (first, second), url = servers
    token = ig(env, "create-token", OFFICER).strip().splitlines()[-1]

    before = get(first, COMPLIANCE, token)
    stored = computed_at(url)
    assert stored, "the first server kept no figures for the other"
    assert get(second, COMPLIANCE, token) == before
    assert computed_at(url) == stored, "the second server computed again what it could read"

    completions = tmp_path / "completions.csv"
    today = dt.datetime.now(dt.UTC).date()
    completions.write_text(f"Staff number,Course code,Completion date\nE1,DSA,{today:%d/%m/%Y}\n")
    ig(env, "import-training", str(completions))

    after = get(second, COMPLIANCE, token)
    assert after != before, "a completion recorded since did not change the figures"
    assert get(first, COMPLIANCE, token) == after

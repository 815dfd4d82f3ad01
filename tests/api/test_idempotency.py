"""Idempotency-Key on the API's POSTs: one record per key, and the first answer for every repeat."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text, update
from sqlalchemy.engine import Engine, make_url

from ig import create_app
from ig.api import idempotency
from ig.api.models import IdempotencyKey
from ig.auth import tokens
from ig.auth.rules import SYSTEM
from ig.db import Database, make_engine, utcnow
from ig.incidents.models import Incident
from ig.migrations import upgrade
from tests import factories
from tests.conftest import POSTGRES_URL


def make_headers(db: Any, key: str | None = None, roles: tuple[str, ...] = ("staff",)) -> Any:
    user = factories.make_user(db, roles=roles)
    _token, raw = tokens.create_token(db, SYSTEM, user, "idempotency", utcnow())
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    return headers | ({"Idempotency-Key": key} if key else {})


def report(team_id: int, narrative: str = "A laptop was left on a train") -> dict[str, Any]:
    earlier = (utcnow() - dt.timedelta(hours=1)).isoformat()
    return {"narrative": narrative, "occurred_at": earlier, "found_at": earlier, "team_id": team_id}


def incidents(db: Any) -> int:
    return db.scalar(select(func.count()).select_from(Incident))


def test_a_repeat_creates_nothing_and_gets_the_first_answer(client, db):
    team_id = factories.make_team(db).id
    headers, body = make_headers(db, "key-1"), report(team_id)
    before = incidents(db)
    first = client.post("/api/v1/incidents", json=body, headers=headers)
    again = client.post("/api/v1/incidents", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_data() == first.get_data()
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert incidents(db) == before + 1


def test_without_a_key_each_post_is_new(client, db):
    team_id = factories.make_team(db).id
    headers = make_headers(db)
    before = incidents(db)
    client.post("/api/v1/incidents", json=report(team_id), headers=headers)
    client.post("/api/v1/incidents", json=report(team_id), headers=headers)
    assert incidents(db) == before + 2


def test_a_key_sent_with_another_request_is_422(client, db):
    team_id = factories.make_team(db).id
    headers = make_headers(db, "key-2")
    client.post("/api/v1/incidents", json=report(team_id), headers=headers)
    other = client.post("/api/v1/incidents", json=report(team_id, "else"), headers=headers)
    assert other.status_code == 422
    assert other.json["title"] == "Idempotency-Key reused"


def test_a_refused_request_releases_its_key(client, db):
    team_id = factories.make_team(db).id
    headers = make_headers(db, "key-3")
    refused = client.post("/api/v1/incidents", json=report(2**31 - 1), headers=headers)
    assert refused.status_code == 422
    assert db.scalar(select(IdempotencyKey).where(IdempotencyKey.key == "key-3")) is None
    assert (
        client.post("/api/v1/incidents", json=report(team_id), headers=headers).status_code == 201
    )


def test_keys_belong_to_their_user(client, db):
    team_id = factories.make_team(db).id
    before = incidents(db)
    for _ in range(2):
        headers = make_headers(db, "shared-key")
        assert (
            client.post("/api/v1/incidents", json=report(team_id), headers=headers).status_code
            == 201
        )
    assert incidents(db) == before + 2


def test_an_expired_key_is_forgotten(client, db):
    team_id = factories.make_team(db).id
    headers = make_headers(db, "key-4")
    before = incidents(db)
    client.post("/api/v1/incidents", json=report(team_id), headers=headers)
    db.execute(update(IdempotencyKey).values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    db.commit()
    again = client.post("/api/v1/incidents", json=report(team_id), headers=headers)
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    assert incidents(db) == before + 2


def claim_pending(app: Any, db: Any, key: str, raw: str, age: dt.timedelta) -> dict[str, str]:
    """A user's headers, and a claim of theirs on ``key`` for ``raw``, unanswered, ``age`` old."""
    user = factories.make_user(db)
    _token, token = tokens.create_token(db, SYSTEM, user, "idempotency", utcnow())
    with app.test_request_context(
        "/api/v1/incidents", method="POST", data=raw, content_type="application/json"
    ):
        print_ = idempotency.fingerprint()
    made = utcnow() - age
    db.add(
        IdempotencyKey(
            user_id=user.id,
            key=key,
            fingerprint=print_,
            created_at=made,
            expires_at=made + idempotency.LIFETIME,
        )
    )
    db.commit()
    return {"Authorization": f"Bearer {token}", "Idempotency-Key": key}


def post_raw(client: Any, raw: str, headers: dict[str, str]) -> Any:
    return client.post(
        "/api/v1/incidents",
        data=raw,
        headers=headers,
        content_type="application/json",
        csrf=False,
    )


def test_a_request_still_in_progress_is_409_with_retry_after(app, client, db, monkeypatch):
    raw = json.dumps(report(factories.make_team(db).id))
    headers = claim_pending(app, db, "busy", raw, dt.timedelta(seconds=1))
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0.2)
    response = post_raw(client, raw, headers)
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "1"


def test_an_abandoned_claim_is_taken_over(app, client, db):
    raw = json.dumps(report(factories.make_team(db).id))
    age = idempotency.ABANDONED_AFTER + dt.timedelta(seconds=1)
    headers = claim_pending(app, db, "abandoned", raw, age)
    response = post_raw(client, raw, headers)
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "caf\u00e9"])
def test_a_malformed_key_is_400(client, db, key):
    team_id = factories.make_team(db).id
    headers = make_headers(db) | {"Idempotency-Key": key}
    response = client.post("/api/v1/incidents", json=report(team_id), headers=headers)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


@pytest.fixture
def scratch(backend: str, tmp_path: Any, keyring: Any) -> Iterator[Engine]:
    """A migrated database of its own, where each request commits for real."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'idempotency.sqlite3'}")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    url = make_url(POSTGRES_URL)
    name = f"{url.database}_idem"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(url.set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_concurrent_identical_requests_create_one_record(scratch, settings):
    database = Database(scratch)
    app = create_app(
        dataclasses.replace(
            settings, database_url=scratch.url.render_as_string(hide_password=False)
        ),
        database,
    )
    with database.session_scope() as session:
        team_id = factories.make_team(session).id
        headers = make_headers(session, "concurrent-key")
        body = report(team_id)
    threads, answers, start = 6, [], threading.Barrier(6)

    def post() -> None:
        client = app.test_client()
        start.wait()
        answers.append(client.post("/api/v1/incidents", json=body, headers=headers))

    workers = [threading.Thread(target=post) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(answers) == threads
    assert {answer.status_code for answer in answers} == {201}
    assert len({answer.get_data() for answer in answers}) == 1
    assert sum("Idempotent-Replayed" in answer.headers for answer in answers) == threads - 1
    with database.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Incident)) == 1

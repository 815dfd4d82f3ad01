"""The upgrade to row-bound values: existing values re-encrypted, interrupted and re-run."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ig.auth.models import User
from ig.caldicott.models import CaldicottRequest
from ig.crypto import KeyRing, install_keyring
from ig.migrations import downgrade, upgrade
from ig.rebind import TableSpec, bind_rows, legacy_encrypt
from tests.conftest import KEY_MATERIAL
from tests.factories import make_caldicott_request, make_user
from tests.test_migrations import scratch_engine  # noqa: F401 - the fixture

pytestmark = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index"
)


class FailingRing(KeyRing):
    """A key ring that fails part-way through, as a killed upgrade would stop."""

    calls = itertools.count()

    def encrypt(self, plaintext: str, context: str, row_key: str) -> str:
        if next(self.calls) == 1:
            raise RuntimeError("interrupted")
        return super().encrypt(plaintext, context, row_key)


def raw(engine: Engine, sql: str) -> list[tuple]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql))]


def _records(engine: Engine) -> tuple[int, int]:
    with Session(engine) as session:
        user = make_user(session, totp_secret="two-factor secret")
        request = make_caldicott_request(session, user, requester_name="Requester Canary")
        session.commit()
        return user.id, request.id


def test_upgrade_binds_existing_values_and_runs_again_after_an_interruption(
    scratch_engine,  # noqa: F811
    keyring,
):
    upgrade(scratch_engine)
    user_id, request_id = _records(scratch_engine)
    downgrade(scratch_engine, "crypto@base")  # back to v1 values and plaintext
    before = raw(scratch_engine, "SELECT totp_secret FROM users")
    assert before[0][0].startswith("v1:test1:")
    assert raw(scratch_engine, "SELECT requester_name FROM caldicott_requests") == [
        ("Requester Canary",)
    ]

    FailingRing.calls = itertools.count()  # once per database the test runs on
    install_keyring(FailingRing.from_material(KEY_MATERIAL))
    try:
        with pytest.raises(RuntimeError, match="interrupted"):
            upgrade(scratch_engine)
    finally:
        install_keyring(keyring)
    assert raw(scratch_engine, "SELECT totp_secret FROM users") == before

    upgrade(scratch_engine)
    secret, row_key = raw(scratch_engine, "SELECT totp_secret, row_key FROM users")[0]
    assert secret.startswith("v2:test1:")
    assert len(row_key) == 32
    (name,) = raw(scratch_engine, "SELECT requester_name FROM caldicott_requests")[0]
    assert name.startswith("v2:test1:")
    with Session(scratch_engine) as session:
        assert session.get(User, user_id).totp_secret == "two-factor secret"
        assert session.get(CaldicottRequest, request_id).requester_name == "Requester Canary"


def test_a_half_rebound_table_is_finished_and_bound_values_are_left_alone(db, keyring):
    users = [make_user(db, totp_secret=f"secret {n}") for n in range(3)]
    connection = db.connection()
    legacy = legacy_encrypt(keyring, "secret 0", "users.totp_secret")
    connection.execute(
        text("UPDATE users SET totp_secret = :v WHERE id = :id"), {"v": legacy, "id": users[0].id}
    )
    spec = TableSpec("users", sealed=("totp_secret",))
    bound = raw_values(db, [u.id for u in users[1:]])

    progress = bind_rows(connection, lambda: keyring, spec, batch=2)
    assert progress.rows == 1  # only the v1 value
    assert raw_values(db, [u.id for u in users[1:]]) == bound
    assert bind_rows(connection, lambda: keyring, spec).rows == 0  # nothing left to do
    db.expire_all()
    assert [db.get(User, u.id).totp_secret for u in users] == ["secret 0", "secret 1", "secret 2"]


def raw_values(db, ids: list[int]) -> list[str]:
    query = text("SELECT totp_secret FROM users WHERE id IN :ids ORDER BY id").bindparams(
        bindparam("ids", expanding=True)
    )
    return list(db.connection().execute(query, {"ids": ids}).scalars())

"""Encrypted values are bound to their row: a value moved to another row will not decrypt."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import CompileError

from ig.auth.models import User
from ig.auth.rules import SYSTEM
from ig.crypto import DecryptionError, KeyRing, install_keyring
from ig.keys import rotate_keys
from ig.rebind import legacy_encrypt
from tests.conftest import KEY_MATERIAL
from tests.factories import make_user


def raw(db, table: str, column: str, row_id: int) -> str:
    query = text(f"SELECT {column} FROM {table} WHERE id = :id")
    return db.connection().execute(query, {"id": row_id}).scalar_one()


def set_raw(db, table: str, column: str, row_id: int, value: str) -> None:
    query = text(f"UPDATE {table} SET {column} = :value WHERE id = :id")
    db.connection().execute(query, {"value": value, "id": row_id})
    db.expire_all()


def test_a_value_copied_to_another_row_of_the_same_column_does_not_decrypt(db):
    alice = make_user(db, totp_secret="alice's secret")
    bob = make_user(db, totp_secret="bob's secret")
    set_raw(db, "users", "totp_secret", bob.id, raw(db, "users", "totp_secret", alice.id))
    with pytest.raises(DecryptionError, match="altered or moved"):
        db.get(User, bob.id).totp_secret  # noqa: B018 - loading is what fails


def test_a_moved_value_is_refused_in_a_column_select_too(db):
    alice = make_user(db, totp_secret="alice's secret")
    bob = make_user(db, totp_secret="bob's secret")
    set_raw(db, "users", "totp_secret", bob.id, raw(db, "users", "totp_secret", alice.id))
    with pytest.raises(DecryptionError, match="altered or moved"):
        db.execute(select(User.totp_secret).where(User.id == bob.id)).all()


def test_column_selects_decrypt_each_row_with_its_own_binding(db):
    users = [make_user(db, totp_secret=f"secret {n}") for n in range(3)]
    ids = [user.id for user in users]
    rows = db.execute(select(User.id, User.totp_secret).where(User.id.in_(ids))).all()
    assert sorted(rows) == sorted((user.id, f"secret {n}") for n, user in enumerate(users))


def test_the_row_key_cannot_be_changed(db):
    user = make_user(db, totp_secret="x")
    user.row_key = "0" * 32
    with pytest.raises(ValueError, match="row key"):
        db.flush()


@pytest.fixture
def new_ring(keyring):
    material = {**KEY_MATERIAL, "keys": {**KEY_MATERIAL["keys"]}, "active": "k2"}
    material["keys"]["k2"] = base64.b64encode(b"2" * 32).decode()
    ring = KeyRing.from_material(material)
    install_keyring(ring)
    yield ring
    install_keyring(keyring)


def test_rotation_keeps_each_value_bound_to_its_row(db, new_ring):
    alice = make_user(db, totp_secret="alice's secret")
    bob = make_user(db, totp_secret="bob's secret")
    result = rotate_keys(db, new_ring, SYSTEM)
    assert result.failed == []
    moved = raw(db, "users", "totp_secret", alice.id)
    assert moved.startswith("v2:k2:")
    set_raw(db, "users", "totp_secret", bob.id, moved)
    with pytest.raises(DecryptionError, match="altered or moved"):
        db.get(User, bob.id).totp_secret  # noqa: B018
    assert db.get(User, alice.id).totp_secret == "alice's secret"


def test_rotation_never_binds_an_unbound_v1_value_to_the_row_it_is_found_in(db, new_ring):
    user_id = make_user(db, totp_secret="x").id
    planted = legacy_encrypt(new_ring, "from another row, long ago", "users.totp_secret")
    set_raw(db, "users", "totp_secret", user_id, planted)
    result = rotate_keys(db, new_ring, SYSTEM)
    assert result.failed == [f"users.totp_secret id {user_id}"]
    assert raw(db, "users", "totp_secret", user_id) == planted


def test_a_subquery_without_the_row_key_is_a_clear_error(db):
    make_user(db, totp_secret="x")
    inner = select(User.id, User.totp_secret).subquery()
    with pytest.raises(CompileError, match="row_key"):
        db.execute(select(inner.c.totp_secret)).all()
    with_key = select(User.id, User.row_key, User.totp_secret).subquery()
    assert db.execute(select(with_key.c.totp_secret)).scalars().all() == ["x"]

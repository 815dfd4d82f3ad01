"""Encrypted values are bound to their row: a value moved to another row will not decrypt."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from ig.auth.models import User
from ig.crypto import DecryptionError
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

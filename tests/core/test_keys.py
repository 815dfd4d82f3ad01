"""Key management: counting values per key, rotation (interrupted and resumed), key files."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import select

from ig.audit.models import AuditEntry
from ig.auth.models import User
from ig.auth.rules import SYSTEM
from ig.crypto import KeyRing, install_keyring
from ig.errors import ConfigurationError
from ig.keys import (
    UNKNOWN,
    KeyChangeRefused,
    add_key,
    drop_key,
    key_usage,
    keyring_usage,
    rotate_keys,
)
from tests.conftest import KEY_MATERIAL
from tests.factories import make_user

SECRETS = [f"secret number {n}" for n in range(5)]


def material_with_new_key() -> dict:
    """The test key material plus a newer key "k2", which is active."""
    keys = {**KEY_MATERIAL["keys"], "k2": base64.b64encode(b"2" * 32).decode()}
    return {**KEY_MATERIAL, "keys": keys, "active": "k2"}


@pytest.fixture
def users(db):
    """Five users whose secrets are encrypted under the test key, test1."""
    return [make_user(db, totp_secret=secret) for secret in SECRETS]


@pytest.fixture
def new_ring(keyring):
    ring = KeyRing.from_material(material_with_new_key())
    install_keyring(ring)
    yield ring
    install_keyring(keyring)


def secrets_read_back(db, users) -> list[str]:
    db.expire_all()
    return [db.get(User, user.id).totp_secret for user in users]


def actions(db) -> list[str]:
    return list(db.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


class Interrupt(Exception):
    """Stands for the process being stopped part-way."""


def stop_after(batches: int):
    seen = []

    def on_batch(done: int) -> None:
        seen.append(done)
        if len(seen) == batches:
            raise Interrupt

    return on_batch


def test_usage_counts_values_per_key_and_column(db, users, keyring):
    make_user(db, totp_secret=None)  # NULLs are not values
    usage = keyring_usage(db, keyring)
    assert usage.active_id == "test1"
    assert usage.by_column["users.totp_secret"] == {"test1": 5}
    assert usage.totals == {"test1": 5}


def test_usage_reports_values_under_keys_not_in_the_ring(db, users, keyring):
    db.connection().exec_driver_sql(
        f"UPDATE users SET totp_secret = 'v1:lost:AAAA' WHERE id = {users[0].id}"
    )
    usage = keyring_usage(db, keyring)
    assert usage.totals == {"test1": 4, UNKNOWN: 1}


def test_usage_escapes_like_wildcards_in_key_ids(db, users):
    # "test_" would match "test1" if "_" were left as a LIKE wildcard.
    assert key_usage(db, ["test_", "test1"], "test1").totals == {"test_": 0, "test1": 5}


def test_rotation_interrupted_and_resumed_leaves_every_value_readable(db, users, new_ring):
    assert keyring_usage(db, new_ring).totals == {"k2": 0, "test1": 5}

    with pytest.raises(Interrupt):
        rotate_keys(db, new_ring, SYSTEM, batch_size=1, on_batch=stop_after(2))
    db.rollback()  # what the interrupted process's session scope would do
    assert keyring_usage(db, new_ring).totals == {"k2": 2, "test1": 3}
    assert secrets_read_back(db, users) == SECRETS

    result = rotate_keys(db, new_ring, SYSTEM, batch_size=2)
    assert result.reencrypted == 3
    assert result.failed == []
    assert keyring_usage(db, new_ring).totals == {"k2": 5, "test1": 0}
    assert secrets_read_back(db, users) == SECRETS
    assert actions(db)[-3:] == ["keys.rotation_started", "keys.rotation_started", "keys.rotated"]


def test_rotation_is_idempotent(db, users, new_ring):
    first = rotate_keys(db, new_ring, SYSTEM)
    raw = db.connection().exec_driver_sql("SELECT totp_secret FROM users ORDER BY id").all()
    second = rotate_keys(db, new_ring, SYSTEM)
    assert (first.reencrypted, second.reencrypted) == (5, 0)
    assert db.connection().exec_driver_sql("SELECT totp_secret FROM users ORDER BY id").all() == raw


def test_rotation_commits_after_each_batch(db, users, new_ring):
    progress: list[int] = []
    rotate_keys(db, new_ring, SYSTEM, batch_size=2, on_batch=progress.append)
    assert progress == [2, 4, 5]


def test_rotation_passes_over_a_value_that_will_not_decrypt(db, users, new_ring):
    stored = (
        db.connection()
        .exec_driver_sql(f"SELECT totp_secret FROM users WHERE id = {users[2].id}")
        .scalar_one()
    )
    tampered = stored[:-6] + ("AAAA==" if not stored.endswith("AAAA==") else "BBBB==")
    db.connection().exec_driver_sql(
        f"UPDATE users SET totp_secret = '{tampered}' WHERE id = {users[2].id}"
    )
    result = rotate_keys(db, new_ring, SYSTEM, batch_size=1)
    assert result.reencrypted == 4
    assert result.failed == [f"users.totp_secret id {users[2].id}"]
    assert keyring_usage(db, new_ring).totals == {"k2": 4, "test1": 1}
    entry = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert (entry.action, entry.detail) == ("keys.rotated", {"reencrypted": 4, "failed": 1})


def test_rotation_refuses_a_zero_batch(db, new_ring):
    with pytest.raises(ValueError, match="batch_size"):
        rotate_keys(db, new_ring, SYSTEM, batch_size=0)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({k: v for k, v in KEY_MATERIAL.items() if k != "source"}))
    path.chmod(0o600)
    return path


def test_add_key_makes_a_new_active_key_and_keeps_the_old(db, key_file):
    key_id = add_key(db, SYSTEM, key_file)
    material = json.loads(key_file.read_text())
    assert material["active"] == key_id == "k2"
    assert set(material["keys"]) == {"test1", "k2"}
    assert material["keys"]["test1"] == KEY_MATERIAL["keys"]["test1"]
    assert material["index_key"] == KEY_MATERIAL["index_key"]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert KeyRing.from_material(material).active_id == "k2"
    assert add_key(db, SYSTEM, key_file) == "k3"
    assert actions(db)[-2:] == ["keys.added", "keys.added"]
    assert not list(key_file.parent.glob(".*"))


def test_keys_from_the_environment_cannot_be_changed(db):
    with pytest.raises(KeyChangeRefused, match="IG_DATA_KEYS_FILE") as caught:
        add_key(db, SYSTEM, None)
    assert "unset IG_DATA_KEYS" in caught.value.message
    with pytest.raises(KeyChangeRefused, match="IG_DATA_KEYS variable"):
        drop_key(db, SYSTEM, None, "test1")


def test_a_broken_key_file_is_not_edited(db, key_file):
    key_file.write_text('{"active": "test1"}')
    with pytest.raises(ConfigurationError, match="'keys' must map"):
        add_key(db, SYSTEM, key_file)
    assert key_file.read_text() == '{"active": "test1"}'


def test_dropping_a_key_in_use_is_refused(db, users, key_file):
    add_key(db, SYSTEM, key_file)
    before = key_file.read_text()
    with pytest.raises(KeyChangeRefused, match="still protects 5 values: run ig rotate-keys"):
        drop_key(db, SYSTEM, key_file, "test1")
    assert key_file.read_text() == before


def test_the_active_key_is_never_dropped(db, key_file):
    with pytest.raises(KeyChangeRefused, match="active key"):
        drop_key(db, SYSTEM, key_file, "test1")


def test_dropping_an_unknown_key_is_refused(db, key_file):
    with pytest.raises(KeyChangeRefused, match="no key 'nope'"):
        drop_key(db, SYSTEM, key_file, "nope")


def test_new_key_rotate_then_drop(db, users, key_file, keyring):
    add_key(db, SYSTEM, key_file)
    ring = KeyRing.from_material(json.loads(key_file.read_text()))
    install_keyring(ring)
    try:
        rotate_keys(db, ring, SYSTEM)
        drop_key(db, SYSTEM, key_file, "test1")
        material = json.loads(key_file.read_text())
        assert set(material["keys"]) == {"k2"}
        install_keyring(KeyRing.from_material(material))
        assert secrets_read_back(db, users) == SECRETS
    finally:
        install_keyring(keyring)
    entry = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert (entry.action, entry.record_type, entry.record_id) == ("keys.dropped", "key", "test1")

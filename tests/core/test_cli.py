"""The key and audit commands: verify-audit, rotate-keys, keys status / new / drop / init."""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from ig import create_app
from ig.audit.models import AuditEntry
from ig.audit.service import record
from ig.auth.rules import SYSTEM
from ig.cli import main
from ig.crypto import KeyRing, install_keyring
from ig.db import Database
from tests.conftest import KEY_MATERIAL, IgClient
from tests.factories import make_user


def runner_for(app, db):
    """Invoke an ig command; the test's records are committed (into its outer transaction)."""
    runner = app.test_cli_runner()

    def invoke(*args: str):
        db.commit()
        install_keyring(app.extensions["ig.keyring"])  # as a fresh ig process would
        return runner.invoke(main, list(args))

    return invoke


@pytest.fixture
def run(app, db):
    return runner_for(app, db)


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    """A key file holding the test key and a newer active key, k2."""
    keys = {**KEY_MATERIAL["keys"], "k2": base64.b64encode(b"2" * 32).decode()}
    material = {k: v for k, v in KEY_MATERIAL.items() if k != "source"}
    path = tmp_path / "keys.json"
    path.write_text(json.dumps({**material, "keys": keys, "active": "k2"}))
    path.chmod(0o600)
    return path


@pytest.fixture
def run_with_file(settings, engine, db, key_file, keyring):
    """Commands run by an app whose keys come from ``key_file`` (k2 active)."""
    material = {**json.loads(key_file.read_text()), "source": str(key_file)}
    file_settings = settings.__class__(
        **{**settings.__dict__, "key_material": material, "data_keys_file": key_file}
    )
    app = create_app(file_settings, Database(engine, session_factory=lambda: db))
    app.test_client_class = IgClient
    yield runner_for(app, db)
    install_keyring(keyring)


def test_verify_audit_passes_an_intact_trail(run, db):
    for n in range(3):
        record(db, SYSTEM, f"thing.{n}")
    result = run("verify-audit")
    assert result.exit_code == 0, result.output
    assert "Audit trail intact: 3 entries" in result.output


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        ("UPDATE audit_entries SET detail = '{\"x\": 1}' WHERE seq = 2", "entry 2 (id"),
        ("DELETE FROM audit_entries WHERE seq = 2", "entry 2 was removed"),
        (
            "INSERT INTO audit_entries (seq, at, actor_label, action, detail, prev_hash, "
            "entry_hash) VALUES (5, '2026-01-01 00:00:00', 'forger', 'x', '{}', 'a', 'b')",
            "entry 5 (id",
        ),
    ],
)
def test_verify_audit_fails_naming_the_first_broken_entry(run, db, tamper, named):
    for n in range(4):
        record(db, SYSTEM, f"thing.{n}")
    db.connection().execute(text(tamper))
    result = run("verify-audit")
    assert result.exit_code == 1
    assert "Audit trail is NOT intact" in result.output
    assert named in result.output


def test_keys_status_reports_values_per_key(run, db):
    make_user(db, totp_secret="a")
    make_user(db, totp_secret="b")
    result = run("keys", "status")
    assert result.exit_code == 0, result.output
    assert "Active key: test1" in result.output
    assert "test1" in result.output
    assert "users.totp_secret: test1 2" in result.output


def test_rotate_keys_moves_every_value_to_the_active_key(run_with_file, db, keyring):
    install_keyring(keyring)  # values written before k2 was added
    users = [make_user(db, totp_secret=f"secret {n}") for n in range(3)]  # under test1
    result = run_with_file("rotate-keys", "--batch", "2")
    assert result.exit_code == 0, result.output
    assert "2 values re-encrypted so far" in result.output
    assert "Re-encrypted 3 values under key k2." in result.output
    assert "users.totp_secret: k2 3, test1 0" in result.output
    db.expire_all()
    assert [db.get(type(u), u.id).totp_secret for u in users] == [f"secret {n}" for n in range(3)]
    again = run_with_file("rotate-keys")
    assert "Re-encrypted 0 values" in again.output


def test_rotate_keys_refuses_a_zero_batch(run):
    result = run("rotate-keys", "--batch", "0")
    assert result.exit_code == 2
    assert "--batch" in result.output


def test_keys_new_refuses_keys_from_the_environment(run):
    result = run("keys", "new")
    assert result.exit_code == 1
    assert "IG_DATA_KEYS variable, which ig cannot change" in result.output
    assert "IG_DATA_KEYS_FILE" in result.output


def test_keys_new_adds_an_active_key_to_the_file(run_with_file, key_file, db):
    result = run_with_file("keys", "new")
    assert result.exit_code == 0, result.output
    assert "Added key k3" in result.output
    assert "ig rotate-keys" in result.output
    material = json.loads(key_file.read_text())
    assert (material["active"], sorted(material["keys"])) == ("k3", ["k2", "k3", "test1"])
    assert KeyRing.from_material(material).active_id == "k3"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    latest = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert (latest.action, latest.record_id, latest.actor_label) == (
        "keys.added",
        "k3",
        "command line",
    )


def test_keys_drop_refuses_a_key_in_use_and_drops_it_after_rotation(
    run_with_file, key_file, db, keyring
):
    install_keyring(keyring)  # a value written before k2 was added
    make_user(db, totp_secret="still under test1")
    refused = run_with_file("keys", "drop", "test1")
    assert refused.exit_code == 1
    assert "Key test1 still protects 1 values" in refused.output
    assert "test1" in json.loads(key_file.read_text())["keys"]

    assert run_with_file("rotate-keys").exit_code == 0
    dropped = run_with_file("keys", "drop", "test1")
    assert dropped.exit_code == 0, dropped.output
    assert sorted(json.loads(key_file.read_text())["keys"]) == ["k2"]


def test_keys_drop_refuses_the_active_key(run_with_file):
    result = run_with_file("keys", "drop", "k2")
    assert result.exit_code == 1
    assert "active key" in result.output


def test_keys_init_writes_a_private_key_file_once(run, tmp_path):
    path = tmp_path / "new-keys.json"
    result = run("keys", "init", str(path))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert KeyRing.from_material(json.loads(path.read_text())).active_id == "k1"
    before = path.read_text()
    again = run("keys", "init", str(path))
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert path.read_text() == before


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"IG_ENV": "production"}, "IG_DATABASE_URL must be set in production"),
        (
            {"IG_ENV": "production", "IG_DATABASE_URL": "sqlite://", "IG_SECRET_KEY": "weak"},
            "IG_SECRET_KEY is too weak",
        ),
    ],
)
def test_a_bad_configuration_stops_start_up_with_its_reason(tmp_path, environ, named):
    ig = Path(sys.executable).parent / "ig"
    result = subprocess.run(  # noqa: S603 - our own console script
        [str(ig), "verify-audit"],
        env={"PATH": os.environ.get("PATH", ""), "IG_INSTANCE_PATH": str(tmp_path), **environ},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert f"ig cannot start: {named}" in result.stderr


def test_keys_status_warns_of_values_under_unknown_keys(run, db):
    user = make_user(db, totp_secret="x")
    db.connection().execute(
        text(f"UPDATE users SET totp_secret = 'v1:lost:AAAA' WHERE id = {user.id}")
    )
    result = run("keys", "status")
    assert "unknown" in result.output
    assert "they cannot be read" in result.output


def test_rotate_keys_fails_naming_values_that_would_not_decrypt(run, db):
    user = make_user(db, totp_secret="x")
    db.connection().execute(
        text(f"UPDATE users SET totp_secret = 'v1:lost:AAAA' WHERE id = {user.id}")
    )
    result = run("rotate-keys")
    assert result.exit_code == 1
    assert (
        f"1 values would not decrypt and were left as they are: users.totp_secret id {user.id}"
        in (result.output)
    )


def test_keys_new_refuses_a_broken_key_file(run_with_file, key_file):
    key_file.write_text("{broken")
    result = run_with_file("keys", "new")
    assert result.exit_code == 1
    assert "is not valid JSON" in result.output
    assert key_file.read_text() == "{broken"

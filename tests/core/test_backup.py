"""The backup and restore drill: ig backup, then ig restore into an empty database.

These tests make their own databases (committed data, which pg_dump must see), so
they take no ``backend`` and run once whatever IG_TEST_DATABASES holds. The
PostgreSQL drill restores onto a second, throwaway PostgreSQL server on a port of its
own; it is skipped only where the PostgreSQL server programs are not installed, and
fails instead when IG_TEST_DATABASES asks for PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import secrets
import shutil
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, inspect, make_url, text

from ig import create_app
from ig.audit.service import record
from ig.auth.rules import SYSTEM, Actor
from ig.backup.manifest import unreadable_columns
from ig.cli import main
from ig.crypto import KeyRing, install_keyring, new_key_material
from ig.db import utcnow
from ig.incidents.service import Report, get_incident, report_incident
from ig.migrations import upgrade
from ig.settings import PROJECT_ROOT, Settings
from tests.conftest import BACKENDS, KEY_MATERIAL, POSTGRES_URL
from tests.core.throwaway_postgres import Cluster, server_programs
from tests.factories import make_team, make_user

CANARY = "Canary: the Hollis family's case file was left on the number 12 bus"
READER = Actor(None, "backup drill", frozenset(), frozenset({"incidents.read"}))


def app_for(url: str, instance: Path, key_material: dict[str, Any] = KEY_MATERIAL) -> Flask:
    settings = Settings(
        env="test",
        database_url=url,
        secret_key=secrets.token_urlsafe(48),
        key_material=key_material,
        policies_dir=PROJECT_ROOT / "policies",
        instance_path=instance,
    )
    return create_app(settings)


def ig(app: Flask, *args: str) -> Any:
    """Run an ig command as a fresh process of ``app`` would."""
    install_keyring(app.extensions["ig.keyring"])
    return app.test_cli_runner().invoke(main, list(args))


def populate(app: Flask) -> str:
    """Migrate the database and report the canary incident; return its reference."""
    database = app.extensions["ig.db"]
    upgrade(database.engine)
    now = utcnow()
    with database.session_scope() as session:
        reporter = make_user(session)
        report = Report(
            CANARY, now - dt.timedelta(hours=2), now - dt.timedelta(hours=1),
            make_team(session).id, False,
        )  # fmt: skip
        actor = Actor(reporter.id, reporter.email, frozenset(), frozenset({"incidents.report"}))
        policy = app.extensions["ig.policies"].incidents
        return report_incident(session, actor, policy, report, now).reference


def read_canary(app: Flask, reference: str) -> str:
    """The canary's description, read through the incidents service."""
    install_keyring(app.extensions["ig.keyring"])
    with app.extensions["ig.db"].session_scope() as session:
        return get_incident(session, READER, reference).narrative


def dispose(*apps: Flask) -> None:
    for app in apps:
        app.extensions["ig.db"].engine.dispose()


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A SQLite database with the canary, checkpointed by verify-audit, then backed up."""
    root = tmp_path_factory.mktemp("backup")
    app = app_for(f"sqlite:///{root / 'source.sqlite3'}", root / "instance")
    reference = populate(app)
    checkpoint = root / "checkpoints"
    assert ig(app, "verify-audit", "--checkpoint", str(checkpoint)).exit_code == 0
    backup = root / "ig.backup"
    result = ig(app, "backup", "--to", str(backup))
    assert result.exit_code == 0, result.output
    yield {"app": app, "root": root, "reference": reference, "checkpoint": checkpoint,
           "backup": backup, "output": result.output}  # fmt: skip
    dispose(app)


def restore_target(source: dict[str, Any], tmp_path: Path, **kwargs: Any) -> Flask:
    return app_for(f"sqlite:///{tmp_path / 'restored.sqlite3'}", source["root"], **kwargs)


def test_a_sqlite_backup_restores_into_a_new_file(sqlite_source, tmp_path):
    target = restore_target(sqlite_source, tmp_path)
    result = ig(target, "restore", "--from", str(sqlite_source["backup"]))
    assert result.exit_code == 0, result.output
    assert "match its manifest" in result.output
    checkpoint = str(sqlite_source["checkpoint"])
    checked = ig(target, "verify-audit", "--checkpoint", checkpoint, "--no-append")
    assert checked.exit_code == 0, checked.output
    assert "The trail matches the checkpoint" in checked.output
    assert read_canary(target, sqlite_source["reference"]) == CANARY
    # The check a restore makes after loading names what other keys cannot read.
    other = KeyRing.from_material({**new_key_material("test1"), "source": "other keys"})
    with target.extensions["ig.db"].session_scope() as session:
        assert unreadable_columns(session, target.extensions["ig.keyring"]) == []
        unreadable = unreadable_columns(session, other)
    assert any("incidents.narrative failed its integrity check" in e for e in unreadable)
    dispose(target)


def test_the_backup_holds_a_manifest_and_no_key(sqlite_source):
    raw = sqlite_source["backup"].read_bytes()
    with tarfile.open(fileobj=io.BytesIO(raw)) as archive:
        assert archive.getnames() == ["manifest.json", "database.sqlite3"]
        manifest = json.load(archive.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["keys"]["included"] is False
    assert set(manifest["keys"]["values_per_key"]) == {"test1"}
    assert manifest["audit"]["intact"]
    assert manifest["audit"]["head_seq"] >= 1
    assert manifest["tables"]["incidents"] == 1
    assert "sharing_0004_documents" in manifest["schema_revisions"]
    assert any("data keys" in item for item in manifest["does_not_contain"])
    assert manifest["files_outside_database"] == []
    for secret in [*KEY_MATERIAL["keys"].values(), KEY_MATERIAL["index_key"]]:
        assert secret.encode() not in raw
    assert CANARY.encode() not in raw  # the canary is encrypted in the copy too
    assert "The data keys are NOT in the backup" in sqlite_source["output"]


def test_backup_never_replaces_a_file(sqlite_source):
    before = sqlite_source["backup"].read_bytes()
    result = ig(sqlite_source["app"], "backup", "--to", str(sqlite_source["backup"]))
    assert result.exit_code == 1
    assert "already exists; it was left unchanged" in result.output
    assert sqlite_source["backup"].read_bytes() == before
    assert [p.name for p in sqlite_source["root"].iterdir() if p.name.startswith(".")] == []


def test_files_left_outside_the_database_are_named(sqlite_source, tmp_path):
    app = sqlite_source["app"]
    upload = app.extensions["ig.settings"].upload_dir / "training" / "upload-1.csv"
    upload.parent.mkdir(parents=True)
    upload.write_text("staff id,course\n")
    try:
        result = ig(app, "backup", "--to", str(tmp_path / "with-files.backup"))
    finally:
        shutil.rmtree(upload.parent.parent)
    assert result.exit_code == 0, result.output
    assert "Not in the backup: 1 files in" in result.output
    with tarfile.open(tmp_path / "with-files.backup") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["files_outside_database"] == ["training/upload-1.csv"]


def test_restore_refuses_a_database_that_is_not_empty(sqlite_source):
    source_file = sqlite_source["root"] / "source.sqlite3"
    before = source_file.read_bytes()
    result = ig(sqlite_source["app"], "restore", "--from", str(sqlite_source["backup"]))
    assert result.exit_code == 1
    assert "is not empty" in result.output
    assert "nothing was changed" in result.output
    assert source_file.read_bytes() == before


def _truncated(backup: Path, path: Path) -> None:
    path.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])


def _altered(backup: Path, path: Path) -> None:
    raw = bytearray(backup.read_bytes())
    raw[-20_000] ^= 0xFF  # a byte of the database, not of the tar headers
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (None, "There is no backup file"),
        (_truncated, "damaged or truncated"),
        (_altered, "does not match the checksum"),
        (lambda _backup, path: path.write_text("not a backup"), "damaged or truncated"),
    ],
)
def test_restore_refuses_a_missing_or_damaged_file(sqlite_source, tmp_path, damage, named):
    path = tmp_path / "copy.backup"
    if damage is not None:
        damage(sqlite_source["backup"], path)
    target = restore_target(sqlite_source, tmp_path)
    result = ig(target, "restore", "--from", str(path))
    assert result.exit_code == 1
    assert named in result.output
    assert inspect(target.extensions["ig.db"].engine).get_table_names() == []
    dispose(target)


def test_restore_with_other_keys_is_refused_before_anything_changes(sqlite_source, tmp_path):
    other = {**new_key_material("test1"), "source": "other keys"}
    target = restore_target(sqlite_source, tmp_path, key_material=other)
    result = ig(target, "restore", "--from", str(sqlite_source["backup"]))
    assert result.exit_code == 1
    assert "The data keys here cannot read this backup" in result.output
    assert "test1 here is not the test1 the backup was made with" in result.output
    assert "IG_DATA_KEYS_FILE" in result.output
    assert "nothing was changed" in result.output
    assert inspect(target.extensions["ig.db"].engine).get_table_names() == []
    dispose(target)


def test_a_restore_older_than_the_checkpoint_fails_verify_audit(sqlite_source, tmp_path):
    newer = tmp_path / "checkpoints"
    shutil.copy(sqlite_source["checkpoint"], newer)
    source = sqlite_source["app"]
    install_keyring(source.extensions["ig.keyring"])  # another test's app may have changed it
    with source.extensions["ig.db"].session_scope() as session:
        record(session, SYSTEM, "thing.after_the_backup")
    checked = ig(source, "verify-audit", "--checkpoint", str(newer))
    assert checked.exit_code == 0, checked.output
    target = restore_target(sqlite_source, tmp_path)
    assert ig(target, "restore", "--from", str(sqlite_source["backup"])).exit_code == 0
    result = ig(target, "verify-audit", "--checkpoint", str(newer), "--no-append")
    assert result.exit_code == 1
    assert "the restored database is older than the checkpoint" in result.output
    assert "were made after that backup and are not in this database" in result.output
    dispose(target)


@pytest.fixture
def postgres_servers(tmp_path) -> Iterator[tuple[str, str]]:
    """The URLs of a source database and of an empty database on another server.

    The source is a scratch database on the test server when IG_TEST_DATABASES names
    PostgreSQL, and otherwise a throwaway server of its own.
    """
    missing = server_programs() is None
    if missing and "postgresql" in BACKENDS:
        pytest.fail("IG_TEST_DATABASES names postgresql, but initdb and pg_ctl were not found")
    if missing:
        pytest.skip("the PostgreSQL server programs (initdb, pg_ctl) are not installed")
    with Cluster() as target:
        if "postgresql" in BACKENDS:
            with scratch_database(POSTGRES_URL, "_backup") as source:
                yield source, target.create_database("ig_restored")
        else:
            with Cluster() as other:
                yield other.create_database("ig_source"), target.create_database("ig_restored")


@contextmanager
def scratch_database(url: str, suffix: str) -> Iterator[str]:
    """A new database beside ``url``'s, named with ``suffix``, dropped afterwards."""
    parsed = make_url(url)
    name = f"{parsed.database}{suffix}"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_postgresql_backup_restores_on_another_server(postgres_servers, tmp_path):
    source_url, target_url = postgres_servers
    assert make_url(source_url).port != make_url(target_url).port
    source = app_for(source_url, tmp_path / "instance")
    target = app_for(target_url, tmp_path / "instance")
    try:
        reference = populate(source)
        checkpoint, backup = tmp_path / "checkpoints", tmp_path / "ig.backup"
        assert ig(source, "verify-audit", "--checkpoint", str(checkpoint)).exit_code == 0
        taken = ig(source, "backup", "--to", str(backup))
        assert taken.exit_code == 0, taken.output
        restored = ig(target, "restore", "--from", str(backup))
        assert restored.exit_code == 0, restored.output
        checked = ig(target, "verify-audit", "--checkpoint", str(checkpoint), "--no-append")
        assert checked.exit_code == 0, checked.output
        assert "The trail matches the checkpoint" in checked.output
        assert read_canary(target, reference) == CANARY
        again = ig(target, "restore", "--from", str(backup))
        assert again.exit_code == 1
        assert "is not empty" in again.output
    finally:
        dispose(source, target)

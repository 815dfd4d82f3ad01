"""Taking a backup and restoring one: the steps, in the order that keeps them safe.

A backup reads its manifest from the very snapshot it dumps (PostgreSQL exports the
snapshot to pg_dump; SQLite is read from the copy). A restore checks everything it
can before it writes (the file, the keys, the schema revision, an empty target), so a
refused restore changes nothing; after loading it checks the copy against the
manifest, then records the restore in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import ig.models  # noqa: F401 - every table, for the counts and the encrypted columns
from ig.audit.chain import verify_chain
from ig.audit.checkpoint import RESTORED
from ig.audit.service import record
from ig.auth.rules import Actor
from ig.backup import engines, manifest
from ig.backup.archive import BackupError, read_archive, refuse_existing, sha256_of, write_archive
from ig.crypto import KeyRing
from ig.db import make_engine

_NOTHING_CHANGED = "Restore refused; nothing was changed."


def files_in(folder: Path | None) -> list[str]:
    """The files under ``folder`` (the upload folder), which a backup does not hold."""
    if folder is None or not folder.is_dir():
        return []
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def take_backup(
    engine: sa.Engine,
    keyring: KeyRing,
    destination: Path,
    now: dt.datetime,
    upload_dir: Path | None = None,
) -> dict[str, Any]:
    """Write the whole database to ``destination`` with its manifest; return the manifest.

    Files still in ``upload_dir`` are named in the manifest as not backed up.
    """
    refuse_existing(destination)
    dialect = engine.dialect.name
    taken_at = now.astimezone(dt.UTC).isoformat(timespec="seconds")
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".ig-backup-") as work:
        payload = Path(work) / engines.payload_name(dialect)
        if dialect == "postgresql":
            with _exported_snapshot(engine) as (session, snapshot):
                described = manifest.describe(session, keyring, dialect, taken_at)
                engines.dump(engine, payload, snapshot)
        else:
            engines.dump(engine, payload)
            copy = make_engine(f"sqlite:///{payload}")
            try:
                with Session(copy) as session:
                    described = manifest.describe(session, keyring, dialect, taken_at)
            finally:
                copy.dispose()
        described["files_outside_database"] = files_in(upload_dir)
        described["database"].update(
            file=payload.name, sha256=sha256_of(payload), bytes=payload.stat().st_size
        )
        write_archive(destination, described, payload)
    return described


@contextmanager
def _exported_snapshot(engine: sa.Engine) -> Iterator[tuple[Session, str]]:
    """A read-only repeatable-read session and its snapshot's id, for pg_dump to share."""
    repeatable = engine.connect().execution_options(isolation_level="REPEATABLE READ")
    with repeatable as connection, connection.begin():
        connection.execute(sa.text("SET TRANSACTION READ ONLY"))
        snapshot = connection.scalar(sa.text("SELECT pg_export_snapshot()"))
        with Session(bind=connection) as session:
            yield session, str(snapshot)


@dataclass
class Restored:
    """What a restore found after loading: the manifest, and any check that failed."""

    manifest: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    upgrade_needed: bool = False


def restore_backup(
    engine: sa.Engine, keyring: KeyRing, source: Path, actor: Actor, now: dt.datetime
) -> Restored:
    """Load ``source`` into the empty database of ``engine``, then check and record it.

    BackupError, with nothing changed, for a missing or damaged file, another kind of
    database, keys that cannot read it, a schema newer than this ig, or a database
    that is not empty.
    """
    with tempfile.TemporaryDirectory(prefix="ig-restore-") as work:
        found, payload = read_archive(source, Path(work))
        _refuse_unless_loadable(engine, keyring, source, found)
        engines.load(engine, payload)
    restored = Restored(found)
    with Session(engine) as session:
        restored.problems = _differences(session, keyring, found)
        restored.upgrade_needed = manifest.needs_upgrade(engine, manifest.revisions(session))
        if not restored.problems:
            detail = {"taken_at": found.get("taken_at"), "head_seq": found["audit"]["head_seq"]}
            record(session, actor, RESTORED, "backup", source.name, detail, at=now)
            session.commit()
    return restored


def _refuse_unless_loadable(
    engine: sa.Engine, keyring: KeyRing, source: Path, found: dict[str, Any]
) -> None:
    dialect = found["database"]["dialect"]
    if dialect != engine.dialect.name:
        raise BackupError(
            f"{source} is a backup of a {dialect} database, but IG_DATABASE_URL names a "
            f"{engine.dialect.name} database. {_NOTHING_CHANGED}"
        )
    problems = manifest.key_problems(found, keyring)
    if problems:
        raise BackupError(
            "The data keys here cannot read this backup: "
            + "; ".join(problems)
            + ". Point IG_DATA_KEYS_FILE at the key file kept apart from the backups "
            f"(README: Back up and restore). {_NOTHING_CHANGED}"
        )
    unknown = manifest.unknown_revisions(engine, list(found.get("schema_revisions") or []))
    if unknown:
        raise BackupError(
            f"{source} was made by a newer version of ig (schema revision "
            f"{', '.join(unknown)} is unknown here): restore it with that version. "
            + _NOTHING_CHANGED
        )
    if not engines.is_empty(engine):
        raise BackupError(
            f"The database {engine.url.render_as_string(hide_password=True)} is not empty. "
            "ig restores only into an empty database, so that nothing is overwritten or "
            f"mixed: create a new database and point IG_DATABASE_URL at it. {_NOTHING_CHANGED}"
        )


def _differences(session: Session, keyring: KeyRing, found: dict[str, Any]) -> list[str]:
    """How the restored database differs from the manifest, or cannot be read."""
    problems = []
    if manifest.revisions(session) != found.get("schema_revisions"):
        problems.append(
            f"the schema revision is {manifest.revisions(session)}, "
            f"not {found.get('schema_revisions')} as the manifest records"
        )
    chain = verify_chain(session)
    audit = found["audit"]
    if (chain.head_seq, chain.head_hash) != (audit["head_seq"], audit["head_hash"]):
        problems.append(
            f"the audit trail ends at entry {chain.head_seq}, not at entry "
            f"{audit['head_seq']} with the hash the manifest records"
        )
    for name, rows in sorted((found.get("tables") or {}).items()):
        table = sa.table(name)
        restored = session.scalar(sa.select(sa.func.count()).select_from(table))
        if restored != rows:
            problems.append(f"{name} has {restored} rows, not {rows} as the manifest records")
    problems.extend(
        f"an encrypted value cannot be read: {error}"
        for error in manifest.unreadable_columns(session, keyring)
    )
    return problems

"""What a backup's manifest records, and the checks a restore makes against it.

The manifest is read from the same snapshot as the dump, so its counts, schema
revision and audit head describe exactly the database in the file. It names each
data key a value in the backup is encrypted under, with a check value of the key (a
keyed hash of a fixed text: it shows whether two keys are the same without revealing
either), so that a restore with the wrong key file is refused before anything changes.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.orm import Session

from ig.audit.chain import verify_chain
from ig.backup.archive import FORMAT, BackupError
from ig.crypto import FORMAT as VALUE_FORMAT
from ig.crypto import ROW_KEY, DecryptionError, KeyRing
from ig.db import Base
from ig.encrypted import encrypted_columns
from ig.keys import keyring_usage
from ig.migrations import alembic_config

CONTAINS = [
    "every table of the database: the registers, their encrypted fields (still encrypted), "
    "uploaded documents and files kept in the database, users and the audit trail",
]
DOES_NOT_CONTAIN = [
    "the data keys (IG_DATA_KEYS_FILE or IG_DATA_KEYS): keep them apart from the backups; "
    "without them the encrypted fields cannot be read",
    "the secret key (IG_SECRET_KEY): signs sessions only; a new one just signs everyone out",
    "the audit checkpoint file (IG_AUDIT_CHECKPOINT): kept apart, so that it can show "
    "whether a restored trail is complete",
    "the policies folder (policies/), which is kept with the code",
]
_CHECK_TEXT = b"ig backup key check"


def check_value(key: bytes) -> str:
    """A keyed hash of a fixed text: equal for the same key, and reveals nothing of it."""
    return hmac.new(key, _CHECK_TEXT, hashlib.sha256).hexdigest()


def revisions(session: Session) -> list[str]:
    """The schema revisions (one per Alembic head) the database is at."""
    context = MigrationContext.configure(session.connection())
    return sorted(context.get_current_heads())


def describe(session: Session, keyring: KeyRing, dialect: str, now: str) -> dict[str, Any]:
    """The manifest of the database ``session`` sees, less the file's checksum."""
    schema = revisions(session)
    if not schema:
        raise BackupError("The database has no ig schema, so there is nothing to back up")
    chain = verify_chain(session)
    usage = keyring_usage(session, keyring).totals
    return {
        "format": FORMAT,
        "taken_at": now,
        "database": {"dialect": dialect},
        "schema_revisions": schema,
        "tables": {
            name: session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
            for name, table in sorted(Base.metadata.tables.items())
        },
        "audit": {
            "entries": chain.checked,
            "head_seq": chain.head_seq,
            "head_hash": chain.head_hash,
            "intact": chain.ok,
            "problem": chain.problem and chain.problem.message,
        },
        "keys": {
            "included": False,
            "values_per_key": {key_id: n for key_id, n in usage.items() if n},
            "check_values": {
                **{key_id: check_value(key) for key_id, key in keyring.keys.items()},
                "index_key": check_value(keyring.index_key),
                "audit_key": check_value(keyring.audit_key),
            },
        },
        "contains": CONTAINS,
        "does_not_contain": DOES_NOT_CONTAIN,
    }


def key_problems(manifest: Mapping[str, Any], keyring: KeyRing) -> list[str]:
    """Why the installed keys cannot read the backup; empty when they can."""
    keys = manifest.get("keys") or {}
    checks = keys.get("check_values") or {}
    mine = {
        **{key_id: check_value(key) for key_id, key in keyring.keys.items()},
        "index_key": check_value(keyring.index_key),
        "audit_key": check_value(keyring.audit_key),
    }
    needed = [*sorted(keys.get("values_per_key") or {}), "index_key", "audit_key"]
    problems = []
    for name in needed:
        if name not in mine:
            problems.append(f"the backup's values are under key {name}, which is not here")
        elif name in checks and not hmac.compare_digest(str(checks[name]), mine[name]):
            problems.append(f"{name} here is not the {name} the backup was made with")
        elif name not in checks:
            problems.append(f"the backup's manifest has no check value for {name}")
    return problems


def unknown_revisions(engine: sa.Engine, schema: list[str]) -> list[str]:
    """The revisions in ``schema`` that this version of ig does not know."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    unknown = []
    for revision in schema:
        try:
            script.get_revision(revision)
        except CommandError:
            unknown.append(revision)
    return unknown


def needs_upgrade(engine: sa.Engine, schema: list[str]) -> bool:
    """Whether this ig has migrations that the schema at ``schema`` has not had.

    The version table keeps only the newest revisions, not one per head (a head that
    another depends on is implied), so the heads are looked for among its ancestors.
    """
    script = ScriptDirectory.from_config(alembic_config(engine))
    applied = {revision.revision for revision in script.iterate_revisions(tuple(schema), "base")}
    return not set(script.get_heads()) <= applied


def unreadable_columns(session: Session, keyring: KeyRing) -> list[str]:
    """Encrypted columns whose first stored value the key ring cannot decrypt."""
    failed = []
    for table_name, column_name, _ in encrypted_columns(Base.metadata):
        table = sa.table(table_name, sa.column(ROW_KEY), sa.column(column_name))
        value = table.c[column_name]
        row = session.execute(
            sa.select(table.c[ROW_KEY], value)
            .where(sa.func.substr(value, 1, 3) == f"{VALUE_FORMAT}:")
            .limit(1)
        ).first()
        if row is None:
            continue
        try:
            keyring.decrypt_bytes(row[1], f"{table_name}.{column_name}", row[0])
        except DecryptionError as error:
            failed.append(str(error))
    return failed

"""Data-key management: what each key protects, rotation, and adding or dropping keys.

Rotation re-encrypts stored values under the active key without ever holding more
than one batch in memory, committing after each batch: an interrupted run loses
nothing and the next run carries on where it stopped. Only the data keys rotate; the
blind-index and audit keys are fixed, because changing them would orphan every blind
index and break verification of the existing audit trail. Each value is re-encrypted
for the row it is in (its row key), so rotation keeps every value bound to its row;
a ``v1`` value, bound to no row, is listed as failed rather than bound to the row it
was found in (the upgrade to row-bound values reads those).
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ig.audit.service import record
from ig.auth.rules import Actor
from ig.crypto import FORMAT, LEGACY_FORMAT, ROW_KEY, DecryptionError, KeyRing
from ig.db import Base  # every table, once the app (or ig.models) has imported the features
from ig.encrypted import EncryptedColumn, encrypted_columns
from ig.errors import ConfigurationError, DomainError

UNKNOWN = "unknown"  # values under a key id the key ring does not hold


class KeyChangeRefused(DomainError):
    """A key change that would make stored values unreadable, or that ig cannot make."""


@dataclass(frozen=True)
class KeyUsage:
    """How many stored values each key id protects, per encrypted column."""

    active_id: str
    by_column: Mapping[str, Mapping[str, int]]  # "table.column" -> key id -> values

    @property
    def totals(self) -> dict[str, int]:
        """Values per key id over every column; every key of the ring appears, even at 0."""
        totals: dict[str, int] = {}
        for counts in self.by_column.values():
            for key_id, count in counts.items():
                totals[key_id] = totals.get(key_id, 0) + count
        return totals

    def count(self, key_id: str) -> int:
        return self.totals.get(key_id, 0)


@dataclass
class RotationResult:
    """What a rotation run did; ``failed`` names values that would not decrypt."""

    active_id: str
    reencrypted: int = 0
    failed: list[str] = field(default_factory=list)


def _raw_table(table_name: str, column_name: str) -> tuple[sa.TableClause, sa.ColumnClause, Any]:
    """A lightweight view of one encrypted column as plain text, with its primary key
    and row key.

    The mapped column type would decrypt on read and encrypt on write; rotation and
    counting work on the stored text itself.
    """
    table = Base.metadata.tables[table_name]
    if len(table.primary_key.columns) != 1:
        raise ConfigurationError(
            f"{table_name} holds encrypted values, so it needs a single-column primary key"
        )
    (pk,) = table.primary_key.columns
    raw = sa.table(
        table.name,
        sa.column(pk.name, pk.type),
        sa.column(ROW_KEY, sa.String),
        sa.column(column_name, sa.Text),
    )
    return raw, raw.c[column_name], raw.c[pk.name]


def _prefix_pattern(key_id: str, fmt: str = FORMAT) -> str:
    # Key ids may contain "_", a LIKE wildcard; escape it so k_1 never matches kx1.
    return f"{fmt}:{key_id}:".replace("\\", "\\\\").replace("_", "\\_") + "%"


def _head(value: Any) -> Any:
    """The start of a stored value, which names its format and key: enough to match on
    without reading a whole document (PostgreSQL fetches only that slice)."""
    return sa.func.substr(value, 1, 48)


def _under_key(value: Any, key_id: str) -> Any:
    """Stored under ``key_id``, bound to its row (v2) or, before migration, not (v1)."""
    return sa.or_(
        _head(value).like(_prefix_pattern(key_id), escape="\\"),
        _head(value).like(_prefix_pattern(key_id, LEGACY_FORMAT), escape="\\"),
    )


def key_usage(session: Session, key_ids: list[str], active_id: str) -> KeyUsage:
    """Count stored values per key id, one aggregate query per encrypted column."""
    by_column: dict[str, dict[str, int]] = {}
    for table_name, column_name, _ in encrypted_columns(Base.metadata):
        _, value, _pk = _raw_table(table_name, column_name)
        counts = [
            sa.func.coalesce(sa.func.sum(sa.case((_under_key(value, k), 1), else_=0)), 0)
            for k in key_ids
        ]
        row = session.execute(sa.select(sa.func.count(value), *counts)).one()
        per_key = dict(zip(key_ids, (int(n) for n in row[1:]), strict=True))
        unknown = int(row[0]) - sum(per_key.values())
        if unknown:
            per_key[UNKNOWN] = unknown
        by_column[f"{table_name}.{column_name}"] = per_key
    return KeyUsage(active_id, by_column)


def keyring_usage(session: Session, keyring: KeyRing) -> KeyUsage:
    """key_usage for every key of ``keyring``, the active key first."""
    ids = [keyring.active_id, *sorted(k for k in keyring.keys if k != keyring.active_id)]
    return key_usage(session, ids, keyring.active_id)


def rotate_keys(
    session: Session,
    keyring: KeyRing,
    actor: Actor,
    *,
    batch_size: int = 500,
    on_batch: Callable[[int], None] | None = None,
) -> RotationResult:
    """Re-encrypt every value not under the active key, committing after each batch.

    Unlike a service this commits, because a rotation over a large database must not
    be one transaction. It is idempotent: values already under the active key are not
    touched. ``on_batch`` is called with the running total after each commit. Values
    that fail to decrypt are left as they are and listed in the result.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    result = RotationResult(keyring.active_id)
    record(session, actor, "keys.rotation_started", "key", keyring.active_id)
    session.commit()
    for table_name, column_name, _ in encrypted_columns(Base.metadata):
        _rotate_column(session, keyring, table_name, column_name, batch_size, result, on_batch)
    record(
        session,
        actor,
        "keys.rotated",
        "key",
        keyring.active_id,
        {"reencrypted": result.reencrypted, "failed": len(result.failed)},
    )
    session.commit()
    return result


def _rotate_column(
    session: Session,
    keyring: KeyRing,
    table_name: str,
    column_name: str,
    batch_size: int,
    result: RotationResult,
    on_batch: Callable[[int], None] | None,
) -> None:
    raw, value, pk = _raw_table(table_name, column_name)
    row_key = raw.c[ROW_KEY]
    context = f"{table_name}.{column_name}"
    stale = sa.and_(
        value.is_not(None),
        _head(value).not_like(_prefix_pattern(keyring.active_id), escape="\\"),
    )
    kind = Base.metadata.tables[table_name].c[column_name].type
    if isinstance(kind, EncryptedColumn) and kind.batch_limit is not None:
        batch_size = min(batch_size, kind.batch_limit)
    after = None
    while True:
        query = sa.select(pk, row_key, value).where(stale).order_by(pk).limit(batch_size)
        if after is not None:
            query = query.where(pk > after)  # keyset paging: failed values are passed over
        rows = session.execute(query).all()
        if not rows:
            return
        for row_id, bound_to, stored in rows:
            try:  # a v1 value, not bound to its row, is never carried into this one
                plain = keyring.decrypt_bytes(stored, context, bound_to)  # text or bytes
                fresh = keyring.encrypt_bytes(plain, context, bound_to)
            except DecryptionError:
                result.failed.append(f"{context} id {row_id}")
                continue
            # Matching the old text too: a value saved meanwhile is already current.
            session.execute(
                sa.update(raw).where(pk == row_id, value == stored).values({column_name: fresh})
            )
            result.reencrypted += 1
        session.commit()
        after = rows[-1][0]
        if on_batch is not None:
            on_batch(result.reencrypted)


def key_file(path: Path | None) -> Path:
    """The key file ig may change; KeyChangeRefused if the keys do not come from a file."""
    if path is None:
        raise KeyChangeRefused(
            "The data keys come from the IG_DATA_KEYS variable, which ig cannot change. "
            "Save that JSON to a file readable only by ig (chmod 600), set "
            "IG_DATA_KEYS_FILE to the file and unset IG_DATA_KEYS, then run this again."
        )
    return path


def read_key_file(path: Path) -> dict[str, Any]:
    """The key material in ``path``, checked as start-up checks it (ConfigurationError)."""
    try:
        material = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise KeyChangeRefused(f"{path} is not valid JSON: {exc}") from exc
    KeyRing.from_material({**material, "source": str(path)})  # refuse to edit a bad file
    return dict(material)


def _write_key_file(path: Path, material: Mapping[str, Any]) -> None:
    """Replace the key file atomically, owner-only, so a crash never leaves half a file."""
    KeyRing.from_material({**material, "source": str(path)})
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(material, handle, indent=2)
    os.replace(temporary, path)


def _next_key_id(existing: Mapping[str, Any]) -> str:
    numbers = [int(m.group(1)) for k in existing if (m := re.fullmatch(r"k(\d+)", k))]
    return f"k{max(numbers, default=len(existing)) + 1}"


def add_key(session: Session, actor: Actor, path: Path | None) -> str:
    """Add a fresh data key to the key file and make it active; return its id.

    Values stay under their old key until ``rotate_keys`` runs. Every ig process must
    be restarted first, so that none writes under the old key or fails to read the new.
    """
    path = key_file(path)
    material = read_key_file(path)
    key_id = _next_key_id(material["keys"])
    material["keys"] = {**material["keys"], key_id: base64.b64encode(os.urandom(32)).decode()}
    material["active"] = key_id
    record(session, actor, "keys.added", "key", key_id)
    session.flush()  # the audit entry must be writable before the file changes
    _write_key_file(path, material)
    return key_id


def drop_key(session: Session, actor: Actor, path: Path | None, key_id: str) -> None:
    """Remove a retired key from the key file; refused while any value still uses it."""
    path = key_file(path)
    material = read_key_file(path)
    if key_id not in material["keys"]:
        raise KeyChangeRefused(f"There is no key {key_id!r} in {path}.")
    if key_id == material["active"]:
        raise KeyChangeRefused(f"Key {key_id} is the active key and cannot be dropped.")
    in_use = key_usage(session, [key_id], material["active"]).count(key_id)
    if in_use:
        raise KeyChangeRefused(
            f"Key {key_id} still protects {in_use} values: run ig rotate-keys first."
        )
    material["keys"] = {k: v for k, v in material["keys"].items() if k != key_id}
    record(session, actor, "keys.dropped", "key", key_id)
    session.flush()
    _write_key_file(path, material)

"""Carry stored values between formats: to row-bound ``v2`` values, and back.

Used by the migration that binds encrypted values to their rows. Each function works
on a plain connection, a batch of rows at a time (keyset paging on ``id``), and is
idempotent: a row that already has a row key keeps it, and a value that already
decrypts as ``v2`` in its row is left alone, so a run that stopped part-way is simply
run again.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import Connection

from ig.crypto import FORMAT, LEGACY_FORMAT, NONCE_BYTES, DecryptionError, KeyRing, new_row_key


@dataclass(frozen=True)
class TableSpec:
    """One table's encrypted columns: ``sealed`` held v1 values, ``clear`` held plaintext."""

    name: str
    sealed: Sequence[str] = ()
    clear: Sequence[str] = ()

    @property
    def columns(self) -> list[str]:
        return [*self.sealed, *self.clear]


@dataclass
class Progress:
    """What a pass changed, and the values it could not read (left as they were)."""

    rows: int = 0
    unreadable: list[str] = field(default_factory=list)


def _rows(connection: Connection, table: Any, batch: int) -> Iterator[Any]:
    after = None
    while True:
        query = sa.select(table).order_by(table.c.id).limit(batch)
        if after is not None:
            query = query.where(table.c.id > after)
        rows = connection.execute(query).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].id


def _view(spec: TableSpec) -> Any:
    return sa.table(
        spec.name,
        sa.column("id", sa.Integer),
        sa.column("row_key", sa.String),
        *(sa.column(name, sa.Text) for name in spec.columns),
    )


def _is_bound(keyring: KeyRing, value: str, context: str, row_key: str) -> bool:
    if not row_key or not value.startswith(f"{FORMAT}:"):
        return False
    try:
        keyring.decrypt(value, context, row_key)
    except DecryptionError:
        return False
    return True


def bind_rows(
    connection: Connection,
    keyring: Callable[[], KeyRing],
    spec: TableSpec,
    batch: int = 500,
) -> Progress:
    """Give each row a row key and store each of its values as a ``v2`` value.

    ``keyring`` is called only when there is a value to re-encrypt, so an empty
    database migrates without keys.
    """
    table, progress = _view(spec), Progress()
    for row in _rows(connection, table, batch):
        row_key = row.row_key or new_row_key()
        changes: dict[str, Any] = {} if row.row_key else {"row_key": row_key}
        for name in spec.columns:
            value, context = getattr(row, name), f"{spec.name}.{name}"
            if value is None or _is_bound(keyring(), value, context, row_key):
                continue
            try:
                plain = keyring().decrypt_legacy(value, context) if name in spec.sealed else value
            except DecryptionError:
                progress.unreadable.append(f"{context} id {row.id}")
                continue
            changes[name] = keyring().encrypt(plain, context, row_key)
        if changes:
            connection.execute(sa.update(table).where(table.c.id == row.id).values(changes))
            progress.rows += 1
    return progress


def unbind_rows(
    connection: Connection,
    keyring: Callable[[], KeyRing],
    spec: TableSpec,
    batch: int = 500,
) -> Progress:
    """The reverse, for a downgrade: ``v2`` values back to ``v1`` or to plaintext."""
    table, progress = _view(spec), Progress()
    for row in _rows(connection, table, batch):
        changes: dict[str, Any] = {}
        for name in spec.columns:
            value, context = getattr(row, name), f"{spec.name}.{name}"
            if value is None or not _is_bound(keyring(), value, context, row.row_key or ""):
                continue
            plain = keyring().decrypt(value, context, row.row_key)
            changes[name] = (
                legacy_encrypt(keyring(), plain, context) if name in spec.sealed else plain
            )
        if changes:
            connection.execute(sa.update(table).where(table.c.id == row.id).values(changes))
            progress.rows += 1
    return progress


def legacy_encrypt(keyring: KeyRing, plain: str, context: str) -> str:
    """A ``v1`` value, as ig wrote before values were bound to rows (downgrade only)."""
    nonce = os.urandom(NONCE_BYTES)
    aad = f"{LEGACY_FORMAT}|{context}|{keyring.active_id}".encode()
    sealed = AESGCM(keyring.keys[keyring.active_id]).encrypt(nonce, plain.encode(), aad)
    return f"{LEGACY_FORMAT}:{keyring.active_id}:{base64.b64encode(nonce + sealed).decode()}"

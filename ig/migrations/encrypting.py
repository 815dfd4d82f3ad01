"""What the migrations that encrypt existing values share: the data keys, reading a value
back, and walking a table in batches.

Migrations are history: a change here changes what they do, so these stay small and
keep their behaviour.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from ig.crypto import DecryptionError, KeyRing, get_keyring
from ig.errors import IgError
from ig.migrations import UpgradeRefused

BATCH = 500


def data_keys(what: str) -> KeyRing:
    """The installed key ring; UpgradeRefused saying that ``what`` needs it, if none is."""
    try:
        return get_keyring()
    except IgError as exc:
        raise UpgradeRefused(
            f"{what} must be encrypted, which needs the data keys: run the upgrade through "
            "ig (ig init), with IG_DATA_KEYS_FILE set"
        ) from exc


def readable(keyring: KeyRing, value: str, context: str, row_key: str) -> str | None:
    """``value`` decrypted in its row, or None if it is not a value of that row."""
    try:
        return keyring.decrypt(value, context, row_key)
    except DecryptionError:
        return None


def each_row(table: sa.TableClause, change: Callable[[Any], dict[str, object] | None]) -> None:
    """Call ``change`` on every row of ``table`` (which has an ``id``), in batches by id,
    and write back the values it returns (None: leave the row as it is)."""
    connection = op.get_bind()
    after = 0
    while rows := connection.execute(
        sa.select(table).where(table.c.id > after).order_by(table.c.id).limit(BATCH)
    ).all():
        for row in rows:
            values = change(row)
            if values:
                connection.execute(sa.update(table).where(table.c.id == row.id).values(values))
        after = rows[-1].id

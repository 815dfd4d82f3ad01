"""Generated rows made ready for tables with encrypted columns, which the generators insert
in bulk (SQLAlchemy Core) rather than through the ORM that binds values to their rows.

Each encrypted value must be bound to its row's key (``ig.rowkeys``), including the
columns a generator leaves to their defaults, so each row is given a row key and every
encrypted column's value, tagged with it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table

from ig.crypto import ROW_KEY, new_row_key
from ig.encrypted import Bound, EncryptedText


def _default(column: Any) -> Any:
    default = column.default
    return default.arg if default is not None and default.is_scalar else None


def bound(model: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` for ``model`` (a mapped class or a Table) with row keys and bound values;
    the rows unchanged if the table has no encrypted column."""
    table: Table = getattr(model, "__table__", model)
    encrypted = [c for c in table.columns if isinstance(c.type, EncryptedText)]
    if not encrypted:
        return rows
    out = []
    for row in rows:
        key = row.get(ROW_KEY) or new_row_key()
        ready = {**row, ROW_KEY: key}
        for column in encrypted:
            value = row.get(column.key, _default(column))
            ready[column.key] = None if value is None else Bound(str(value), key)
        out.append(ready)
    return out

"""Encrypted column types, for text and for bytes, and the list of encrypted columns.

A column type cannot see the row it is in, so the row key reaches it both ways
through SQL and the ORM: on reading, the type's column expression selects
``row_key || '/' || value`` wherever the column is selected (whole objects,
``select(Model.column)``, joins), so lists computed in SQL decrypt without a query per
row; on writing, mapper events hand the type each new value tagged with its row's key
(``Bound`` or ``BoundBytes``, see ig/rowkeys.py). A value written any other way, such
as a Core UPDATE, is refused rather than stored unbound.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from sqlalchemy import Text, type_coerce
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import CompileError
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator

from ig.crypto import ROW_KEY, DecryptionError, get_keyring
from ig.errors import ConfigurationError

_T = TypeVar("_T", str, bytes)


class Bound(str):
    """A value on its way to an encrypted text column, tagged with its row's key."""

    __slots__ = ("row_key",)
    row_key: str

    def __new__(cls, value: str, row_key: str) -> Bound:
        bound = super().__new__(cls, value)
        bound.row_key = row_key
        return bound

    def __reduce__(self) -> tuple[Any, ...]:
        return (str, (str(self),))


class BoundBytes(bytes):
    """Bytes on their way to an encrypted bytes column, tagged with their row's key."""

    row_key: str  # bytes allows no __slots__ of its own, so this lives in __dict__

    def __new__(cls, value: bytes, row_key: str) -> BoundBytes:
        bound = super().__new__(cls, value)
        bound.row_key = row_key
        return bound

    def __reduce__(self) -> tuple[Any, ...]:
        return (bytes, (bytes(self),))


def bind(value: str | bytes, row_key: str) -> Bound | BoundBytes:
    """``value`` tagged with ``row_key``, for the encrypted column it is written to."""
    if isinstance(value, str):
        return Bound(value, row_key)
    return BoundBytes(value, row_key)


class EncryptedColumn(TypeDecorator[_T]):
    """A column encrypted with AES-256-GCM, bound to ``context`` ("table.column").

    The context is written out in each model so that the list of encrypted fields can
    be read in one place (``encrypted_columns``) and checked against where it is used.
    The table must be ``RowKeyed``: each value is bound to its row's ``row_key`` too.
    The stored value is text (see ig/crypto.py), whatever the column holds.
    """

    impl = Text
    cache_ok = True
    holds: ClassVar[str]  # what the column holds, for refusals
    batch_limit: ClassVar[int | None] = None  # at most this many values in memory at once

    def __init__(self, context: str) -> None:
        super().__init__()
        self.context = context

    def column_expression(self, colexpr: ColumnElement[Any]) -> ColumnElement[Any]:
        """Select the value with its row key, ``row_key || '/' || value``, to decrypt it."""
        table = getattr(colexpr, "table", None)
        row_key = None if table is None else table.c.get(ROW_KEY)
        if row_key is None:
            raise CompileError(
                f"{self.context} can only be selected with its table's {ROW_KEY} at hand: "
                "select the column itself (or a subquery that also selects row_key)"
            )
        text = type_coerce(row_key, Text).concat("/").concat(type_coerce(colexpr, Text))
        return type_coerce(text, self)  # read back through this type: decrypted

    def _row_key(self, value: object, kind: type, bound: type) -> str:
        """The row key ``value`` is bound to; TypeError if it is not bound, or not ``kind``."""
        if not isinstance(value, kind):
            raise TypeError(f"{self.context} holds {self.holds}, not {type(value).__name__}")
        if not isinstance(value, bound):
            raise TypeError(
                f"{self.context} is written through the ORM, which binds each value to "
                "its row: an unbound value is not stored"
            )
        return value.row_key  # type: ignore[attr-defined, no-any-return]

    def _opened(self, value: str) -> tuple[str, str]:
        """The row key and stored text of a value read with its row key."""
        row_key, separator, stored = value.partition("/")
        if not separator:
            raise DecryptionError(f"value in {self.context} was read without its row key")
        return row_key, stored

    def copy(self, **kw: Any) -> EncryptedColumn[_T]:
        return type(self)(self.context)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.context!r})"


class EncryptedText(EncryptedColumn[str]):
    """A text column encrypted in its row."""

    cache_ok = True  # SQLAlchemy asks each subclass itself
    holds = "text"

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        row_key = self._row_key(value, str, Bound)
        return get_keyring().encrypt(str(value), self.context, row_key)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        row_key, stored = self._opened(value)
        return get_keyring().decrypt(stored, self.context, row_key)


class EncryptedBytes(EncryptedColumn[bytes]):
    """A bytes column (an uploaded file) encrypted in its row, stored as text.

    Its values can be megabytes, so key rotation reads a few at a time.
    """

    cache_ok = True
    holds = "bytes"
    batch_limit = 10

    def process_bind_param(self, value: bytes | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        row_key = self._row_key(value, bytes, BoundBytes)
        return get_keyring().encrypt_bytes(bytes(value), self.context, row_key)

    def process_result_value(self, value: str | None, dialect: Dialect) -> bytes | None:
        if value is None:
            return None
        row_key, stored = self._opened(value)
        return get_keyring().decrypt_bytes(stored, self.context, row_key)


def encrypted_columns(metadata: Any) -> list[tuple[str, str, str]]:
    """Every encrypted column as (table, column, description), sorted.

    Also checks that each column's declared context is its real place, so that a
    copied model line cannot silently bind values to the wrong column.
    """
    found = []
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedColumn):
                expected = f"{table.name}.{column.name}"
                if column.type.context != expected:
                    raise ConfigurationError(
                        f"encrypted column {expected} declares context {column.type.context!r}"
                    )
                if ROW_KEY not in table.c:
                    raise ConfigurationError(
                        f"{table.name} has an encrypted column, so it needs a {ROW_KEY} "
                        "(RowKeyed) to bind its values to their rows"
                    )
                found.append((table.name, column.name, column.comment or ""))
    return sorted(found)

"""Row keys: the identity each encrypted value is bound to, and the ORM events that bind.

A table with encrypted columns mixes in ``RowKeyed``. Before a row is inserted or
updated, each new value of an encrypted column is tagged with the row's key
(``Bound``, ``BoundBytes``), which the column type puts into the value's associated
data; after the flush the plain value is put back, so the object holds what it held
before. The row key never changes: its values could no longer be read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Mapped, Mapper, mapped_column
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from ig.crypto import ROW_KEY, new_row_key
from ig.encrypted import Bound, BoundBytes, EncryptedColumn, bind


class RowKeyed:
    """Mixin for a table with encrypted columns: its rows' keys, which values are bound to."""

    row_key: Mapped[str] = mapped_column(
        String(32),
        nullable=False,
        unique=True,
        index=True,
        default=new_row_key,
        comment="random identity of the row, bound into its encrypted values",
    )


def _encrypted_keys(mapper: Mapper[Any]) -> list[str]:
    return [
        prop.key
        for prop in mapper.column_attrs
        if isinstance(prop.columns[0].type, EncryptedColumn)
    ]


def _bind(target: Any, keys: Any) -> None:
    row_key = target.row_key
    state_dict = inspect(target).dict
    for key in keys:
        value = state_dict.get(key)
        if isinstance(value, str | bytes) and not isinstance(value, Bound | BoundBytes):
            state_dict[key] = bind(value, row_key)


@event.listens_for(RowKeyed, "before_insert", propagate=True)
def _bind_new_row(mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    if not target.row_key:
        target.row_key = new_row_key()
    keys = _encrypted_keys(mapper)
    state_dict = inspect(target).dict
    for key in keys:
        default = mapper.columns[key].default
        if state_dict.get(key) is None and isinstance(default, ScalarElementColumnDefault):
            state_dict[key] = default.arg  # a column default is bound like any value
    _bind(target, keys)


@event.listens_for(RowKeyed, "before_update", propagate=True)
def _bind_changed_values(mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    state = inspect(target)
    if state.attrs[ROW_KEY].history.deleted:
        raise ValueError(f"the row key of {mapper.class_.__name__} is never changed")
    changed = set(state.committed_state)
    _bind(target, [key for key in _encrypted_keys(mapper) if key in changed])


@event.listens_for(RowKeyed, "after_insert", propagate=True)
@event.listens_for(RowKeyed, "after_update", propagate=True)
def _unbind(mapper: Mapper[Any], _connection: Any, target: Any) -> None:
    state_dict = inspect(target).dict
    for key in _encrypted_keys(mapper):
        value = state_dict.get(key)
        if isinstance(value, Bound):
            state_dict[key] = str(value)
        elif isinstance(value, BoundBytes):
            state_dict[key] = bytes(value)

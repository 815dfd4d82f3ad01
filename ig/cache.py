"""Computed figures shared by every worker and process, kept in the database.

A figure that is expensive to compute (organisation-wide training compliance classifies
hundreds of thousands of rows) is stored under its key with a *stamp*: a summary of the
data it was computed from, which the caller reads with one cheap query. A stored figure
is used only while the stamp is unchanged, so any change that would alter it makes it
stale at once, for every app server alike, and the first request after a start finds
what the others computed. Each process also keeps the last figures it used in memory,
checked against the same stamp, so a repeated figure costs no read of the table.

Values are pickled (hence bandit's ``nosec`` marks), and read back by an unpickler that
builds only plain data: ig's dataclasses and enums, dates and the built-in containers.
A row planted in the table cannot make the app run anything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import io
import logging
import pickle  # nosec B403
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import Connection, LargeBinary, String, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from ig.db import Base, UTCDateTime, utcnow

T = TypeVar("T")
log = logging.getLogger(__name__)

KEEP_FOR = dt.timedelta(days=400)  # a figure not recomputed for this long is dropped
_MEMORY_SIZE = 128
_lock = threading.Lock()
_memory: OrderedDict[tuple[str, str], tuple[str, Any]] = OrderedDict()


class CachedFigure(Base):
    """One computed figure: its key's digest, its data stamp's digest and the value."""

    __tablename__ = "cached_figures"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    stamp: Mapped[str] = mapped_column(String(64), nullable=False)
    value: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)


class CacheError(Exception):
    """A stored value holds something other than plain data (a bug, or a planted row)."""


_PLAIN = (
    {("builtins", name) for name in ("set", "frozenset", "complex", "bytearray", "range")}
    | {("datetime", name) for name in ("date", "datetime", "time", "timedelta", "timezone")}
    | {("decimal", "Decimal")}
)


# find_class admits plain data only: a planted row cannot name a function to call.
class _DataOnly(pickle.Unpickler):  # nosec B301
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _PLAIN:
            return super().find_class(module, name)
        if module == "ig" or module.startswith("ig."):
            found = super().find_class(module, name)
            if isinstance(found, type) and (
                dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)
            ):
                return found
        raise CacheError(f"a cached figure may not hold {module}.{name}")


def _digest(value: Hashable) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def _load(data: bytes) -> Any:
    return _DataOnly(io.BytesIO(data)).load()


def cached(session: Session, key: Hashable, stamp: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``'s result for ``key``, reused while the data's ``stamp`` is unchanged.

    ``key`` and ``stamp`` are reprs of plain values (tuples of strings, numbers, dates):
    the same in every process. Three steps, each only if the last found nothing: this
    process's memory, the table, then ``compute()``, whose result is stored for all.
    """
    key_digest, stamp_digest = _digest(key), _digest(stamp)
    memory_key = (str(session.get_bind().engine.url), key_digest)
    with _lock:
        hit = _memory.get(memory_key)
        if hit is not None and hit[0] == stamp_digest:
            _memory.move_to_end(memory_key)
            return hit[1]  # type: ignore[no-any-return]
    stored = session.execute(
        select(CachedFigure.value).where(
            CachedFigure.key == key_digest, CachedFigure.stamp == stamp_digest
        )
    ).scalar()
    if stored is not None:
        value = _load(stored)
    else:
        value = compute()
        _store(session, key_digest, stamp_digest, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    _remember(memory_key, stamp_digest, value)
    return value


def _remember(memory_key: tuple[str, str], stamp_digest: str, value: Any) -> None:
    with _lock:
        _memory[memory_key] = (stamp_digest, value)
        _memory.move_to_end(memory_key)
        while len(_memory) > _MEMORY_SIZE:
            _memory.popitem(last=False)


def _store(session: Session, key: str, stamp: str, value: bytes) -> None:
    """Keep the figure for every process, whatever becomes of the request's transaction.

    A session on an engine (the app) writes through a connection of its own and commits
    at once. A session bound to a connection belongs to an outer transaction (a test, a
    command that commits at the end): the figure is written in a savepoint of it, as it
    is where a SQLite session has already written (a second connection would wait for
    the file's one write lock until it timed out). A
    figure that cannot be stored (a locked SQLite file, say) is only logged: the page
    has its value, and the next request computes it again.
    """
    now = utcnow()
    upsert = _upsert(session, key, stamp, value, now)
    prune = delete(CachedFigure).where(CachedFigure.computed_at < now - KEEP_FOR)
    bind = session.get_bind()
    try:
        if isinstance(bind, Connection) or _holds_sqlite_write_lock(session):
            with session.begin_nested():
                session.execute(upsert)
                session.execute(prune)
        else:
            with bind.begin() as connection:
                connection.execute(upsert)
                connection.execute(prune)
    except SQLAlchemyError:
        log.warning(
            "A computed figure could not be stored; it will be computed again", exc_info=True
        )


def _holds_sqlite_write_lock(session: Session) -> bool:
    """Whether the session has written to a SQLite file in its open transaction
    (pysqlite begins one only before the first write: see ig/db.py)."""
    if session.get_bind().dialect.name != "sqlite" or not session.in_transaction():
        return False
    return bool(session.connection().connection.driver_connection.in_transaction)  # type: ignore[union-attr]


def _upsert(session: Session, key: str, stamp: str, value: bytes, now: dt.datetime) -> Any:
    row = {"key": key, "stamp": stamp, "value": value, "computed_at": now}
    on_postgresql = session.get_bind().dialect.name == "postgresql"
    statement = (postgresql.insert if on_postgresql else sqlite.insert)(CachedFigure).values(row)
    changed = {name: statement.excluded[name] for name in ("stamp", "value", "computed_at")}
    return statement.on_conflict_do_update(index_elements=["key"], set_=changed)


def forget(session: Session | None = None) -> None:
    """Forget this process's figures and, given a session, the stored ones too (tests,
    benchmarks timing a cold start, and after the policy files are reloaded)."""
    with _lock:
        _memory.clear()
    if session is not None:
        session.execute(delete(CachedFigure))


def figure_count(session: Session) -> int:
    """How many figures are stored (for tests and the benchmark's report)."""
    return session.scalar(select(func.count()).select_from(CachedFigure)) or 0

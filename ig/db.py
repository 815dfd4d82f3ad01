"""Engine, session handling, the declarative Base and the common column shapes."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Enum, Integer, MetaData, create_engine, event
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import IllegalStateChangeError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    sessionmaker,
)
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from ig.errors import EditConflict

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Instants are stored in UTC and shown, and turned into calendar dates, in the UK.
LONDON = ZoneInfo("Europe/London")


def utcnow() -> dt.datetime:
    """The current instant, timezone-aware in UTC."""
    return dt.datetime.now(dt.UTC)


def london_today(now: dt.datetime | None = None) -> dt.date:
    """The calendar date in the UK at ``now`` (default: this instant): due, review and
    completion dates are UK dates."""
    return (now or utcnow()).astimezone(LONDON).date()


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware instant, stored in UTC on every backend.

    Naive datetimes are refused rather than guessed at: a naive value is a bug that
    would put the 72-hour clock an hour out across the clock changes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r} given where a UTC instant is required")
        value = value.astimezone(dt.UTC)
        # SQLite keeps text; store it naive-in-UTC so that it sorts and compares.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base: constraint names follow one convention so migrations are stable."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}  # noqa: RUF012 - SQLAlchemy's own hook


class Versioned:
    """Mixin for editable records: a version number checked on every UPDATE.

    Two people editing one record cannot overwrite each other: the second UPDATE
    matches no row and SQLAlchemy raises StaleDataError; services compare the version
    a form was loaded with and raise EditConflict before anything is written.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - a class-level directive
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def check_version(record: Versioned, expected_version: int | None) -> None:
    """Raise EditConflict unless ``record`` is still at the version the form was loaded with.

    Services call this before changing anything, so that the second of two people
    editing one record is told, and nothing of what is stored is lost.
    """
    if expected_version is None or record.version != expected_version:
        raise EditConflict()


class Timestamped:
    """Mixin: when the row was created and last changed (UTC)."""

    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create the engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout.

    PostgreSQL runs with JIT compilation off. Compliance figures classify each
    (person, course) pair with an index probe, which the planner costs high enough to
    trigger JIT. Compiling the plan then takes over a second, while running it takes a
    few hundred milliseconds. No query in ig gains from JIT.
    """
    if url.startswith("sqlite"):
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs.setdefault("poolclass", StaticPool)
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
    elif url.startswith("postgresql"):
        kwargs.setdefault("connect_args", {"options": "-c jit=off"})
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _sqlite_begin_before_savepoint)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin_before_savepoint(connection: Any, _name: str | None) -> None:
    """Open the real transaction before a SAVEPOINT when pysqlite has not yet.

    pysqlite begins a transaction lazily, just before the first write, so that reads
    never hold a stale snapshot (which would make a later write fail at once with
    "database is locked" under concurrency). But a SAVEPOINT sent outside a
    transaction starts one of its own, and releasing it commits: nested transactions
    (and every test's rolled-back outer transaction) would then leak.
    """
    driver = connection.connection.driver_connection
    if not driver.in_transaction:
        driver.execute("BEGIN")


class IgSession(Session):
    """The application's session: a lost optimistic-locking race becomes EditConflict.

    check_version catches a stale form before anything is written; this catches the
    narrower race where another save lands between that check and the UPDATE, so the
    person gets the same clear message instead of a 500. As after any failed flush,
    the transaction can only be rolled back, and it is, before EditConflict is raised:
    a view that catches it shows its page again, and that page queries.
    """

    def flush(self, objects: Any = None) -> None:
        try:
            super().flush(objects)
        except StaleDataError as exc:
            # Inside a commit the rollback is refused; commit() rolls back as it unwinds.
            with suppress(IllegalStateChangeError):
                self.rollback()
            raise EditConflict() from exc

    def commit(self) -> None:
        try:
            super().commit()
        except EditConflict:
            self.rollback()
            raise


class Database:
    """The engine and the session factory the application uses."""

    def __init__(self, engine: Engine, session_factory: Callable[[], Session] | None = None):
        self.engine = engine
        self.session_factory = session_factory or sessionmaker(
            bind=engine, class_=IgSession, expire_on_commit=False, autoflush=True
        )

    @contextmanager
    def session_scope(self) -> Iterator[Session]:
        """A session for a job or command: commits on success, rolls back on error."""
        session = self.session_factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


def get_session() -> Session:
    """The session of the current request, opened on first use and closed at teardown."""
    from flask import current_app, g

    if "db_session" not in g:
        g.db_session = current_app.extensions["ig.db"].session_factory()
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    """Teardown hook: roll back anything uncommitted and release the connection."""
    from flask import g

    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def enum_type(kind: type[enum.Enum], name: str) -> Enum:
    """A status or kind column: stored as the members' values in a plain string column.

    Not a native PostgreSQL enum, so adding a member is a policy or code change rather
    than an ALTER TYPE migration, and the same schema works on SQLite.
    """
    return Enum(
        kind,
        name=name,
        native_enum=False,
        length=40,
        values_callable=lambda members: [member.value for member in members],
    )

"""Alembic environment: runs migrations on the engine ig hands it."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from ig.models import Base

config = context.config
engine = config.attributes["engine"]


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    # The pragma is ignored inside a transaction, so it goes straight to the driver
    # (autocommit), before SQLAlchemy begins one.
    driver = connection.connection.driver_connection
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")  # type: ignore[union-attr]


def _run(connection: Connection) -> None:
    with connection.begin():
        if connection.dialect.name == "sqlite":
            # pysqlite opens a transaction only before a data change, so each CREATE or
            # ALTER would commit on its own and a failed upgrade would leave half its
            # tables behind. SQLite's DDL is transactional once a transaction is open.
            connection.connection.driver_connection.execute("BEGIN")  # type: ignore[union-attr]
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                raise RuntimeError(f"migration left rows with broken foreign keys: {broken}")


with engine.connect() as connection:
    if connection.dialect.name != "sqlite":
        _run(connection)
    else:
        # SQLite's batch migrations copy a table and drop the old one; with foreign
        # keys on, that drop would cascade-delete the rows that refer to it.
        _sqlite_foreign_keys(connection, on=False)
        try:
            _run(connection)
        finally:
            _sqlite_foreign_keys(connection, on=True)

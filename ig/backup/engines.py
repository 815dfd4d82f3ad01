"""Copying a database to a file and back: pg_dump / pg_restore, or SQLite's backup API."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url

from ig.backup.archive import BackupError

# Every kind of relation a restore would collide with, in any schema but the system's.
_PG_RELATIONS = text(
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'"
)


def payload_name(dialect: str) -> str:
    return {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}[dialect]


def dump(engine: Engine, destination: Path, snapshot: str | None = None) -> None:
    """Copy the whole database into ``destination`` (a consistent snapshot).

    ``snapshot`` is a PostgreSQL snapshot exported by the caller's transaction, so
    that the dump shows exactly what that transaction sees.
    """
    if engine.dialect.name == "postgresql":
        shared = [f"--snapshot={snapshot}"] if snapshot else []
        _run_pg("pg_dump", engine, "--format=custom", f"--file={destination}", *shared)
    elif engine.dialect.name == "sqlite":
        with closing(_sqlite(engine)) as source, closing(sqlite3.connect(destination)) as copy:
            source.backup(copy)
    else:
        raise BackupError(f"ig cannot back up a {engine.dialect.name} database")


def load(engine: Engine, payload: Path) -> None:
    """Restore ``payload`` into the (empty) database of ``engine``, in one transaction."""
    engine.dispose()  # no pooled connection may hold the database meanwhile
    if engine.dialect.name == "postgresql":
        _run_pg(
            "pg_restore",
            engine,
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            str(payload),
        )
    else:
        with closing(sqlite3.connect(payload)) as source, closing(_sqlite(engine)) as target:
            source.backup(target)


def is_empty(engine: Engine) -> bool:
    """Whether the database holds no table, view or sequence at all."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            return not connection.scalar(_PG_RELATIONS)
        return not connection.scalar(text("SELECT count(*) FROM sqlite_master"))


def _sqlite(engine: Engine) -> sqlite3.Connection:
    path = engine.url.database
    if not path or path == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored")
    return sqlite3.connect(path)


def _run_pg(program: str, engine: Engine, *arguments: str) -> None:
    """Run a PostgreSQL client program on ``engine``'s database; BackupError with its
    own message if it fails. The password goes in the environment, not the arguments."""
    found = shutil.which(program)
    if found is None:
        raise BackupError(
            f"{program} was not found: install the PostgreSQL client programs "
            "(the same major version as the server, or newer) and put them on PATH"
        )
    url = make_url(engine.url.render_as_string(hide_password=False))
    environment = {**os.environ}
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    target = url.set(drivername="postgresql", password=None).render_as_string()
    completed = subprocess.run(  # noqa: S603 - a fixed program, arguments as a list
        [found, f"--dbname={target}", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise BackupError(f"{program} failed: {completed.stderr.strip() or completed.returncode}")

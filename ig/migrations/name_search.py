"""What the migrations that index names for the pickers' search share (ig.people.pickers).

The search compares ``lower(column)``: equal to the typed text, or containing it. On
PostgreSQL a ``lower(column) text_pattern_ops`` b-tree serves the equality (and a prefix
LIKE), and a pg_trgm GIN index serves "contains" (``LIKE '%text%'``). pg_trgm ships with
PostgreSQL and is a trusted extension (13 and later), so the database's owner can create
it; where it cannot be created the upgrade goes on without the trigram index, and a
search for part of a name reads the table (thousands of short rows: milliseconds).

SQLite, the embedded default for small installations, gets none: it cannot use an index
for LIKE on lower(), and an expression index there would be reflected (with a warning,
and then dropped) by every later batch migration of a table that refers to these.

Migrations are history: a change here changes what they do, so this stays small.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

log = logging.getLogger(__name__)


def pattern_index(table: str, column: str) -> str:
    return f"ix_{table}_lower_{column}"


def trigram_index(table: str, column: str) -> str:
    return f"ix_{table}_lower_{column}_trgm"


def is_name_search_index(name: str) -> bool:
    """Whether ``name`` is one of the indexes made here (named ix_<table>_lower_<column>)."""
    return name.startswith("ix_") and ("_lower_" in name)


def has_trigrams(connection: sa.Connection) -> bool:
    """Whether pg_trgm is installed, creating it if it is available and allowed."""
    installed = "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'"
    if connection.scalar(sa.text(installed)):
        return True
    available = "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
    if not connection.scalar(sa.text(available)):
        log.warning("pg_trgm is not available: name search reads the table for part of a name")
        return False
    try:
        with connection.begin_nested():
            connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        log.warning(
            "pg_trgm cannot be created here: name search reads the table for part of a name"
        )
        return False
    return True


def create_name_indexes(table: str, columns: tuple[str, ...]) -> None:
    """Index ``lower(column)`` of each column for equality, prefix and (where pg_trgm
    can be had) containing search."""
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    trigrams = has_trigrams(connection)
    for column in columns:
        op.execute(
            f"CREATE INDEX {pattern_index(table, column)} ON {table}"
            f" (lower({column}) text_pattern_ops)"
        )
        if trigrams:
            op.execute(
                f"CREATE INDEX {trigram_index(table, column)} ON {table}"
                f" USING gin (lower({column}) gin_trgm_ops)"
            )


def drop_name_indexes(table: str, columns: tuple[str, ...]) -> None:
    """Drop what create_name_indexes made (pg_trgm itself stays: others may use it)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in columns:
        op.execute(f"DROP INDEX IF EXISTS {trigram_index(table, column)}")
        op.execute(f"DROP INDEX IF EXISTS {pattern_index(table, column)}")

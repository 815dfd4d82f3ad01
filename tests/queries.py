"""Counting the SQL statements an engine runs, for the tests that pages make no query per row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def counting(engine: Engine, selects_only: bool = False) -> Iterator[list[str]]:
    """Yield a list that fills with the text of each statement the engine runs inside the block.

    With selects_only, only statements that start with SELECT are kept.
    """
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not selects_only or statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def statements_for_get(
    engine: Engine, client: FlaskClient, url: str, selects_only: bool = False
) -> int:
    """GET url, assert it answered 200, and return how many statements it ran."""
    with counting(engine, selects_only) as statements:
        assert client.get(url).status_code == 200
    return len(statements)

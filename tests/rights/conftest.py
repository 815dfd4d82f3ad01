"""Fixtures for the information rights tests."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session


@pytest.fixture
def client(client: Any, db: Session) -> Any:
    """The test client, committing the test's own set-up before each request.

    Each view closes the shared session at teardown, which rolls back whatever was only
    flushed; committing first (a savepoint release inside the test's rolled-back
    transaction) keeps the set-up for the next request.
    """
    original = client.open

    def open_after_commit(*args: Any, **kwargs: Any) -> Any:
        db.commit()
        return original(*args, **kwargs)

    client.open = open_after_commit
    return client

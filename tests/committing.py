"""The test client for view tests that set records up in the test's own session.

Each view closes the shared session at teardown, which rolls back whatever was only
flushed; committing first (a savepoint release inside the test's rolled-back
transaction) keeps the set-up for the next request. A conftest that wants it imports
``client`` from here; one that needs more fixtures first calls ``commit_before_requests``.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session


def commit_before_requests(client: Any, db: Session) -> Any:
    """``client``, committing ``db`` before each request it sends."""
    original = client.open

    def open_after_commit(*args: Any, **kwargs: Any) -> Any:
        db.commit()
        return original(*args, **kwargs)

    client.open = open_after_commit
    return client


@pytest.fixture
def client(client: Any, db: Session) -> Any:
    """The test client, committing the test's own set-up before each request."""
    return commit_before_requests(client, db)

"""Fixtures for the audit tests: sign-in committed into the test's outer transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session


@pytest.fixture
def login_as(login_as: Callable[..., Any], db: Session) -> Callable[..., Any]:
    """The shared ``login_as``, committed.

    Each request closes the session at teardown, rolling back to the last commit;
    without this the signed-in user would vanish after the first request.
    """

    def login(*roles: str, **kwargs: Any) -> Any:
        user = login_as(*roles, **kwargs)
        db.commit()
        return user

    return login

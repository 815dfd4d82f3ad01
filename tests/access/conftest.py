"""Fixtures for the access tests."""

from __future__ import annotations

from tests.committing import client  # noqa: F401 - the committing client fixture
